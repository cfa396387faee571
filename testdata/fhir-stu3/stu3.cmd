zib validate --checks fhir --fhir-package . patient-pass.json patient-fail.json
