zib schematron -q isa-include.sch bad.xml
