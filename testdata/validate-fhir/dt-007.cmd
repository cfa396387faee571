zib validate dt-007-bad.xml dt-007-bad.json
