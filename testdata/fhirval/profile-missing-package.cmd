zib validate --fhir-package no-such-package.json profile-ok.json
