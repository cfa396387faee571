zib schematron -q --format json features.sch bad.xml good.xml
