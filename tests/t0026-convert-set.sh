#!/bin/sh
# zib convert --set (issue 18): the FHIR files of a folder or @LIST are
# one document, so references between them survive STU3/R4 -> R4.
#  - testdata/validate-fhir/set (a Patient and an Observation about it):
#    per file the reference is lost (ZIB-FHIRZ-002), as a set it resolves;
#  - the STU3 BgZ 3.0 test resources of the corpus (60 files): converted
#    per file, 35 references between files are left unresolved (42 before
#    the R4 writer wrote only conformant R4: what it cannot write
#    conformant it now reports, ZIB-CONV-001/003, rather than writing an
#    unresolved reference); with --set at most the 1 the input itself has.
. tests/lib.sh

SET=testdata/validate-fhir/set

unresolved() {
	zib validate "$@" 2>&1 | grep -c 'ZIB-FHIRZ-002'
}

set_keeps_references() {
	zib convert -q --to fhir-r4 -o "$T/per/" "$SET" || return 1
	zib convert -q --to fhir-r4 --set -o "$T/set/" "$SET" || return 1
	[ "$(ls "$T/set")" = "set.json" ] || { ls "$T/set"; return 1; }
	# per file, the Observation's subject cannot be carried: the profile
	# requires one, so it is written data-absent (ZIB-CONV-003), no reference.
	! grep -q '"subject":{"reference"' "$T/per/weight.json" || { echo "per file kept the subject?"; return 1; }
	grep -q '"subject":{"extension":\[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason"' \
		"$T/per/weight.json" || { echo "per file: no data-absent subject"; return 1; }
	pat=$(grep -o '"fullUrl":"urn:uuid:[^"]*","resource":{"resourceType":"Patient"' "$T/set/set.json" |
		sed 's/"fullUrl":"\([^"]*\)".*/\1/')
	[ -n "$pat" ] || { echo "no Patient in the set's Bundle"; return 1; }
	grep -q "\"subject\":{\"reference\":\"$pat\"" "$T/set/set.json" ||
		{ echo "the Observation does not reference the Patient ($pat)"; return 1; }
	[ "$(unresolved "$T/set/set.json")" -eq 0 ]
}
test_expect "convert --set: a reference between two files resolves in the output" set_keeps_references

set_usage() {
	expect_exit 2 zib convert --to json --set "$SET" 2> "$T/err" || return 1
	grep -q -- '--set is for' "$T/err" || { cat "$T/err"; return 1; }
	mkdir "$T/empty"
	expect_exit 2 zib convert --to fhir-r4 --set "$T/empty" 2> "$T/err" || return 1
	grep -q 'holds no documents' "$T/err" || { cat "$T/err"; return 1; }
	# stdout for one set; an @LIST is a set too.
	ls "$SET"/*.json > "$T/list"
	zib convert -q --to fhir-r4 --set "@$T/list" > "$T/out.json" || return 1
	[ "$(grep -o '"resourceType":"Patient"' "$T/out.json" | wc -l)" -eq 1 ] || return 1
	# the set's files are inputs: no output replaces one.
	expect_exit 2 zib convert -q --to fhir-r4 --set --force -o "$SET/patient.json" "$SET" 2> "$T/err"
}
test_expect "convert --set: FHIR targets only, empty set is exit 2, @LIST, stdout, inputs kept" set_usage

corpus_stu3_set() {
	D="$CORPUS/fhir-stu3-bgz/BgZ-3-0/Test/_reference/resources"
	zib convert -q --to fhir-r4 -o "$T/cper/" "$D" 2> /dev/null || return 1
	zib convert -q --to fhir-r4 --set -o "$T/cset/" "$D" 2> /dev/null || return 1
	input=$(unresolved --set "$D")
	per=$(unresolved --set "$T/cper")
	set=$(unresolved "$T/cset/resources.json")
	echo "STU3 BgZ 3.0 test resources: input $input unresolved; per file $per; --set $set"
	[ "$per" -ge 30 ] && [ "$set" -le "$input" ]
}
if have_corpus; then
	test_expect "STU3 -> R4 of the corpus folder: --set keeps the references (per file: 35 lost)" \
		corpus_stu3_set
else
	test_skip "STU3 set of the corpus" "no ../shared/corpus"
fi

exit $t_failed
