zib extract --to tree bgz.xml
