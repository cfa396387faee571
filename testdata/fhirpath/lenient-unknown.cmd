zib fhirpath 'entry.resource.ofType(Patient).nmae' bundle.xml
