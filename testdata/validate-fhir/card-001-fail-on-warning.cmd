zib validate --fail-on warning card-001-bad.xml card-001-bad.json
