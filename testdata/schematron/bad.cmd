zib schematron -q features.sch bad.xml
