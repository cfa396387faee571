zib validate -q --max-size 1G ../validate/valid.xml
