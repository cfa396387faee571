zib fhirpath 'entry.resource.ofType(Patient).name.given' bundle.xml bundle.json
