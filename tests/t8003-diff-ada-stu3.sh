#!/bin/sh
# The BgZ MSZ 2.0 test patients C and D, published twice by Nictiz: as ADA
# instances (ada-bgz-msz-2.0) and as STU3 fixture resources
# (fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources, one file per
# resource, both patients in one folder).  The resources of one patient are
# those that reference Patient/<id>, plus what they reference in turn
# (practitioners, organizations), read as one set through an @list.
#
# Every difference `zib diff` reports is listed, with its class and an
# explanation per class, in testdata/diff/ada-stu3/expected.txt; the test
# asserts that exact list, so a reader fix shows up here as a change to
# that file.
. tests/lib.sh

ADA=$CORPUS/ada-bgz-msz-2.0/ada_instance
RES=$CORPUS/fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources
EXPECTED=testdata/diff/ada-stu3/expected.txt

if ! have_corpus || [ ! -d "$RES" ] || [ ! -d "$ADA" ]; then
	test_skip "ADA against STU3 for the BgZ MSZ test patients" "no corpus at $CORPUS"
	exit 0
fi

# patient_set ID: the resource files of one patient, one per line.  A file
# must be named after its resource id: the folder holds one resource twice
# (b-LaboratoryTestResult-Observation-msz-ef3c5271-... holds the resource
# b8bd0271-...), and the copy would count twice.
patient_set() {
	{ echo "$RES/$1.xml"; grep -l "<reference value=\"Patient/$1\"" "$RES"/*.xml; } |
		sort -u > "$T/set"
	while :; do
		sed -n 's/.*<reference value="[A-Za-z]*\/\([^"]*\)".*/\1/p' $(cat "$T/set") |
			sort -u | while read -r id; do
				[ -f "$RES/$id.xml" ] && echo "$RES/$id.xml"
			done > "$T/refs"
		sort -u "$T/set" "$T/refs" > "$T/set2"
		cmp -s "$T/set" "$T/set2" && break
		mv "$T/set2" "$T/set"
	done
	while read -r f; do
		id=$(sed -n 's/^ *<id value="\([^"]*\)".*/\1/p' "$f" | head -1)
		[ "$RES/$id.xml" = "$f" ] && echo "$f"
	done < "$T/set"
}

# One record per difference: zib | concept | - ADA | + FHIR, or
# zib | only in A/B | where; file names and line numbers left out.
flatten() {
	awk '
	/^== / { zib = $2; next }
	/^changed: / { next }
	/^only in / {
		side = substr($0, 1, 9); rest = substr($0, 12)
		sub(/^[^ ]*:[0-9]+ ?/, "", rest)
		print zib " | " side " | " rest; next
	}
	/^  NL-CM:/ { concept = substr($0, 3); next }
	/^    - / { a = substr($0, 7); sub(/  (ADA|FHIR):[0-9]+( .*)?$/, "", a); next }
	/^    \+ / { b = substr($0, 7); sub(/  (ADA|FHIR):[0-9]+( .*)?$/, "", b)
		print zib " | " concept " | - " a " | + " b; next }'
}

: > "$T/got"
for p in C D; do
	patient_set "bgz-msz-pat$p" > "$T/pat$p.list"
	zib diff "$ADA/BgZ-msz-tst-pat$p-SLB.xml" "@$T/pat$p.list" > "$T/pat$p.diff" 2> "$T/pat$p.err"
	echo $? > "$T/pat$p.rc"
	sed -e "s#$ADA/BgZ-msz-tst-pat$p-SLB.xml#ADA#g" -e "s#@$T/pat$p.list#FHIR#g" \
		-e "s#$RES/[^ :]*#FHIR#g" "$T/pat$p.diff" |
		flatten | sed "s/^/$p	/" >> "$T/got"
done
grep -v '^#' "$EXPECTED" | cut -f1,3 > "$T/want"

sets_found() {
	[ "$(wc -l < "$T/patC.list")" -eq 33 ] && [ "$(wc -l < "$T/patD.list")" -eq 72 ] ||
		{ wc -l "$T/patC.list" "$T/patD.list"; return 1; }
}
test_expect "the fixture resources of patient C (33) and D (72) are found" sets_found

read_cleanly() {
	for p in C D; do
		[ "$(cat "$T/pat$p.rc")" = 1 ] && [ "$(wc -l < "$T/pat$p.err")" = 1 ] &&
		grep -q '^[0-9]* differences: ' "$T/pat$p.err" ||
			{ echo "patient $p: exit $(cat "$T/pat$p.rc")"; cat "$T/pat$p.err"; return 1; }
	done
}
test_expect "zib diff ADA @STU3-set reads both sides and reports differences (exit 1)" read_cleanly

same_list() {
	diff -u "$T/want" "$T/got"
}
test_expect "the differences are exactly those explained in $EXPECTED ($(wc -l < "$T/want"))" \
	same_list

every_line_classified() {
	grep -v '^#' "$EXPECTED" | cut -f2 | sort -u > "$T/used"
	sed -n 's/^# \([a-d]-[a-z0-9-]*\): .*/\1/p' "$EXPECTED" | sort -u > "$T/explained"
	diff -u "$T/explained" "$T/used"
}
test_expect "every difference has a class, every class an explanation" every_line_classified

exit $t_failed
