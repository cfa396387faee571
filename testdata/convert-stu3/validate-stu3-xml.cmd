zib convert -q --to fhir-stu3 --format xml ../convert-r4/cda-small.xml | zib validate -q - ; echo "validate exit $?"
