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

# count_failed RULES DOC: number of findings (failed asserts) in text output
count_failed() {
	zib schematron -q "$1" "$2" > "$T/out" 2>&1
	grep -c '^[^ ].*: \(error\|warning\|info\)\[SCH-' "$T/out"
}

expect_counts() {
	rules=$1
	[ "$(count_failed "$rules" "$cda/xml-BgZ2020.xml")" = 0 ] || { cat "$T/out"; return 1; }
	[ "$(count_failed "$rules" "$cda/xml-BgZ2020-test.xml")" = 0 ] || { cat "$T/out"; return 1; }
	[ "$(count_failed "$rules" "$cda/xml-BgZ2020-notyetvalid.xml")" = 13 ] || { cat "$T/out"; return 1; }
	[ "$(grep -c "'section' is gedefinieerd als gesloten" "$T/out")" = 13 ] || { cat "$T/out"; return 1; }
}

for tr in createUpdate response; do
	test_expect "schematron $tr: 0/0/13 failed asserts" \
		expect_counts "$rt/bgz2020-BasicHealthDataSet-$tr-2020.sch"
done

# A mutated copy: the document's confidentialityCode gets a code outside the
# value set, which the ClinicalDocument template's vocabulary assert catches.
mutated() {
	sed 's/<confidentialityCode code="N"/<confidentialityCode code="QQ"/' \
		"$cda/xml-BgZ2020.xml" > "$T/mutated.xml"
	grep -q 'confidentialityCode code="QQ"' "$T/mutated.xml" || { echo "sed did not apply"; return 1; }
	expect_exit 1 zib schematron -q "$rt/bgz2020-BasicHealthDataSet-createUpdate-2020.sch" \
		"$T/mutated.xml" > "$T/out" 2>&1
	grep -q "confidentialityCode" "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "schematron: mutated confidentialityCode fails" mutated

# Another: a wrong classCode on the document root.
mutated_class() {
	sed '0,/classCode="DOCCLIN"/s//classCode="XXX"/' "$cda/xml-BgZ2020.xml" > "$T/m2.xml"
	expect_exit 1 zib schematron -q "$rt/bgz2020-BasicHealthDataSet-createUpdate-2020.sch" \
		"$T/m2.xml" > "$T/out" 2>&1
	grep -q "classCode MOET 'DOCCLIN' zijn. Gevonden: \"XXX\"" "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "schematron: mutated classCode fails with its message" mutated_class

exit $t_failed
