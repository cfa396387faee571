t=$(mktemp -d); zib convert -q --to xml -o "$t/" list.ndjson; rc=$?; ls "$t"; rm -rf "$t"; exit $rc
