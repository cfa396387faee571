zib schematron --phase nope features.sch good.xml
