#!/bin/sh
# zib diff and zib extract over the shared corpus:
#  - every corpus document a zib reader supports diffs empty against itself
#    (exit 0); documents of formats without a zib reader yet (CDA, FHIR)
#    and files that are no documents are counted on "skip" lines with the
#    reason, so the count shows when the CDA and FHIR readers land;
#  - a directory diffs empty against itself;
#  - zib extract --summary counts for three ADA documents, verified by hand;
#  - the CSV of all ADA documents parses back with python3's csv module.
. tests/lib.sh

if ! have_corpus; then
	test_skip "diff and extract over the corpus" "no corpus at $CORPUS"
	exit 0
fi

# One pass of extract sorts the corpus: readable documents on stdout (one
# JSON summary line each), the others on stderr with the reason.
# fhir-test-cases holds HL7's validator and FHIRPath cases, broken on purpose
# (malformed JSON, undefined entities): the validator tests use them.
set --
for d in "$CORPUS"/*/; do
	[ "$(basename "$d")" = fhir-test-cases ] || set -- "$@" "${d%/}"
done
zib extract --summary --format json "$@" > "$T/summary.json" 2> "$T/summary.err"

n_unsupported=$(grep -c 'unsupported document format' "$T/summary.err")
n_nodoc=$(grep -c 'not a CDA, FHIR or ADA document' "$T/summary.err")
others() {
	grep -v -e 'unsupported document format' -e 'not a CDA, FHIR or ADA document' "$T/summary.err"
}
n_other=$(others | grep -c .)
for fmt in cda fhir-xml fhir-json; do
	n=$(grep -c "unsupported document format '$fmt'" "$T/summary.err")
	[ "$n" -gt 0 ] && test_skip "zib diff X X for $n $fmt documents" "no $fmt zib reader yet"
done
[ "$n_nodoc" -gt 0 ] &&
	test_skip "zib diff X X for $n_nodoc files" "XML that is no CDA, FHIR or ADA document (DECOR, vocabulary, mapping bundles)"

no_other_errors() {
	[ "$n_other" -eq 0 ] || { others; return 1; }
}
test_expect "every corpus file is read, or refused with a reason ($n_unsupported unsupported)" \
	no_other_errors

# Documents with BgZ zib instances: zib diff compares two sides, not a
# list of pairs, so one run per document, JOBS runs at a time; what differs
# is printed.  The many documents without one (FHIR definitions, examples of
# other zibs) are read as one set, in one run: each separate run would
# only start a sanitized process to compare nothing.
grep '"instances": [1-9]' "$T/summary.json" |
	sed -n 's/^{"format_version": 1, "file": "\([^"]*\)".*/\1/p' > "$T/with"
grep -v '"instances": [1-9]' "$T/summary.json" |
	sed -n 's/^{"format_version": 1, "file": "\([^"]*\)".*/\1/p' > "$T/without"
all_same_as_itself() {
	# Each: exit 0, nothing on stdout, one "no differences" summary line.
	tr '\n' '\0' < "$T/with" | xargs -0 -P "${JOBS:-2}" -n 50 sh -c '
		o=$0.$$.out e=$0.$$.err
		for f; do
			zib diff "$f" "$f" > "$o" 2> "$e"
			rc=$?
			[ $rc -eq 0 ] && [ ! -s "$o" ] && [ "$(grep -c . "$e")" = 1 ] &&
				grep -q "^no differences; " "$e" ||
				{ echo "zib diff $f $f: exit $rc"; head -5 "$o" "$e"; }
		done' "$T/w" > "$T/d.out" 2>&1
	[ ! -s "$T/d.out" ] || { cat "$T/d.out"; return 1; }
	n=$(wc -l < "$T/with")
	# The 2 BgZ MSZ test patients, the 3 BgZ 2020 CDA documents and the
	# zib2020 examples of BgZ zibs, at least.
	[ "$n" -ge 400 ] || { echo "only $n documents with instances read"; return 1; }
}
test_expect "zib diff X X is empty for every corpus document with instances ($(wc -l < "$T/with"))" \
	all_same_as_itself

none_as_a_set() {
	zib diff "@$T/without" "@$T/without" > "$T/z.out" 2> "$T/z.err" &&
		[ ! -s "$T/z.out" ] &&
		grep -q '^no differences; 0 instances in A, 0 in B' "$T/z.err" &&
		[ "$(wc -l < "$T/without")" -ge 1000 ] || { cat "$T/z.out" "$T/z.err"; return 1; }
}
test_expect "zib diff LIST LIST is empty for the $(wc -l < "$T/without") documents without instances" \
	none_as_a_set

