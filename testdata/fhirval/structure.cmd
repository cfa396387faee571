zib validate structure-bad.xml structure-ok.xml
