zib validate xml-003-bad.xml xml-003-bad.json
