zib validate dt008-bad.xml
