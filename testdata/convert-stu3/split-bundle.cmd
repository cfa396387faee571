zib convert --to fhir-r4 --split --bundle document -o out r4-small.json
