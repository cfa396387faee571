zib convert --to fhir-r4 --bundle searchset cda-small.xml
