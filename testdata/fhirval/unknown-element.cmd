# Issue 18: an element R4 does not have is ZIB-FHIR-003, error, for validate (also
# under a zib2020 / nl-core profile) and convert alike; both exit 1.
zib validate -v unknown-element.xml; v=$?; zib convert --to json unknown-element.xml > /dev/null; c=$?
echo "validate exit $v, convert exit $c"; [ "$v" = 1 ] && [ "$c" = 1 ]
