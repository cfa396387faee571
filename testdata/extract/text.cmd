zib extract bgz.xml
