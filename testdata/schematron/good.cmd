zib schematron -q features.sch good.xml
