zib convert -q --to fhir-stu3 --strict ../convert-r4/cda-small.xml
