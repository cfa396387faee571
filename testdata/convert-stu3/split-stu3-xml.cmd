d=$(mktemp -d) && zib convert -q --to fhir-stu3 --split --format xml --pretty -o "$d/out" stu3-problem.xml && (cd "$d/out" && ls && cat Patient-*.xml) ; rm -rf "$d"
