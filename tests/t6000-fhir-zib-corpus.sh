#!/bin/sh
# The FHIR zib reader and zib validate on the corpus: every zib2020 R4
# example and every STU3 BgZ fixture is read (no parse failure, no internal
# error), and the errors zib validate reports are exactly the ones the
# documents really have (tests/t6000-fhir-zib-errors.txt, one file at a
# time; tests/t6000-fhir-zib-set-errors.txt, each directory as one --set).
. tests/lib.sh

if ! have_corpus; then
	test_skip fhir-zib-corpus "no ../shared/corpus"
	exit 0
fi
C=../shared/corpus
DIRS="$C/fhir-r4-zib2020/examples $C/fhir-stu3-bgz/BgZ-3-0 $C/fhir-stu3-bgz/BgZ-MSZ-2-0"

# FILE<TAB>CODE<TAB>CONCEPT of each error line, files relative to the corpus.
errors_of() {
	grep 'error\[' "$1" | sed -E 's|^\.\./shared/corpus/||;
		s|^([^:]*):[0-9:]*: error\[([A-Z0-9-]*)\] [A-Za-z]* \((NL-CM:[0-9.]*)\).*|\1	\2	\3|' | sort -u
}

find $DIRS -name '*.xml' | sort > "$T/files"
zib validate -q -j 2 @"$T/files" > "$T/out" 2>&1
echo $? > "$T/rc"
test_expect "read: no parse failure or unreadable input" sh -c "! grep -q 'ZIB-FHIR-0\|ZIB-DOC-0' '$T/out'"
test_expect "read: exit 0 or 1" sh -c "[ \$(cat '$T/rc') -le 1 ]"
errors_of "$T/out" > "$T/got"
grep -v '^#' tests/t6000-fhir-zib-errors.txt | cut -f1-3 | sort -u > "$T/want"
test_expect "validate: errors are exactly tests/t6000-fhir-zib-errors.txt" cmp "$T/want" "$T/got"
test_expect "validate: every allowed error has a reason" sh -c \
	"! grep -v '^#' tests/t6000-fhir-zib-errors.txt tests/t6000-fhir-zib-set-errors.txt | awk -F'\t' 'NF < 4 || \$4 == \"\"' | grep -q ."
# The files without an allowed error exit 0 one by one.
cut -f1 "$T/want" | sort -u | sed "s|^|$C/|" > "$T/bad"
grep -vxF -f "$T/bad" "$T/files" > "$T/good"
test_expect "validate: every other file exits 0" zib validate -q -j 2 @"$T/good"

zib validate -q --set $DIRS > "$T/setout" 2>&1
errors_of "$T/setout" > "$T/setgot"
grep -v '^#' tests/t6000-fhir-zib-set-errors.txt | cut -f1-3 | sort -u > "$T/setwant"
test_expect "validate --set: errors are exactly tests/t6000-fhir-zib-set-errors.txt" cmp "$T/setwant" "$T/setgot"
# References that stay open with --set point at resources the corpus does
# not have (the MDO example's own Patient, zib2017 patA's RelatedPerson).
grep 'ZIB-FHIRZ-002' "$T/setout" | sed -E "s/.*reference '([^']*)'.*/\1/" | sort -u > "$T/open"
printf '%s\n' Patient/nl-core-MultidisciplinaryTeamMeeting-01-Patient-01 \
	RelatedPerson/l-core-relatedperson-medmij-bgz-test-BENEDICTUSB-BEN1DEXXX-VRIES > "$T/openwant"
test_expect "validate --set: only references to resources missing from the corpus stay open" \
	cmp "$T/openwant" "$T/open"
test_expect "bloodpressure-valid" zib validate -q $C/fhir-r4-zib2020/examples/nl-core-BloodPressure-01.xml
test_expect "slice-table-current" python3 zib-models/gen_fhir_slices.py --check
test_expect "conceptmap-table-current" python3 zib-models/gen_fhir_conceptmaps.py --check
test_expect "zib-models-current" python3 zib-models/generate.py --check
[ $t_failed -eq 0 ]
