zib validate xml-001-bad.xml
