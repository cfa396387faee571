zib validate --fhir-package profile-location.json profile-bad.json profile-ok.json
