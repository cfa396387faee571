zib diff base.xml fhir-patient.json
