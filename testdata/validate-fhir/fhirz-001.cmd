zib validate fhirz-001-bad.xml fhirz-001-bad.json
