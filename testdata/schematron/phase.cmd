zib schematron -q --phase voc-only features.sch bad.xml
