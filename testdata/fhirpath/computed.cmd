zib fhirpath "entry.count().toString() & ' entries, ' & entry.resource.ofType(Observation).where(value.ofType(Quantity) > 70000 'g').count().toString() & ' heavy'" bundle.xml
