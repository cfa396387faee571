zib schematron -q --format svrl features.sch bad.xml
