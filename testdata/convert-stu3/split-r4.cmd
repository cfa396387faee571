d=$(mktemp -d) && zib convert -q --to fhir-r4 --split -o "$d/out" r4-small.json && (cd "$d/out" && ls && cat Condition-*.json) ; rm -rf "$d"
