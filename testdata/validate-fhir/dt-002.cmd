zib validate dt-002-bad.xml dt-002-bad.json
