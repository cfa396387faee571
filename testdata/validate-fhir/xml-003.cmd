zib validate xml-003-bad.xml xml-003-bad.json xml-003-blank.json
