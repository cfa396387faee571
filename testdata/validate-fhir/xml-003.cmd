zib validate xml-003-bad.json
