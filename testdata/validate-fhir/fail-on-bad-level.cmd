zib validate --fail-on info dt-007-bad.json
