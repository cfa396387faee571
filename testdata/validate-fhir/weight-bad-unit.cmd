zib validate weight-bad-unit.json
