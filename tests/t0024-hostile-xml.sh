#!/bin/sh
# XML input as XML parsers must take it, and hostile input bounded
# (issue 18).  The big inputs are made here by small generators.
#  - UTF-16 (with a BOM, or without one and with a declaration) reads as
#    the same document in UTF-8 does;
#  - a valid document under --max-size parses, however large one text node
#    or comment is (libxml2's own 10 MB limits are lifted), while an entity
#    declaration in such a document is still refused;
#  - 200,000 attributes on one element are refused at once;
#  - findings per document stop at 1000 with an "and N more" record;
#  - two values for one choice element (deceasedBoolean + deceasedDateTime)
#    are an error, in JSON and XML.
. tests/lib.sh

DOC=testdata/convert-cda/social.xml

if command -v python3 > /dev/null 2>&1; then
	have_python=1
else
	have_python=
	test_skip "hostile XML generators" "python3 not installed"
fi

utf16_reads() {
	python3 - "$DOC" "$T" <<'EOF' || return 1
import re, sys
src, out = sys.argv[1], sys.argv[2]
s = open(src, encoding='utf-8').read()
s = re.sub(r'^<\?xml[^>]*\?>', '<?xml version="1.0" encoding="UTF-16"?>', s)
open(out + '/bom-le.xml', 'wb').write(s.encode('utf-16'))
open(out + '/bom-be.xml', 'wb').write(b'\xfe\xff' + s.encode('utf-16-be'))
open(out + '/decl-be.xml', 'wb').write(s.encode('utf-16-be'))
open(out + '/decl-le.xml', 'wb').write(s.encode('utf-16-le'))
EOF
	zib extract --summary "$DOC" | sed 1d > "$T/want"
	for f in bom-le bom-be decl-be decl-le; do
		zib validate -q "$T/$f.xml" > "$T/out" 2>&1 || { echo "$f:"; cat "$T/out"; return 1; }
		zib extract --summary "$T/$f.xml" | sed 1d > "$T/got"
		cmp -s "$T/want" "$T/got" || { echo "$f: other zibs than the UTF-8 document"; return 1; }
	done
}

big_documents_parse() {
	python3 - "$DOC" "$T" <<'EOF' || return 1
import sys
src, out = sys.argv[1], sys.argv[2]
s = open(src, encoding='utf-8').read()
end = s.index('</ClinicalDocument>')
open(out + '/big-comment.xml', 'w').write(s[:end] + '<!-- ' + 'A' * 12000000 + ' -->\n' + s[end:])
t = s.index('<title>') + len('<title>')
open(out + '/big-text.xml', 'w').write(s[:t] + 'B' * 12000000 + s[t:])
decl = s.index('?>') + 2
open(out + '/big-entity.xml', 'w').write(s[:decl] + '<!-- <x> --><!DOCTYPE ClinicalDocument [<!ENTITY a "b">]>'
    + s[decl:end] + '<!-- ' + 'C' * 12000000 + ' -->' + s[end:])
EOF
	for f in big-comment big-text; do
		zib validate -q "$T/$f.xml" > "$T/out" 2>&1 || { echo "$f:"; cut -c1-200 "$T/out"; return 1; }
	done
	expect_exit 2 zib validate -q --max-size 1000000 "$T/big-text.xml" > "$T/out" 2>&1 || return 1
	grep -q 'over the limit' "$T/out" || { cat "$T/out"; return 1; }
	expect_exit 1 zib validate -q "$T/big-entity.xml" > "$T/out" 2>&1 || return 1
	grep -q 'ZIB-XML-002' "$T/out" || { cut -c1-200 "$T/out"; return 1; }
}

many_attributes_refused() {
	python3 - "$DOC" "$T" <<'EOF' || return 1
import sys
src, out = sys.argv[1], sys.argv[2]
s = open(src, encoding='utf-8').read()
i = s.index('<ClinicalDocument') + len('<ClinicalDocument')
attrs = ' '.join('a%d="1"' % n for n in range(200000))
open(out + '/attrs.xml', 'w').write(s[:i] + ' ' + attrs + s[i:])
EOF
	timeout 20 zib validate "$T/attrs.xml" > "$T/out" 2>&1
	rc=$?
	[ $rc -eq 1 ] || { echo "exit $rc, want 1 (124: timed out)"; return 1; }
	grep -q 'more than 1000 attributes' "$T/out" || { cat "$T/out"; return 1; }
}

findings_capped() {
	python3 -c '
import json, sys
d = {"resourceType": "Patient", "id": "p"}
for i in range(5000):
    d["x%d" % i] = 1
print(json.dumps(d))' > "$T/many.json" || return 1
	zib validate -v "$T/many.json" > "$T/out" 2>&1
	n=$(grep -c 'ZIB-FHIRZ-003' "$T/out")
	[ "$n" -eq 1001 ] || { echo "$n findings shown, want 1000 and the 'more' line"; return 1; }
	# 5000 unknown elements from the zib reader (ZIB-FHIRZ-003) and the
	# 101 errors of the FHIR conformance check (ZIB-FHIR-003, which stops
	# at 100 itself): 5101 findings, 4101 past the first 1000.
	grep -q 'and 4101 more findings not shown' "$T/out" || { tail -3 "$T/out"; return 1; }
	grep -q '^1 document, 101 errors' "$T/out" || { tail -1 "$T/out"; return 1; }
}

if [ -n "$have_python" ]; then
	test_expect "UTF-16 XML (BOM or declaration, LE or BE) reads as its UTF-8 twin" utf16_reads
	test_expect "a 12 MB text node or comment under --max-size parses; entities still refused" \
		big_documents_parse
	test_expect "200,000 attributes on one element: refused at once (exit 1)" many_attributes_refused
	test_expect "findings per document stop at 1000 with an 'and N more' line" findings_capped
fi

two_choice_values() {
	printf '{"resourceType":"Patient","id":"p","deceasedBoolean":true,"deceasedDateTime":"2020-01-01"}\n' \
		> "$T/choice.json"
	printf '<Patient xmlns="http://hl7.org/fhir"><id value="p"/><deceasedBoolean value="true"/>%s\n' \
		'<deceasedDateTime value="2020-01-01"/></Patient>' > "$T/choice.xml"
	for f in choice.json choice.xml; do
		expect_exit 1 zib validate "$T/$f" > "$T/out" 2>&1 || return 1
		grep -q "ZIB-FHIR-002.*choice element" "$T/out" || { cat "$T/out"; return 1; }
		expect_exit 1 zib convert --to json "$T/$f" > /dev/null 2> "$T/err" || return 1
	done
	# one value, and its _element partner, are fine.
	printf '{"resourceType":"Patient","id":"p","deceasedDateTime":"2020","_deceasedDateTime":{"id":"d"}}\n' \
		> "$T/one.json"
	zib convert --to json "$T/one.json" > /dev/null
}
test_expect "two values for one choice element are an error (JSON and XML)" two_choice_values

exit $t_failed
