zib validate card-001-bad.xml card-001-bad.json
