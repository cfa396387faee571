zib convert -q --to cda weight.json 2>/dev/null | zib diff --only BodyWeight weight.json -
