zib validate -q --max-size 1K ../validate/valid.xml
