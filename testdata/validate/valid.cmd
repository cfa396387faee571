zib validate valid.xml
