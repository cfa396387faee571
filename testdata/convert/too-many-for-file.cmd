t=$(mktemp -d); cp patient.xml bundle.xml "$t"/; cd "$t" && zib convert --to json -o one.json patient.xml bundle.xml; rc=$?; cd /; rm -rf "$t"; exit $rc
