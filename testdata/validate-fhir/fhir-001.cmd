zib validate fhir-001-bad.json
