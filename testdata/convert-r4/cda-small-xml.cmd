zib convert --to fhir-r4 --format xml cda-small.xml
