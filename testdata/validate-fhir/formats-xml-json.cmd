zib validate --format json vs-002-bad.xml dt-007-bad.json
