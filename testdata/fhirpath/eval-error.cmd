zib fhirpath 'entry.resource.ofType(Patient).name.given.substring(1)' bundle.xml
