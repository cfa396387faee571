zib convert -q --to fhir-stu3 --bundle document r4-small.json | zib diff -q r4-small.json - ; echo "diff exit $?"
