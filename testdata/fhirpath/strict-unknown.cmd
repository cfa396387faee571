zib fhirpath --strict 'entry.resource.ofType(Patient).nmae' bundle.xml
