zib validate --format sarif vs-002-bad.xml dt-007-bad.json
