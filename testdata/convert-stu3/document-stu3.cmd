zib convert -q --to fhir-stu3 --bundle document --pretty ../convert-r4/cda-small.xml
