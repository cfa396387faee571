zib extract --summary bgz.xml
