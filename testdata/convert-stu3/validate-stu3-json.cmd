zib convert -q --to fhir-stu3 r4-small.json | zib validate -q - ; echo "validate exit $?"
