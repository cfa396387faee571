#!/bin/sh
# zib validate with the BgZ 2020 ART-DECOR runtime package: the XSD, the
# zib rules and the Schematron rule file (by --transaction or chosen per
# document through bgz2020-instance2schematron.xml) in one run.  The
# reference pipeline (Saxon + ISO skeleton) fails 0, 0 and 13 asserts;
# the other findings are validate's own: none for -test, and for the
# other two the diastolic value without unit (ZIB-UNIT-002, an error since
# issue 21) and the absent systolic value (ZIB-CARD-001, a warning).
. tests/lib.sh

D="$CORPUS/cda-bgz2020"
if ! have_corpus || [ ! -d "$D/bgz2020-runtime-develop" ]; then
	test_skip "validate --package schematron" "no BgZ 2020 runtime package under $D"
	exit 0
fi

# A run compiles its rule file once: one run per transaction judges the
# documents, the checks read each document's findings (tests/lib.sh).
zib validate -q --package "$D" --transaction createUpdate "$D/xml-BgZ2020.xml" "$D/xml-BgZ2020-test.xml" \
	"$D/xml-BgZ2020-notyetvalid.xml" > "$T/createUpdate.out" 2>&1
zib validate -q --package "$D" --transaction response "$D/xml-BgZ2020.xml" "$D/xml-BgZ2020-test.xml" \
	> "$T/response.out" 2>&1
zib validate -q --package "$D" "$D/xml-BgZ2020-notyetvalid.xml" > "$T/auto.out" 2>&1
for tr in createUpdate response; do
	test_expect "validate --package --transaction $tr xml-BgZ2020-test.xml: exit 0" \
		passes_in "$T/$tr.out" "$D/xml-BgZ2020-test.xml"
	only_unit_error() {
		findings_in "$T/$tr.out" "$D/xml-BgZ2020.xml" > "$T/out" && ! grep '^zib: ' "$T/$tr.out" &&
		[ "$(grep -c ': error\[' "$T/out")" = 1 ] && grep -q ': error\[ZIB-UNIT-002\]' "$T/out" ||
			{ cat "$T/out"; return 1; }
	}
	test_expect "validate --package --transaction $tr xml-BgZ2020.xml: only the unit error" only_unit_error
done

# notyetvalid: exactly the 13 closed-template asserts, as errors, besides
# the known zib-rule findings (ZIB-UNIT-002, ZIB-CARD-001; the document's
# GTIN, G-Standaard, ATC and Weescodes code systems are known to the models).
notyetvalid() {
	fails_in "$T/$1.out" "$D/xml-BgZ2020-notyetvalid.xml" || return 1
	findings_in "$T/$1.out" "$D/xml-BgZ2020-notyetvalid.xml" > "$T/out"
	[ "$(grep -c ': error\[SCH-' "$T/out")" = 13 ] || { cat "$T/out"; return 1; }
	[ "$(grep -c "'section' is gedefinieerd als gesloten" "$T/out")" = 13 ] || { cat "$T/out"; return 1; }
	[ "$(grep -c ': error\[' "$T/out")" = 14 ] || { cat "$T/out"; return 1; }
	[ "$(grep -c ': error\[ZIB-UNIT-002\]' "$T/out")" = 1 ] || { cat "$T/out"; return 1; }
	[ "$(grep -c ': warning\[ZIB-' "$T/out")" = 1 ] || { cat "$T/out"; return 1; }
	! grep -q 'ZIB-VS-002' "$T/out" || { cat "$T/out"; return 1; }
	! grep -q 'ZIB-SCH-00' "$T/out" || { cat "$T/out"; return 1; }
	grep -q '^    at /hl7:ClinicalDocument/hl7:component/hl7:structuredBody/hl7:component\[1\]/hl7:section/hl7:entry$' "$T/out" ||
		{ cat "$T/out"; return 1; }
}
test_expect "notyetvalid --transaction createUpdate: 13 SCH errors + 1 unit error + 1 warning" notyetvalid createUpdate
test_expect "notyetvalid, rule file by instance2schematron: the same" notyetvalid auto

# Automatic choice: the map's first match for templateId ...126.10.1 is the
# createUpdate rule file; the SVRL (with the rule file's title) is the same.
zib validate -q --format svrl --package "$D" --transaction createUpdate \
	"$D/xml-BgZ2020-notyetvalid.xml" > "$T/cu.svrl" 2>/dev/null
same_svrl() {
	zib validate -q --format svrl --package "$D" "$D/xml-BgZ2020-notyetvalid.xml" > "$T/auto.svrl" 2>/dev/null
	cmp "$T/auto.svrl" "$T/cu.svrl" || return 1
	grep -q 'title="Schematron file for transaction Aanmaken of bijwerken' "$T/auto.svrl" || return 1
	[ "$(grep -c '<svrl:failed-assert' "$T/auto.svrl")" = 13 ]
}
test_expect "instance2schematron picks createUpdate (same SVRL)" same_svrl

# The SVRL of validate is zib schematron's.
svrl_as_schematron() {
	zib schematron --format svrl "$D/bgz2020-runtime-develop/bgz2020-BasicHealthDataSet-createUpdate-2020.sch" \
		"$D/xml-BgZ2020-notyetvalid.xml" > "$T/sch.svrl"
	cmp "$T/cu.svrl" "$T/sch.svrl"
}
test_expect "validate --format svrl equals zib schematron --format svrl" svrl_as_schematron

# Several inputs: one SVRL per input in -o DIR, in every thread count.
svrl_dir() {
	mkdir -p "$T/svrl"
	expect_exit 1 zib validate -q -j 2 --format svrl -o "$T/svrl" --package "$D" \
		"$D/xml-BgZ2020.xml" "$D/xml-BgZ2020-test.xml" "$D/xml-BgZ2020-notyetvalid.xml" 2>/dev/null || return 1
	[ "$(ls "$T/svrl" | wc -l)" = 3 ] &&
	[ "$(grep -c '<svrl:failed-assert' "$T/svrl/xml-BgZ2020-notyetvalid.svrl")" = 13 ] &&
	! grep -q '<svrl:failed-assert' "$T/svrl/xml-BgZ2020.svrl"
}
test_expect "--format svrl -o DIR: one SVRL per input" svrl_dir

# Machine formats carry the Schematron findings.
json_has_sch() {
	zib validate -q --format json --package "$D" --transaction createUpdate \
		"$D/xml-BgZ2020-notyetvalid.xml" > "$T/json"
	[ "$(grep -o '"code": "SCH-[0-9a-f]*"' "$T/json" | wc -l)" = 13 ]
}
test_expect "--format json has the 13 SCH findings" json_has_sch

bad_transaction() {
	expect_exit 2 zib validate --package "$D" --transaction nosuch "$D/xml-BgZ2020.xml" 2> "$T/err" || return 1
	grep -q "createUpdate (bgz2020-BasicHealthDataSet-createUpdate-2020.sch), response" "$T/err" || { cat "$T/err"; return 1; }
	expect_exit 2 zib validate --package "$D" --transaction BasicHealthDataSet "$D/xml-BgZ2020.xml" 2> "$T/err" || return 1
	grep -q "ambiguous transaction" "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "--transaction unknown or ambiguous: exit 2 with the choices" bad_transaction

# A document the map does not cover gets ZIB-SCH-002.
no_map() {
	zib validate -q --package "$D" "$D/decor-parameters.xml" > "$T/out"
	grep -q 'warning\[ZIB-SCH-002\]' "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "a document no map applies to: ZIB-SCH-002" no_map

exit $t_failed
