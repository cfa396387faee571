#!/bin/sh
# FHIR conformance by release and `zib validate --checks`.  STU3 documents
# are checked by STU3 definitions (a small hand-written STU3 package in
# testdata/fhir-stu3, loaded with --fhir-package), never by R4's compiled
# rules; without STU3 definitions only what does not depend on them runs
# (ZIB-FHIRV-061 says what).  The corpus' STU3 BgZ fixtures have no
# FHIR-level error, with and without the zib2017 profiles loaded.
. tests/lib.sh

D=testdata/fhir-stu3
PKG="--fhir-package $D"

# findings CODE FILE ARGS...: the codes zib validate -v reports on FILE.
codes() {
	zib validate -v -q --format json "$@" | python3 -c '
import json, sys
for d in json.load(sys.stdin)["documents"]:
    for f in d["findings"]:
        print(f["severity"], f["code"], f.get("path") or "")'
}

stu3_pass() {
	codes $PKG --checks fhir $D/patient-pass.json > "$T/c" && cat "$T/c" &&
	! grep -q '^error' "$T/c" &&
	grep -q '^info ZIB-FHIRV-061' "$T/c"
}
test_expect "STU3 by its own definitions: a conforming Patient (animal, STU3 only) passes" stu3_pass

stu3_fail() {
	codes $PKG --checks fhir $D/patient-fail.json > "$T/c"; cat "$T/c"
	# maritalStatus is not in this STU3 Patient; animal.species is 1..1 in
	# the base; the profile wants a name and a gender from its value set.
	grep -q '^error ZIB-FHIR-003 Patient.maritalStatus' "$T/c" &&
	grep -q '^error ZIB-FHIRV-062 Patient.animal$' "$T/c" &&
	grep -q '^error ZIB-FHIRV-062 Patient$' "$T/c" &&
	grep -q '^error ZIB-FHIRV-063 Patient.gender' "$T/c"
}
test_expect "STU3 by its own definitions: base, profile and value set findings" stu3_fail

r4_rule_not_applied() {
	# Without the STU3 package the same document is R4, where Patient has
	# no animal (R4 dropped it): an R4 rule the STU3 run must not apply.
	codes --checks fhir $D/patient-pass.json > "$T/r4" && cat "$T/r4" &&
	grep -q '^error ZIB-FHIR-003 Patient.animal' "$T/r4" &&
	codes $PKG --checks fhir $D/patient-pass.json > "$T/stu3" &&
	! grep -q 'Patient.animal' "$T/stu3"
}
test_expect "an R4 rule (Patient has no animal) is not applied to STU3" r4_rule_not_applied

definitions_by_release() {
	# STU3 and R4 both name http://hl7.org/fhir/StructureDefinition/Patient:
	# loading the STU3 one leaves R4 documents on R4's.
	codes $PKG --checks fhir $D/patient-r4.json > "$T/c"; cat "$T/c"
	grep -q '^error ZIB-FHIRV-030 Patient.gender' "$T/c" && ! grep -q 'ZIB-FHIRV-061' "$T/c"
}
test_expect "an R4 document keeps R4's definitions with STU3 ones loaded" definitions_by_release

checks_split() {
	f=$D/patient-r4.json
	codes --checks all $f > "$T/all" && codes --checks fhir $f > "$T/fhir" &&
	codes --checks zib $f > "$T/zib" || return 1
	cat "$T/all"
	grep -q 'ZIB-FHIRV-030' "$T/all" && grep -q 'ZIB-ID-002' "$T/all" &&
	grep -q 'ZIB-FHIRV-030' "$T/fhir" && ! grep -q 'ZIB-ID-\|ZIB-FHIRZ-' "$T/fhir" &&
	grep -q 'ZIB-ID-002' "$T/zib" && ! grep -q 'ZIB-FHIR' "$T/zib"
}
test_expect "--checks fhir|zib|all: FHIR conformance, zib level, both" checks_split

checks_not_fhir() {
	codes --checks fhir testdata/validate/valid.xml > "$T/c"; cat "$T/c"
	grep -q '^info ZIB-FHIRV-009' "$T/c" && ! grep -q '^error' "$T/c"
}
if [ -f testdata/validate/valid.xml ]; then
	test_expect "--checks fhir on CDA: ZIB-FHIRV-009, nothing else" checks_not_fhir
fi
test_expect "--checks takes fhir, zib or all" expect_exit 2 zib validate --checks xyz $D/patient-pass.json

if ! have_corpus; then
	test_skip "STU3 BgZ fixtures" "no ../shared/corpus"
	exit $t_failed
fi
S=$CORPUS/fhir-stu3-bgz
# FHIR-level errors of the fixtures: none is expected (the list of those
# the documents really have is empty; a line would be FILE CODE reason).
fixtures() {
	codes --checks fhir "$@" $S/BgZ-3-0 $S/BgZ-MSZ-2-0 > "$T/c" || true
	! grep '^error' "$T/c" &&
	[ "$(grep -c '^info ZIB-FHIRV-061' "$T/c")" -ge 160 ]
}
test_expect "STU3 BgZ fixtures: no FHIR-level error, none by R4 rules" fixtures
test_expect "STU3 BgZ fixtures with the zib2017 profiles: no FHIR-level error" \
	fixtures --fhir-package $S/zib2017-profiles
differential() {
	# zib-Problem (a differential on STU3 Condition, no snapshot without
	# STU3 core) makes clinicalStatus 1..1: checked by the differential.
	python3 -c 'import re, sys
s = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"<clinicalStatus.*?</clinicalStatus>", "", s, flags=re.S))' \
		$S/BgZ-3-0/Test/_reference/resources/zib-Problem-medmij-bgz-test-patA-problem1.xml \
		"$T/problem.xml" &&
	codes --checks fhir --fhir-package $S/zib2017-profiles "$T/problem.xml" > "$T/c"; cat "$T/c"
	grep -q '^error ZIB-FHIRV-062 Condition$' "$T/c"
}
test_expect "a zib2017 profile without snapshot is checked by its differential" differential
exit $t_failed
