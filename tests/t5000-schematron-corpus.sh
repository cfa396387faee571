#!/bin/sh
# zib schematron on the BgZ 2020 ART-DECOR rule sets: the reference pipeline
# (Saxon-HE 9.9 + ISO skeleton) reports 0, 0 and 13 failed asserts for the
# three corpus documents, all 13 the closed-template assert of the section
# template; a mutated copy must fail a specific assert.
. tests/lib.sh

cda="$CORPUS/cda-bgz2020"
rt="$cda/bgz2020-runtime-develop"
if ! have_corpus || [ ! -d "$rt" ]; then
	test_skip "schematron corpus" "no BgZ 2020 rule set under $cda"
	exit 0
fi

# The mutated copies (below) are made first: one zib schematron run per
# rule set judges every document (it compiles the rule set once), and the
# checks read each document's findings (tests/lib.sh: findings_in).
# A mutated copy: the document's confidentialityCode gets a code outside the
# value set, which the ClinicalDocument template's vocabulary assert catches.
sed 's/<confidentialityCode code="N"/<confidentialityCode code="QQ"/' \
	"$cda/xml-BgZ2020.xml" > "$T/mutated.xml"
# Another: a wrong classCode on the document root.
sed '0,/classCode="DOCCLIN"/s//classCode="XXX"/' "$cda/xml-BgZ2020.xml" > "$T/m2.xml"
DOCS="$cda/xml-BgZ2020.xml $cda/xml-BgZ2020-test.xml $cda/xml-BgZ2020-notyetvalid.xml"
# shellcheck disable=SC2086
zib schematron -q "$rt/bgz2020-BasicHealthDataSet-createUpdate-2020.sch" $DOCS "$T/mutated.xml" "$T/m2.xml" \
	> "$T/createUpdate.out" 2>&1
# shellcheck disable=SC2086
zib schematron -q "$rt/bgz2020-BasicHealthDataSet-response-2020.sch" $DOCS > "$T/response.out" 2>&1

# count_failed TRANSACTION DOC: number of findings (failed asserts) on DOC
count_failed() {
	findings_in "$T/$1.out" "$2" > "$T/out"
	grep -c '^[^ ].*: \(error\|warning\|info\)\[SCH-' "$T/out"
}

expect_counts() {
	tr=$1
	! grep '^zib: ' "$T/$tr.out" || return 1
	[ "$(count_failed "$tr" "$cda/xml-BgZ2020.xml")" = 0 ] || { cat "$T/out"; return 1; }
	[ "$(count_failed "$tr" "$cda/xml-BgZ2020-test.xml")" = 0 ] || { cat "$T/out"; return 1; }
	[ "$(count_failed "$tr" "$cda/xml-BgZ2020-notyetvalid.xml")" = 13 ] || { cat "$T/out"; return 1; }
	[ "$(grep -c "'section' is gedefinieerd als gesloten" "$T/out")" = 13 ] || { cat "$T/out"; return 1; }
}

for tr in createUpdate response; do
	test_expect "schematron $tr: 0/0/13 failed asserts" expect_counts $tr
done

mutated() {
	grep -q 'confidentialityCode code="QQ"' "$T/mutated.xml" || { echo "sed did not apply"; return 1; }
	fails_in "$T/createUpdate.out" "$T/mutated.xml" || return 1
	findings_in "$T/createUpdate.out" "$T/mutated.xml" > "$T/out"
	grep -q "confidentialityCode" "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "schematron: mutated confidentialityCode fails" mutated

mutated_class() {
	fails_in "$T/createUpdate.out" "$T/m2.xml" || return 1
	findings_in "$T/createUpdate.out" "$T/m2.xml" > "$T/out"
	grep -q "classCode MOET 'DOCCLIN' zijn. Gevonden: \"XXX\"" "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "schematron: mutated classCode fails with its message" mutated_class

exit $t_failed
