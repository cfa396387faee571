zib validate id-003-bad.xml id-003-bad.json
