zib validate --fhir-package targetprofile-defs.json targetprofile-bad.json targetprofile-ok.json
