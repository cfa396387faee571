zib convert -q --to fhir-r4 --max-size 256 ../convert/bundle.xml > /dev/null
