zib convert --to fhir-r4 --pretty cda-zone.xml
