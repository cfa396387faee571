zib validate --fail-on warning dt-006-bad.xml dt-006-bad.json
