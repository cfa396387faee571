zib validate --max-size 100 valid.xml
