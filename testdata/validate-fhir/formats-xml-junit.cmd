zib validate --format junit vs-002-bad.xml dt-007-bad.json
