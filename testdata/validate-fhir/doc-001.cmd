zib validate doc-001-bad.json
