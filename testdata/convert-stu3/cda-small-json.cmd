zib convert --to fhir-stu3 --pretty ../convert-r4/cda-small.xml
