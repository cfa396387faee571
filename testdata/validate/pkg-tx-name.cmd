zib validate --package pkg --transaction "alpha transaction" sch-bad.xml
