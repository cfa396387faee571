t=$(mktemp -d); cp patient.xml "$t"/; cd "$t" && echo old > out.json && zib convert --to json -o out.json patient.xml; rc=$?; cat out.json; cd /; rm -rf "$t"; exit $rc
