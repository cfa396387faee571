zib validate --format json --schematron rules/header.sch sch-bad.xml
