zib validate -q --format svrl --schematron rules/header.sch sch-bad.xml
