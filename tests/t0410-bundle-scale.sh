#!/bin/sh
# A collection Bundle of 20,000 Patients (bench/gen-bundle.sh) is read
# whole: validate, extract and convert see every entry, and a finding on
# the last entry names it (Bundle.entry[19999], the sibling index the
# tree keeps).  Counts only; bench/scale.sh measures the time.
. tests/lib.sh

sh bench/gen-bundle.sh 20000 |
	sed 's/"family":"Test20000"}],"gender":"female","birthDate":"1970-01-01"/"family":"Test20000"}],"gender":"female","birthDate":"1970-13-45"/' \
	> "$T/b.json"

zib validate "$T/b.json" > "$T/v.out" 2> "$T/v.err"
test_expect "validate: the one bad birthDate, on the last entry" \
	grep -q '^    at Bundle.entry\[19999\].resource.birthDate$' "$T/v.out"
# Two findings for it: FHIR conformance (ZIB-FHIRV-020) and the zib's
# datatype (ZIB-DT-001).
test_expect "validate: ZIB-FHIRV-020 and ZIB-DT-001 for it" \
	test "$(grep -c 'error\[ZIB-FHIRV-020\]\|error\[ZIB-DT-001\]' "$T/v.out")" = 2
test_expect "validate: 1 document, 2 errors" grep -q '^1 document, 2 errors, 0 warnings$' "$T/v.err"

zib extract "$T/b.json" > "$T/x.out" 2>/dev/null
test_expect "extract: 20000 Patients" test "$(grep -c ': Patient p' "$T/x.out")" = 20000

zib convert --to fhir-r4 "$T/b.json" > "$T/r4.json" 2>/dev/null
test_expect "convert --to fhir-r4: 20000 Patients" \
	test "$(grep -o '"resourceType":"Patient"' "$T/r4.json" | wc -l)" = 20000

# 19999 Patients not carried, each a finding; a document shows its first
# 1000 findings (one other, 999 of these) and counts the rest in one line.
zib convert --to cda "$T/b.json" > "$T/cda.xml" 2> "$T/cda.err"
test_expect "convert --to cda: one recordTarget, 19999 Patients not carried" \
	test "$(grep -c '<recordTarget' "$T/cda.xml")" = 1 -a \
	"$(grep -c 'a second Patient does not fit the CDA header' "$T/cda.err")" = 999 -a \
	"$(grep -c 'and 19000 more findings not shown' "$T/cda.err")" = 1
exit $t_failed
