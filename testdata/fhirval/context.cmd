zib validate --fhir-package context-extension.json context-bad.json context-ok.json
