#!/bin/sh
# The BgZ 2020 CDA corpus documents: validate as required, with and
# without the NL CDA schema, and notyetvalid is read completely.
. tests/lib.sh
D=$CORPUS/cda-bgz2020
if ! have_corpus || [ ! -d "$D" ]; then
	test_skip cda-corpus "no corpus at $D"
	exit 0
fi
DOCS="$D/xml-BgZ2020.xml $D/xml-BgZ2020-test.xml $D/xml-BgZ2020-notyetvalid.xml"
# One run per mode (a run loads the package or schema once); the checks
# read each document's findings (tests/lib.sh: passes_in, findings_in).
# The --package run also holds the two documents it must refuse, below.
# shellcheck disable=SC2086
zib validate -q $DOCS > "$T/plain.out" 2>&1
# shellcheck disable=SC2086
zib validate -q --package "$D" $DOCS testdata/validate/xxe.xml testdata/validate/bad-identity.xml \
	> "$T/package.out" 2>&1
# shellcheck disable=SC2086
zib validate -q --schema "$D/schemas/CDANL_extended.xsd" $DOCS > "$T/schema.out" 2>&1
# The diastolic blood pressure of xml-BgZ2020.xml and notyetvalid has no
# unit (HL7: unit 1, not mm[Hg]): one ZIB-UNIT-002 error each
# (tests/t3100-examples-expected.txt); notyetvalid also breaks the closed
# section templates: 13 Schematron errors (t5001).
one_unit_error_in() {
	findings_in "$1" "$2" > "$T/one" && ! grep '^zib: ' "$1" &&
		[ "$(grep -c ': error\[' "$T/one")" = 1 ] && grep -q ': error\[ZIB-UNIT-002\]' "$T/one" ||
		{ cat "$T/one"; return 1; }
}
for f in xml-BgZ2020.xml xml-BgZ2020-test.xml xml-BgZ2020-notyetvalid.xml; do
	if [ "$f" = xml-BgZ2020-test.xml ]; then
		test_expect "validate $f" passes_in "$T/plain.out" "$D/$f"
		test_expect "validate --package $f" passes_in "$T/package.out" "$D/$f"
		test_expect "validate --schema $f" passes_in "$T/schema.out" "$D/$f"
		continue
	fi
	test_expect "validate $f: the one unit error" one_unit_error_in "$T/plain.out" "$D/$f"
	if [ "$f" = xml-BgZ2020-notyetvalid.xml ]; then
		test_expect "validate --package $f" fails_in "$T/package.out" "$D/$f"
	else
		test_expect "validate --package $f: the one unit error" one_unit_error_in "$T/package.out" "$D/$f"
	fi
	test_expect "validate --schema $f: the one unit error" one_unit_error_in "$T/schema.out" "$D/$f"
done
zib validate -q --dump-tree "$D/xml-BgZ2020-notyetvalid.xml" > "$T/tree"
# Instance counts per zib, checked by hand against the document.
cat > "$T/want" <<'COUNTS'
1 AlcoholGebruik
1 Alert
1 AllergieIntolerantie
1 BehandelAanwijzing
1 Bloeddruk
1 BurgerlijkeStaat
1 Contact
2 Contactpersoon
1 DrugsGebruik
1 FunctioneleOfMentaleStatus
1 Lichaamsgewicht
1 Lichaamslengte
4 MedischHulpmiddel
1 Patient
4 Probleem
1 Vaccinatie
3 Verrichting
1 Wilsverklaring
1 Woonsituatie
7 Zorgaanbieder
9 Zorgverlener
14 section
COUNTS
grep -v '^ \|^unmapped\|^document' "$T/tree" | awk '{print $1}' | sort | uniq -c | awk '{print $1, $2}' > "$T/got"
test_expect "notyetvalid: instances per zib" cmp "$T/want" "$T/got"
# What stays unmapped is exactly each document's allow-list (each line says
# why; "GAP:" lines have a zib home the reader does not reach yet).
unmapped_of() {
	zib validate -q --dump-tree "$D/$1" | grep '^unmapped' | sed 's/^unmapped .* at //; s/\[[0-9]*\]//g; s/hl7://g;
	s|^/ClinicalDocument/component/structuredBody/component/section/entry/|entry/|;
	s|^/ClinicalDocument/|header/|' | sort -u
}
for pair in notyetvalid:xml-BgZ2020-notyetvalid.xml bgz2020:xml-BgZ2020.xml test:xml-BgZ2020-test.xml; do
	key=${pair%%:*}; f=${pair#*:}
	unmapped_of "$f" > "$T/unmapped-$key"
	grep -v '^#' "tests/t3000-$key-unmapped.txt" | cut -f1 | sort -u > "$T/allowed-$key"
	test_expect "$f: unmapped content is exactly the allow-list" cmp "$T/allowed-$key" "$T/unmapped-$key"
done
# The two valid documents leave nothing with a zib home unmapped.
test_expect "valid documents: no GAP left" sh -c "! grep -q '	GAP:' tests/t3000-bgz2020-unmapped.txt tests/t3000-test-unmapped.txt"
test_expect "notyetvalid: no unknown templates" sh -c "! grep -q '^unmapped content of unknown template' '$T/tree'"
test_expect "notyetvalid: every entry template read" sh -c "! zib validate -q '$D/xml-BgZ2020-notyetvalid.xml' | grep -q ZIB-CDA-013"
# reported_in OUT FILE CODE: OUT has a finding CODE on FILE.
reported_in() {
	findings_in "$1" "$2" | grep -q "$3"
}
test_expect "schema: XXE document still refused after schema load" \
	reported_in "$T/package.out" testdata/validate/xxe.xml ZIB-XML-002
test_expect "schema: invalid document reported" \
	reported_in "$T/package.out" testdata/validate/bad-identity.xml ZIB-XSD-001
[ $t_failed -eq 0 ]
