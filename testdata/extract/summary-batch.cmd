zib extract --summary bgz.xml quoting.xml
