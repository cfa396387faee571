zib validate dt-003-bad.xml dt-003-bad.json dt-003-bad-rate.json
