zib validate id-002-bad.xml id-002-bad.json
