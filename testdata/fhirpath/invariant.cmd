zib fhirpath 'entry.resource.ofType(Observation).effective.all(start.hasValue().not() or end.hasValue().not() or (start <= end))' bundle.json
