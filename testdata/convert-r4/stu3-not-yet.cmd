zib convert --to fhir-stu3 cda-small.xml
