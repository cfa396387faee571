zib schematron -q --fail-on info features.sch good.xml
