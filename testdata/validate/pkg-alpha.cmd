zib validate --package pkg --transaction alpha sch-bad.xml
