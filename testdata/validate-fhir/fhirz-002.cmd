zib validate fhirz-002-bad.xml fhirz-002-bad.json
