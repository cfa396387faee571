#!/bin/sh
# The Nictiz zib2020 examples published twice: as ADA instances
# (ada-zib2020/ada_instance) and as FHIR R4 resources (fhir_instance, one
# resource per file, read as one set).  Every difference `zib diff` reports
# between the two directories is listed with its class, and a reason per
# class, in testdata/diff/ada-fhir-zib2020/expected.txt; the test asserts
# that exact list and the figures of the summary line, so a reader fix or a
# new equal-by-meaning rule shows up as a change to that file.
. tests/lib.sh

ADA=$CORPUS/ada-zib2020/ada_instance
FHIR=$CORPUS/ada-zib2020/fhir_instance
EXPECTED=testdata/diff/ada-fhir-zib2020/expected.txt

if ! have_corpus || [ ! -d "$ADA" ] || [ ! -d "$FHIR" ]; then
	test_skip "ADA against FHIR for the zib2020 examples" "no corpus at $CORPUS"
	exit 0
fi

# One record per difference, file names of the changed instances and line
# numbers left out (the "only in" records keep the file).
flatten() {
	awk '
	/^== / { zib = $2; next }
	/^changed: / { next }
	/^only in / {
		side = substr($0, 1, 9); rest = substr($0, 12)
		sub(/ .*$/, "", rest)
		print zib " | " side " | " rest; next
	}
	/^  NL-CM:/ { concept = substr($0, 3); next }
	/^    - / { a = substr($0, 7); sub(/  (ADA|FHIR)[^ ]*:[0-9]+( .*)?$/, "", a); next }
	/^    \+ / { b = substr($0, 7); sub(/  (ADA|FHIR)[^ ]*:[0-9]+( .*)?$/, "", b)
		print zib " | " concept " | - " a " | + " b; next }'
}

zib diff "$ADA" "$FHIR" > "$T/diff" 2> "$T/err"
echo $? > "$T/rc"
sed -e "s#$ADA/#ADA/#g" -e "s#$FHIR/#FHIR/#g" "$T/diff" | flatten > "$T/got"
grep -v '^#' "$EXPECTED" | cut -f2 > "$T/want"

figures() {
	[ "$(cat "$T/rc")" = 1 ] &&
	grep -qx '81 differences: 53 concepts changed in 34 instances, 10 only in A, 18 only in B; 93 instances in A, 101 in B, 83 matched' "$T/err" ||
		{ cat "$T/err"; return 1; }
}
test_expect "ADA vs FHIR zib2020: 53 concepts changed in 34 instances, 10 + 18 unmatched" figures

same_list() {
	diff -u "$T/want" "$T/got"
}
test_expect "the differences are exactly those explained in $EXPECTED ($(wc -l < "$T/want"))" same_list

every_line_classified() {
	grep -v '^#' "$EXPECTED" | cut -f1 | sort -u > "$T/used"
	sed -n 's/^# \([a-z]*-[a-z0-9-]*\): .*/\1/p' "$EXPECTED" | sort -u > "$T/explained"
	diff -u "$T/explained" "$T/used"
}
test_expect "every difference has a class, every class a reason" every_line_classified

# The locations name the file of each set member, never the directory.
member_files() {
	! grep -q "$FHIR:[0-9]" "$T/diff" && grep -q "$FHIR/nl-core-[A-Za-z0-9.-]*\.xml:[0-9]" "$T/diff"
}
test_expect "locations name the file of each FHIR set member" member_files

# An "only in" instance shows what it holds.
only_content() {
	grep -A1 "^only in A: $ADA/nl-core-LivingSituation-01.xml" "$T/diff" |
		grep -q '^      NL-CM:7.8.3 WoningType: BOVENW'
}
test_expect "an instance found on one side only shows its content" only_content
exit $t_failed
