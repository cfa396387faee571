zib convert --to fhir-r4 --strict cda-small.xml
