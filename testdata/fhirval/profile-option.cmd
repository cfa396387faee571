zib validate --fhir-package profile-location.json --profile http://example.org/zibkit/StructureDefinition/test-location cardinality-ok.json
