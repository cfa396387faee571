#!/bin/sh
# The official FHIRPath conformance suite (fhir-test-cases r4/fhirpath/
# tests-fhir-r4.xml, its input files beside it in r4/) run by
# build/fhirpath-suite against lib/fhirpath.  Prints the pass figure.
# Every test that does not pass is listed, with its reason, in
# tests/t9000-fhirpath-known.txt; the test fails when another test fails,
# and when a listed test passes (so the list stays honest).
. tests/lib.sh

BUILD=${BUILD:-build}
SUITE=$CORPUS/fhir-test-cases/r4/fhirpath/tests-fhir-r4.xml
KNOWN=tests/t9000-fhirpath-known.txt

if ! have_corpus || [ ! -f "$SUITE" ]; then
	test_skip "FHIRPath conformance suite" "no $SUITE"
	exit 0
fi

if ! "$BUILD/fhirpath-suite" "$SUITE" "$CORPUS/fhir-test-cases/r4" > "$T/out" 2> "$T/err"; then
	echo "not ok fhirpath suite: the driver failed"
	sed 's/^/    /' "$T/err" | head -10
	exit 1
fi
echo "# $(tail -1 "$T/out")"

sed -n 's/^fail \([^:]*\):.*/\1/p' "$T/out" | sort > "$T/failed"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$KNOWN" | awk '{print $1}' | sort > "$T/known"
comm -23 "$T/failed" "$T/known" > "$T/unexpected"
comm -13 "$T/failed" "$T/known" > "$T/fixed"

no_unexpected() {
	[ ! -s "$T/unexpected" ] && return 0
	while read -r name; do
		grep "^fail $name:" "$T/out"
	done < "$T/unexpected"
	return 1
}

no_fixed() {
	[ ! -s "$T/fixed" ] && return 0
	echo "listed in $KNOWN but passing now (remove them):"
	cat "$T/fixed"
	return 1
}

test_expect "fhirpath suite: no failure outside $KNOWN" no_unexpected
test_expect "fhirpath suite: every listed failure still fails" no_fixed
[ $t_failed -eq 0 ]
