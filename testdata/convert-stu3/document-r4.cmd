zib convert -q --to fhir-r4 --bundle document --pretty ../convert-r4/cda-small.xml
