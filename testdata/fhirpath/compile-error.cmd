zib fhirpath 'name.where(given = "x")' bundle.xml
