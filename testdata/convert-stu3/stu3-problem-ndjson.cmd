zib convert -q --to fhir-stu3 --format ndjson stu3-problem.xml
