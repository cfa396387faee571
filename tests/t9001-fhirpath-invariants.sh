#!/bin/sh
# The invariants of the R4 core StructureDefinitions (fhir-r4-core), every
# one compiled by lib/fhirpath and evaluated on the 271 zib2020 examples
# (fhir-r4-zib2020/examples) by build/fhirpath-invariants.  Every
# invariant must compile and evaluate without error; those that do not
# hold are exactly the ones listed, with the reason, in
# tests/t9001-fhirpath-invariants-known.txt.
. tests/lib.sh

BUILD=${BUILD:-build}
CORE=$CORPUS/fhir-r4-core
EXAMPLES=$CORPUS/fhir-r4-zib2020/examples
KNOWN=tests/t9001-fhirpath-invariants-known.txt

if ! have_corpus || [ ! -f "$CORE/profiles-resources.json" ] || [ ! -d "$EXAMPLES" ]; then
	test_skip "R4 invariants on the zib2020 examples" "no $CORE or $EXAMPLES"
	exit 0
fi

"$BUILD/fhirpath-invariants" "$CORE" "$EXAMPLES"/* > "$T/out" 2>&1
rc=$?
echo "# $(tail -1 "$T/out")"
test_expect "R4 invariants compile and evaluate without error" test $rc -eq 0

sed '$d' "$T/out" | sed -n 's/^\([^ ]*\) \([^ ]*\) [a-z]*: false$/\1 \2/p' | sort > "$T/false"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$KNOWN" | awk '{print $1, $2}' | sort > "$T/known"
same_list() {
	cmp -s "$T/false" "$T/known" && return 0
	echo "invariants that do not hold (-) listed, (+) found:"
	diff "$T/known" "$T/false" | sed -n 's/^</-/p; s/^>/+/p'
	return 1
}
test_expect "R4 invariants that do not hold are the listed ones" same_list
[ $t_failed -eq 0 ]
