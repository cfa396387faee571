zib validate id-004-bad.xml id-004-bad.json
