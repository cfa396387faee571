zib validate id-001-bad.xml id-001-bad.json
