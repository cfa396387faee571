t=$(mktemp -d); cp patient.xml "$t"/; cd "$t" && echo old > out.json && zib convert -q --to json --force -o out.json patient.xml; rc=$?; head -c 60 out.json; echo; ls; cd /; rm -rf "$t"; exit $rc
