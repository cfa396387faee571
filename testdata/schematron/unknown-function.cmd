zib schematron unknown-function.sch good.xml
