zib validate xml-002-bad.xml
