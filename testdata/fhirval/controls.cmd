zib validate --fhir-package profile-controls.json controls-bad.json controls-ok.json
