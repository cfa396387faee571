zib validate card-002-bad.xml card-002-bad.json
