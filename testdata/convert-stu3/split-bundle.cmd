d=$(mktemp -d); zib convert --to fhir-r4 --split --bundle document -o "$d/out" r4-small.json; rc=$?; rm -rf "$d"; exit $rc
