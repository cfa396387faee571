zib validate dt-005-bad.xml dt-005-bad.json
