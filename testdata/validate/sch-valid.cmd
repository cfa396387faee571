zib validate --schematron rules/header.sch valid.xml
