#!/bin/sh
# One exit-status table for every command, as zib(1) states it (issue 18):
#   0 success; 1 findings, including a malformed document or one that is
#   not a CDA, FHIR or ADA document; 2 usage, an input that cannot be read,
#   an output that cannot be written; 3 internal error.
# Each command meets each kind of failure; the table below is the test.
. tests/lib.sh

OK_CDA=testdata/convert-cda/social.xml
OK_FHIR=testdata/validate-fhir/card-001-ok.json
printf '<ClinicalDocument xmlns="urn:hl7-org:v3"><id' > "$T/malformed.xml"
printf '{"resourceType": "Patient", ' > "$T/malformed.json"
printf 'null' > "$T/null.json"
printf '\177ELF\002\001\001\000\000\000\000binary' > "$T/binary.json"
mkdir "$T/empty"
cat > "$T/rules.sch" <<'EOF'
<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="/*"><assert test="true()">x</assert></rule></pattern></schema>
EOF
cat > "$T/fails.sch" <<'EOF'
<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="/*"><assert test="false()">always</assert></rule></pattern></schema>
EOF

# Each row: WANT COMMAND (run from the project root; stdout to /dev/null
# unless the row redirects it itself).
cat > "$T/table" <<EOF
0 zib validate $OK_CDA
0 zib extract $OK_CDA
0 zib convert --to fhir-r4 $OK_CDA
0 zib convert --to json $OK_FHIR
0 zib schematron $T/rules.sch $OK_CDA
0 zib diff $OK_CDA $OK_CDA
0 zib models
1 zib validate testdata/validate/bad-bsn.xml
1 zib schematron $T/fails.sch $OK_CDA
1 zib diff $OK_CDA $OK_FHIR
1 zib validate $T/malformed.xml
1 zib validate $T/malformed.json
1 zib validate $T/null.json
1 zib validate $T/binary.json
1 zib extract $T/malformed.xml
1 zib extract $T/malformed.json
1 zib extract $T/null.json
1 zib extract $T/binary.json
1 zib convert --to fhir-r4 $T/malformed.xml
1 zib convert --to fhir-r4 $T/null.json
1 zib convert --to fhir-r4 $T/binary.json
1 zib convert --to json $T/malformed.json
1 zib schematron $T/rules.sch $T/malformed.xml
1 zib diff $T/malformed.xml $OK_CDA
1 zib diff $OK_CDA $T/malformed.json
1 zib diff $T/null.json $OK_CDA
1 zib diff $T/binary.json $OK_CDA
2 zib validate $T/missing.xml
2 zib extract $T/missing.xml
2 zib convert --to fhir-r4 $T/missing.xml
2 zib schematron $T/rules.sch $T/missing.xml
2 zib schematron $T/missing.sch $OK_CDA
2 zib diff $T/missing.xml $OK_CDA
2 zib diff $T/malformed.xml $T/missing.xml
2 zib validate $T/empty
2 zib extract $T/empty
2 zib convert --to fhir-r4 $T/empty
2 zib schematron $T/rules.sch $T/empty
2 zib diff $T/empty $OK_CDA
2 zib --models $T/empty models
2 zib validate --frob $OK_CDA
2 zib extract --frob $OK_CDA
2 zib convert --frob $OK_CDA
2 zib schematron --frob $T/rules.sch $OK_CDA
2 zib diff --frob $OK_CDA $OK_CDA
2 zib models --frob
2 zib validate
2 zib diff $OK_CDA
2 zib convert --to fhir-r4 -o $T/empty/sub/x.json/y.json $OK_CDA
EOF
if [ -w /dev/full ]; then
	cat >> "$T/table" <<EOF
2 zib validate --format json $OK_CDA > /dev/full
2 zib extract $OK_CDA > /dev/full
2 zib convert --to fhir-r4 $OK_CDA > /dev/full
2 zib convert --to json $OK_FHIR > /dev/full
2 zib schematron --format json $T/rules.sch $OK_CDA > /dev/full
2 zib diff $OK_CDA $OK_FHIR > /dev/full
2 zib models > /dev/full
EOF
else
	test_skip "write failure to /dev/full" "no writable /dev/full on this system"
fi
: > "$T/plain"
echo "2 zib convert --to fhir-r4 -o $T/plain/x.json $OK_CDA" >> "$T/table"

every_row() {
	bad=0
	while read -r want cmd; do
		case $cmd in
		*'> /dev/full') sh -c "$cmd" 2> /dev/null ;;
		*) sh -c "$cmd" > /dev/null 2>&1 < /dev/null ;;
		esac
		got=$?
		[ "$got" = "$want" ] || { echo "exit $got, want $want: $cmd"; bad=1; }
	done < "$T/table"
	return $bad
}
test_expect "every command and failure kind exits as zib(1) says ($(wc -l < "$T/table") cases)" every_row

man_states_table() {
	mandoc -T ascii man/zib.1 | sed 's/.\x08//g' | tr '\n' ' ' | tr -s ' ' > "$T/man" || return 1
	grep -q 'output that cannot be written' "$T/man" || { echo "zib.1 does not say write failure is 2"; return 1; }
	grep -q 'not a CDA, FHIR or ADA' "$T/man" || { echo "zib.1 does not say non-documents are 1"; return 1; }
}
if command -v mandoc > /dev/null 2>&1; then
	test_expect "zib(1) EXIT STATUS names malformed (1) and write failures (2)" man_states_table
else
	test_skip "zib(1) EXIT STATUS" "mandoc not installed"
fi

exit $t_failed