test_expect "zib diff DIR DIR is empty for the ADA zib2020 directory" \
	zib diff "$CORPUS/ada-zib2020/ada_instance" "$CORPUS/ada-zib2020/ada_instance"

# instances FILE ZIB: the number of ZIB instances in FILE's summary.
instances() {
	grep "\"file\": \"$CORPUS/$1\"" "$T/summary.json" |
		sed "s/.*\"zib\": \"$2\", \"instances\": \([0-9]*\).*/\1/"
}

# expect_counts FILE ZIB=N...: the summary of FILE says so.
expect_counts() {
	file=$1; shift
	for kv in "$@"; do
		got=$(instances "$file" "${kv%=*}")
		[ "$got" = "${kv#*=}" ] || { echo "$file: ${kv%=*} want ${kv#*=}, got '$got'"; return 1; }
	done
}

# Counted by hand: the children of each BgZ section element of the
# transaction (python3 ElementTree, `for sec in data/sturen: Counter(c.tag
# for c in sec)`), plus the zorgverlener/zorgaanbieder elements of the
# "bouwstenen" section; product, zorg_team and metagegevens are no zibs.
test_expect "summary of BgZ MSZ test patient D matches the hand count" expect_counts \
	ada-bgz-msz-2.0/ada_instance/BgZ-msz-tst-patD-SLB.xml \
	Patient=1 Betaler=1 BehandelAanwijzing=1 Wilsverklaring=1 Contactpersoon=1 \
	FunctioneleOfMentaleStatus=2 Probleem=4 Woonsituatie=1 DrugsGebruik=2 AlcoholGebruik=1 \
	TabakGebruik=1 Voedingsadvies=2 Alert=2 AllergieIntolerantie=2 MedicatieAfspraak=1 \
	ToedieningsAfspraak=1 MedicatieGebruik=1 MedischHulpmiddel=4 Vaccinatie=2 Bloeddruk=1 \
	Lichaamsgewicht=1 Lichaamslengte=1 LaboratoriumUitslag=2 Verrichting=3 Contact=6 \
	Zorgverlener=5 Zorgaanbieder=4 BurgerlijkeStaat=1

# Patient C: the same count; sections functionele status has none.
test_expect "summary of BgZ MSZ test patient C matches the hand count" expect_counts \
	ada-bgz-msz-2.0/ada_instance/BgZ-msz-tst-patC-SLB.xml \
	Patient=1 Betaler=1 BehandelAanwijzing=1 Wilsverklaring=1 Contactpersoon=1 \
	FunctioneleOfMentaleStatus=0 Probleem=2 Woonsituatie=1 DrugsGebruik=1 AlcoholGebruik=1 \
	TabakGebruik=1 Voedingsadvies=1 Alert=1 AllergieIntolerantie=1 MedicatieAfspraak=1 \
	ToedieningsAfspraak=1 MedicatieGebruik=1 MedischHulpmiddel=1 Vaccinatie=1 Bloeddruk=1 \
	Lichaamsgewicht=1 Lichaamslengte=1 LaboratoriumUitslag=1 Verrichting=1 Contact=1 \
	Zorgverlener=1 Zorgaanbieder=1

# Read by eye: one verrichting whose "referenties" hold a probleem, a
# medisch_hulpmiddel, a zorgaanbieder and a zorgverlener (ids prob1, mh1,
# za1, zv1), each referenced from the verrichting.
test_expect "summary of nl-core-Procedure-01 matches the hand count" expect_counts \
	ada-zib2020/ada_instance/nl-core-Procedure-01.xml \
	Verrichting=1 Probleem=1 MedischHulpmiddel=1 Zorgaanbieder=1 Zorgverlener=1 Patient=0

# Counted by hand in the CDA: recordTarget/patientRole/patient (Patient) with
# its maritalStatusCode (BurgerlijkeStaat) and guardian (Contactpersoon);
# participant IND with the contact person template ...3.10.35
# (Contactpersoon) and with the care provider template ...3.10.1.34
# (Zorgverlener); author/assignedAuthor/assignedPerson (Zorgverlener) and
# its representedOrganization (Zorgaanbieder; the custodian's organization
# is no zib); the one entry of the social history section (AlcoholGebruik).
test_expect "summary of the BgZ 2020 CDA test document matches the hand count" expect_counts \
	cda-bgz2020/xml-BgZ2020-test.xml \
	Patient=1 BurgerlijkeStaat=1 Contactpersoon=2 Zorgverlener=2 Zorgaanbieder=1 \
	AlcoholGebruik=1 Probleem=0 Bloeddruk=0

