zib convert --to fhir-r4 --pretty stu3-bodyweight.xml
