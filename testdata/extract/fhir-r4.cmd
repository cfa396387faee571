zib extract --to fhir-r4 bgz.xml
