zib validate dt-006-bad.xml dt-006-bad.json
