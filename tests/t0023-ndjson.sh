#!/bin/sh
# NDJSON, one rule for every command (issue 18): each line is parsed on its
# own with its own line number; a line that does not parse is reported
# (file:LINE) and left out, the good lines are processed, and the exit
# status is 1; a blank line (first, between, last) is skipped everywhere.
. tests/lib.sh

# gen_ndjson FILE GOOD BADLINE: GOOD Patient lines with a malformed line
# put in at line BADLINE (0: none), a blank line first and one between.
gen_ndjson() {
	awk -v good="$2" -v bad="$3" 'BEGIN {
		print ""
		line = 2
		for (i = 1; i <= good; i++) {
			if (line == bad) { print "{\"resourceType\": \"Patient\", \"id\": "; line++ }
			printf "{\"resourceType\":\"Patient\",\"id\":\"p%d\",\"name\":[{\"family\":\"F%d\"}]}\n", i, i
			line++
			if (i == 3) { print "   "; line++ }
		}
	}' > "$1"
}
gen_ndjson "$T/good.ndjson" 9 0
gen_ndjson "$T/bad.ndjson" 9 6
cp "$T/good.ndjson" "$T/good-named.json"   # NDJSON by content, whatever the name

blank_lines_are_skipped() {
	for f in good.ndjson good-named.json; do
		zib validate -q "$T/$f" > "$T/out" 2>&1 || { cat "$T/out"; return 1; }
		zib convert --to json "$T/$f" > "$T/out" 2> "$T/err" || { cat "$T/err"; return 1; }
		[ "$(grep -c resourceType "$T/out")" -eq 9 ] || { echo "$f: want 9 resources"; return 1; }
		zib convert -q --to fhir-r4 "$T/$f" > /dev/null || return 1
		zib extract --summary "$T/$f" > /dev/null || return 1
		zib diff "$T/$f" "$T/good.ndjson" || return 1
	done
}
test_expect "a blank first or middle line is skipped by every command (exit 0)" blank_lines_are_skipped

bad_line_reported_rest_read() {
	expect_exit 1 zib validate "$T/bad.ndjson" > "$T/out" 2>&1 || return 1
	grep -q 'bad.ndjson:6:.*ZIB-FHIR-001' "$T/out" || { cat "$T/out"; return 1; }
	expect_exit 1 zib convert --to json "$T/bad.ndjson" > "$T/out" 2> "$T/err" || return 1
	grep -q 'bad.ndjson:6:' "$T/err" || { cat "$T/err"; return 1; }
	[ "$(grep -c resourceType "$T/out")" -eq 9 ] || { echo "convert --to json: want the 9 good lines"; return 1; }
	expect_exit 1 zib convert --to ndjson -o "$T/out.ndjson" "$T/bad.ndjson" 2> "$T/err" || return 1
	[ "$(wc -l < "$T/out.ndjson")" -eq 9 ] || { echo "convert --to ndjson: want 9 lines"; return 1; }
	expect_exit 1 zib convert --to fhir-r4 "$T/bad.ndjson" > "$T/out" 2> "$T/err" || return 1
	grep -q 'bad.ndjson:6:' "$T/err" || { cat "$T/err"; return 1; }
	grep -q '"Bundle"' "$T/out" || { echo "convert --to fhir-r4 wrote no Bundle"; return 1; }
	expect_exit 1 zib extract --summary "$T/bad.ndjson" > "$T/out" 2> "$T/err" || return 1
	grep -q 'bad.ndjson:6:' "$T/err" || { cat "$T/err"; return 1; }
	[ -s "$T/out" ] || { echo "extract wrote nothing"; return 1; }
	expect_exit 1 zib diff "$T/bad.ndjson" "$T/good.ndjson" 2> "$T/err" > /dev/null || return 1
	grep -q 'bad.ndjson:6:' "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "a malformed line is reported with its line number, the rest read, exit 1" \
	bad_line_reported_rest_read

set_reads_ndjson() {
	mkdir "$T/set"
	cp "$T/bad.ndjson" "$T/set/"
	expect_exit 1 zib validate --set "$T/set" > "$T/out" 2>&1 || return 1
	grep -q 'bad.ndjson:6:' "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "validate --set reads NDJSON line by line too" set_reads_ndjson

exit $t_failed
