zib fhirpath 'entry.resource.ofType(Observation).value' bundle.xml
