#!/bin/sh
# zib diff and NDJSON, the rule of every command (issue 18): each line is
# its own document with its own line number; a line that does not parse is
# reported as FILE:LINE and left out, the good lines are compared, and the
# exit status is 1 even when they are the same; blank lines are skipped.
. tests/lib.sh

# pat ID BIRTHDATE: one Patient line.
pat() {
	printf '{"resourceType":"Patient","id":"%s","birthDate":"%s"}\n' "$1" "$2"
}
{ pat p1 1950-01-01; pat p2 1960-02-02; pat p3 1970-03-03; } > "$T/a.ndjson"
# B: p2 changed, a malformed line 3, a blank line first and between.
{ echo; pat p1 1950-01-01; echo '{"resourceType":"Patient","id":'; echo '  '
  pat p2 1961-02-02; pat p3 1970-03-03; echo; } > "$T/b.ndjson"
# B without the change: the good lines equal A.
{ pat p1 1950-01-01; echo '{"resourceType":"Patient","id":'; pat p2 1960-02-02
  pat p3 1970-03-03; } > "$T/same-but-bad.ndjson"

bad_line_reported_good_lines_compared() {
	expect_exit 1 zib diff "$T/a.ndjson" "$T/b.ndjson" > "$T/out" 2> "$T/err" || return 1
	grep -q "b.ndjson:3:[0-9]*: error\[ZIB-FHIR-001\]" "$T/err" || { cat "$T/err"; return 1; }
	# The good lines were compared: p2's birth date, on B's line 5.
	grep -q '^  NL-CM:0.1.10 Geboortedatum' "$T/out" || { cat "$T/out"; return 1; }
	grep -q '+ 1961-02-02  .*b.ndjson:5 Patient.birthDate' "$T/out" || { cat "$T/out"; return 1; }
	grep -q '3 instances in A, 3 in B, 3 matched' "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "a malformed line is reported as file:line, the good lines compared, exit 1" \
	bad_line_reported_good_lines_compared

bad_line_exit_1_without_differences() {
	expect_exit 1 zib diff "$T/a.ndjson" "$T/same-but-bad.ndjson" > "$T/out" 2> "$T/err" || return 1
	[ ! -s "$T/out" ] || { cat "$T/out"; return 1; }
	grep -q 'same-but-bad.ndjson:2:' "$T/err" || { cat "$T/err"; return 1; }
	grep -q '^no differences; 3 instances in A, 3 in B, 3 matched' "$T/err" || { cat "$T/err"; return 1; }
	# Either side: A is read by the same rule.
	expect_exit 1 zib diff "$T/same-but-bad.ndjson" "$T/a.ndjson" > /dev/null 2> "$T/err" || return 1
	grep -q 'same-but-bad.ndjson:2:' "$T/err" || { cat "$T/err"; return 1; }
	# The JSON report lists the differences of the good lines all the same.
	expect_exit 1 zib diff --format json "$T/a.ndjson" "$T/b.ndjson" > "$T/out" 2> /dev/null || return 1
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["differences"]) == 1, d' \
		"$T/out" || return 1
}
test_expect "the same good lines with a bad one: no differences, still exit 1" \
	bad_line_exit_1_without_differences

blank_lines_skipped() {
	{ echo; pat p1 1950-01-01; echo '   '; pat p2 1960-02-02; printf '\r\n'; pat p3 1970-03-03; echo; } \
		> "$T/blank.ndjson"
	zib diff "$T/a.ndjson" "$T/blank.ndjson" > "$T/out" 2> "$T/err" || { cat "$T/out" "$T/err"; return 1; }
	! grep -q 'error' "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "blank lines (first, between, last, CR only) are skipped: exit 0" blank_lines_skipped

set_with_bad_line() {
	# A directory side is one FHIR set; its NDJSON file is read line by line.
	mkdir "$T/set"
	cp "$T/b.ndjson" "$T/set/patients.ndjson"
	printf '{"resourceType":"Patient","id":"p4","birthDate":"1980-04-04"}\n' > "$T/set/p4.json"
	expect_exit 1 zib diff "$T/a.ndjson" "$T/set" > "$T/out" 2> "$T/err" || return 1
	grep -q 'patients.ndjson:3:' "$T/err" || { cat "$T/err"; return 1; }
	[ -s "$T/out" ] || { echo "nothing compared"; return 1; }
	grep -q '3 instances in A, 4 in B' "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "a set (directory) with a bad NDJSON line: reported, the rest compared" set_with_bad_line

no_line_parses() {
	# The first line a whole object (so NDJSON), but a wrong JSON type.
	printf '{"resourceType":"Patient","active":"yes"}\n{"x":\n' > "$T/none.ndjson"
	expect_exit 1 zib diff "$T/a.ndjson" "$T/none.ndjson" > "$T/out" 2> "$T/err" || return 1
	grep -q 'none.ndjson:1:' "$T/err" && grep -q 'none.ndjson:2:' "$T/err" || { cat "$T/err"; return 1; }
	grep -q 'no line of the NDJSON parses' "$T/err" || { cat "$T/err"; return 1; }
	[ ! -s "$T/out" ] || { echo "compared with nothing:"; cat "$T/out"; return 1; }
}
test_expect "no line parses: each reported, nothing compared, exit 1" no_line_parses

exit $t_failed
