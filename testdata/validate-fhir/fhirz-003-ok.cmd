zib validate -v fhirz-003-ok.json
