zib convert -q --to fhir-r4 --format ndjson cda-small.xml
