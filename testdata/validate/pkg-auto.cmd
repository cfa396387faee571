zib validate --package pkg sch-bad.xml bad-template.xml
