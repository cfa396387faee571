zib convert --to fhir-stu3 --format xml --pretty ../convert-r4/cda-small.xml
