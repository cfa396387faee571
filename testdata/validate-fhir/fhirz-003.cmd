zib validate -v fhirz-003-bad.xml fhirz-003-bad.json
