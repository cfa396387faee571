zib convert --to fhir-stu3 --pretty r4-small.json