# Read by eye in the STU3 fixture of patient C: one Patient resource with
# one contact (Contactpersoon Jansen) and no maritalStatus (so no
# BurgerlijkeStaat row: related zibs show only when present).  (Patient D's
# fixture has a contact too, which the FHIR reader does not read yet: see
# testdata/diff/ada-stu3/expected.txt, class c-contactperson.)
test_expect "summary of the STU3 fixture Patient of test patient C matches the hand count" \
	expect_counts fhir-stu3-bgz/BgZ-MSZ-2-0/Test/_reference/resources/bgz-msz-patC.xml \
	Patient=1 Contactpersoon=1 Probleem=0 Betaler=0

# Every format counts zib-level errors now: dates are judged as the source
# writes them (HL7 TS in CDA, ISO 8601 in FHIR and ADA).
errors_counted() {
	! grep -q '"errors": null' "$T/summary.json" &&
		grep -q '"format": "ada", "zibs": \[{"n": "1", "section": "[^"]*", "zib": "Patient", "instances": 1, "errors": 0' "$T/summary.json" &&
		grep -q '"format": "fhir-xml", "zibs": \[{"n": "1", "section": "[^"]*", "zib": "Patient", "instances": 1, "errors": 0' "$T/summary.json" &&
		grep -q '"format": "cda", "zibs": \[{"n": "1", "section": "[^"]*", "zib": "Patient", "instances": 1, "errors": [0-9]' "$T/summary.json"
}
test_expect "summary counts zib-level errors for CDA, FHIR and ADA documents" errors_counted

# The BgZ MSZ test patient D in ADA has one error: a medisch hulpmiddel
# with two AnatomischeLocatie (0..1) -- the zib2017 lateraliteit read into
# the zib2020 group; no date of the test patients is refused.
ada_errors() {
	[ "$(instances ada-bgz-msz-2.0/ada_instance/BgZ-msz-tst-patD-SLB.xml MedischHulpmiddel)" = 4 ] &&
		grep '"file": "'"$CORPUS"'/ada-bgz-msz-2.0/ada_instance/BgZ-msz-tst-patD-SLB.xml"' "$T/summary.json" |
		grep -q '"zib": "MedischHulpmiddel", "instances": 4, "errors": 1}' &&
		! zib validate "$CORPUS/ada-bgz-msz-2.0" | grep -q 'ZIB-DT-001'
}
test_expect "ADA errors: patient D's medisch hulpmiddel, no test date refused" ada_errors

references_resolve() {
	zib extract --to tree "$CORPUS/ada-zib2020/ada_instance/nl-core-Procedure-01.xml" > "$T/tree"
	[ "$(grep -c ' ref=' "$T/tree")" -eq 4 ] && ! grep -q '(unresolved)' "$T/tree"
}
test_expect "the references of nl-core-Procedure-01 resolve" references_resolve

csv_parses() {
	if ! command -v python3 > /dev/null 2>&1; then
		echo "python3 not found: CSV not parsed back"
		return 0
	fi
	zib extract --to csv "$CORPUS/ada-zib2020/ada_instance" "$CORPUS/ada-bgz-msz-2.0" \
		> "$T/all.csv" || return 1
	zib extract --summary --format json "$CORPUS/ada-zib2020/ada_instance" \
		"$CORPUS/ada-bgz-msz-2.0" > "$T/all.json" || return 1
	python3 - "$T/all.csv" "$T/all.json" <<'EOF'
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    raw = f.read()
assert raw.endswith('\r\n'), 'rows end in CRLF'
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
header, body = rows[0], rows[1:]
assert header[:4] == ['file', 'zib', 'id', 'line'], header[:4]
bad = [r for r in body if len(r) != len(header)]
assert not bad, '%d rows of the wrong width' % len(bad)
want, total = 0, None
for line in open(sys.argv[2], encoding='utf-8'):
    d = json.loads(line)
    if 'total' in d:   # the batch's totals per zib, last
        total = sum(z['instances'] for z in d['total']['zibs'])
        continue
    want += sum(z['instances'] for z in d['zibs'])
assert len(body) == want, 'rows %d, instances %d' % (len(body), want)
assert total == want, 'the totals line says %s instances, the documents %d' % (total, want)
EOF
}
test_expect "CSV of every ADA document is RFC 4180 and has one row per instance" csv_parses

exit $t_failed
