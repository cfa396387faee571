zib validate -v --schematron rules/header.sch sch-bad.xml
