zib validate bad-template.xml
