zib schematron -q features.sch malformed.xml
