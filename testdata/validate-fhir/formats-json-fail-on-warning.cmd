zib validate --format json --fail-on warning dt-007-bad.json dt-006-ok.xml
