zib validate --format text vs-002-bad.xml dt-007-bad.json
