#!/bin/sh
# Every input a command is given is read or reported (issue 18): a
# directory yields its CDA, FHIR and ADA files (XML, JSON, NDJSON) for every
# command alike; a directory or @LIST with no documents is exit 2; a walk
# reads a directory once however many links lead back to it; FIFOs and
# devices are refused unless given as -.
. tests/lib.sh

TD=testdata/validate-fhir
mkdir "$T/fhir" "$T/empty"
cp "$TD/bodyweight-ok.xml" "$TD/card-001-ok.json" "$T/fhir/"
: > "$T/empty.lst"

# every command reads a directory of FHIR .json and .xml: 2 documents.
dir_reads_json() {
	zib validate "$T/fhir" 2> "$T/err" || { cat "$T/err"; return 1; }
	grep -q '^2 documents' "$T/err" || { cat "$T/err"; return 1; }
	zib extract --summary "$T/fhir" > "$T/out" 2>&1 || { cat "$T/out"; return 1; }
	grep -q 'card-001-ok.json' "$T/out" || { echo "extract skipped the .json file"; cat "$T/out"; return 1; }
	zib convert --to fhir-r4 -o "$T/conv/" "$T/fhir" 2> "$T/err" || { cat "$T/err"; return 1; }
	[ "$(ls "$T/conv" | wc -l)" -eq 2 ] || { ls "$T/conv"; return 1; }
}
test_expect "a directory yields its .xml and .json documents for validate, extract, convert" dir_reads_json

ndjson_in_dir() {
	mkdir "$T/nd"
	tr -d '\n' < "$TD/card-001-ok.json" > "$T/nd/a.ndjson" && echo >> "$T/nd/a.ndjson"
	zib validate "$T/nd" 2> "$T/err" || { cat "$T/err"; return 1; }
	grep -q '^1 document' "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "a directory yields its .ndjson files" ndjson_in_dir

# no documents: exit 2 and a message naming the argument, for every command.
no_documents() {
	for args in "validate" "validate --set" "extract" "convert --to fhir-r4" "schematron $T/x.sch"; do
		# shellcheck disable=SC2086
		expect_exit 2 zib $args "$T/empty" 2> "$T/err" || return 1
		grep -q "empty' holds no documents" "$T/err" || { echo "$args:"; cat "$T/err"; return 1; }
		# shellcheck disable=SC2086
		expect_exit 2 zib $args "@$T/empty.lst" 2> "$T/err" || return 1
		grep -q "empty.lst' lists no documents" "$T/err" || { echo "$args:"; cat "$T/err"; return 1; }
	done
	expect_exit 2 zib diff "$T/empty" "$T/fhir" 2> "$T/err" || return 1
	grep -q "holds no documents" "$T/err" || { cat "$T/err"; return 1; }
}
cat > "$T/x.sch" <<'EOF'
<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="/"><assert test="true()">x</assert></rule></pattern></schema>
EOF
test_expect "an empty directory or @LIST is exit 2 for every command" no_documents

one_empty_among_others() {
	expect_exit 2 zib validate "$T/fhir" "$T/empty" 2> "$T/err" || return 1
	grep -q "^2 documents" "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "an empty directory beside good ones still fails (exit 2), the others are read" one_empty_among_others

# links back up the tree: read once, never loop.
links_walked_once() {
	mkdir -p "$T/loop/sub"
	cp "$T/fhir/"* "$T/loop/sub/"
	ln -s . "$T/loop/sub/self1"
	ln -s . "$T/loop/sub/self2"
	ln -s .. "$T/loop/sub/up"
	ln -s sub "$T/loop/again"
	timeout 20 zib validate "$T/loop" 2> "$T/err"
	rc=$?
	[ $rc -eq 0 ] || { echo "exit $rc"; cat "$T/err"; return 1; }
	grep -q '^2 documents' "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "links to . and .. are walked once (2 documents, no loop)" links_walked_once

# a walk lists a directory's documents sorted, a subdirectory's in its
# place, each path spelled from the argument (one slash after "dir/").
walk_order() {
	mkdir -p "$T/w/b/c"
	for f in z.json a.json b/m.json b/c/k.json; do
		cp "$TD/card-001-ok.json" "$T/w/$f"
	done
	zib validate --format json "$T/w/" 2> "$T/err" > "$T/out"
	sed -n 's/.*"file": *"\([^"]*\)".*/\1/p' "$T/out" > "$T/got"
	printf '%s\n' "$T/w/a.json" "$T/w/b/c/k.json" "$T/w/b/m.json" "$T/w/z.json" > "$T/want"
	diff "$T/want" "$T/got" || { cat "$T/err"; return 1; }
	# with -j 2 the same order
	zib validate -j 2 --format json "$T/w" 2> "$T/err" > "$T/out"
	sed -n 's/.*"file": *"\([^"]*\)".*/\1/p' "$T/out" > "$T/got"
	diff "$T/want" "$T/got" || { cat "$T/err"; return 1; }
}
test_expect "a walk is sorted, depth first, paths spelled from the argument" walk_order

fifo_refused() {
	mkfifo "$T/fifo" || return 0
	for args in "validate" "extract" "convert --to fhir-r4" "schematron $T/x.sch"; do
		# shellcheck disable=SC2086
		timeout 10 zib $args "$T/fifo" 2> "$T/err"
		rc=$?
		[ $rc -eq 2 ] || { echo "$args: exit $rc, want 2"; cat "$T/err"; return 1; }
		grep -q "not a regular file" "$T/err" || { cat "$T/err"; return 1; }
	done
	timeout 10 zib diff "$T/fifo" "$T/fifo" 2> "$T/err"
	[ $? -eq 2 ] || { echo "diff did not refuse a FIFO"; return 1; }
	expect_exit 2 zib validate /dev/zero 2> "$T/err" || return 1
	# the same document through a pipe as - is read.
	cat "$T/fhir/card-001-ok.json" | zib validate - 2> "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "FIFOs and devices are refused (exit 2, no hang) unless given as -" fifo_refused

exit $t_failed
