zib validate --format outcome vs-002-bad.xml dt-007-bad.json
