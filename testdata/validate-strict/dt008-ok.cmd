zib validate dt008-ok.xml
