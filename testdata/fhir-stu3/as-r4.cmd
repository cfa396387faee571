zib validate --checks fhir patient-pass.json
