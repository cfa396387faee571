zib convert --to fhir-stu3 --split r4-small.json
