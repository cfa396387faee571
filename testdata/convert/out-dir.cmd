t=$(mktemp -d); zib convert --to json -j 2 -o "$t/out/" patient.xml bad-duplicate.json bundle.xml observation.json 2>"$t/err"; rc=$?; sed "s|$t|T|g" "$t/err" >&2; ls "$t/out"; rm -rf "$t"; exit $rc
