zib validate --checks fhir --fhir-package . --format outcome patient-fail.json
