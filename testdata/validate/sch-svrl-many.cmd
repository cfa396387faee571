zib validate --format svrl --schematron rules/header.sch valid.xml sch-bad.xml
