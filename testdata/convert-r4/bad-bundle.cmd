zib convert --to fhir-r4 --bundle document cda-small.xml
