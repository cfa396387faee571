zib validate --fail-on warning --format junit card-001-bad.xml card-001-ok.json
