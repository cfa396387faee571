zib convert --to fhir-stu3 --format xml --pretty stu3-problem.xml
