#!/bin/sh
# Outputs (issue 18): an output never replaces an input (exit 2, even with
# --force); "-o -" is standard output; "-o DIR" is made, with its parents,
# by every command that writes files.  (Temporary files removed on SIGTERM:
# unit test fileio::temp_files_removed_on_signal.)
. tests/lib.sh

mkdir "$T/in"
cp testdata/convert-cda/social.xml "$T/in/"
cp testdata/validate-fhir/card-001-ok.json "$T/in/"
cp -r "$T/in" "$T/orig"
cat > "$T/x.sch" <<'EOF'
<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="/"><assert test="true()">x</assert></rule></pattern></schema>
EOF

unchanged() {
	for f in "$T/orig/"*; do
		cmp "$f" "$T/in/$(basename "$f")" || { echo "an input was changed"; return 1; }
	done
}

never_replace_input() {
	# the folder into itself: social.xml would become social.xml (--format xml).
	expect_exit 2 zib convert -q --to fhir-r4 --format xml --force -o "$T/in" "$T/in" 2> "$T/err" || return 1
	grep -q "social.xml' is one of the inputs" "$T/err" || { cat "$T/err"; return 1; }
	unchanged || return 1
	# the same without --force: the write finds the name taken, and says
	# it is an input (not just that it exists).
	expect_exit 2 zib convert -q -j 2 --to fhir-r4 --format xml -o "$T/in" "$T/in" 2> "$T/err" || return 1
	grep -q "social.xml' is one of the inputs" "$T/err" || { cat "$T/err"; return 1; }
	unchanged || return 1
	# -o FILE naming the input, with and without --force.
	expect_exit 2 zib convert --to json --force -o "$T/in/card-001-ok.json" "$T/in/card-001-ok.json" \
		2> "$T/err" || return 1
	grep -q "is one of the inputs" "$T/err" || { cat "$T/err"; return 1; }
	# a link to an input is the input.
	ln -s "$T/in/card-001-ok.json" "$T/link.json"
	expect_exit 2 zib convert --to json --force -o "$T/link.json" "$T/in/card-001-ok.json" 2> "$T/err" ||
		return 1
	unchanged || return 1
	# validate --write-baseline naming an input (main's streamed baseline).
	expect_exit 2 zib validate -q --write-baseline "$T/in/card-001-ok.json" "$T/in/card-001-ok.json" \
		2> "$T/err" || return 1
	grep -q "is one of the inputs" "$T/err" || { cat "$T/err"; return 1; }
	unchanged || return 1
	# NDJSON of several inputs streamed into -o FILE naming one of them.
	expect_exit 2 zib convert --to ndjson --force -o "$T/in/card-001-ok.json" "$T/in/card-001-ok.json" \
		"$T/in/social.xml" 2> "$T/err" || return 1
	unchanged || return 1
	# validate --format svrl -o into the inputs' folder: BASE.svrl is no input, written.
	zib validate -q --format svrl --schematron "$T/x.sch" -o "$T/svrl" "$T/in/social.xml" || return 1
	[ -f "$T/svrl/social.svrl" ] || { echo "no svrl written"; return 1; }
}
test_expect "an output never replaces an input, even with --force (exit 2)" never_replace_input

dash_is_stdout() {
	( cd "$T" && zib convert --to json -o - in/card-001-ok.json > "$T/stdout.json" ) || return 1
	[ ! -e "$T/-" ] || { echo "convert wrote a file named -"; return 1; }
	grep -q '"resourceType"' "$T/stdout.json" || return 1
	( cd "$T" && zib convert --to fhir-r4 -o - in/social.xml > "$T/stdout2.json" 2> /dev/null ) || return 1
	[ ! -e "$T/-" ] || { echo "convert --to fhir-r4 wrote a file named -"; return 1; }
	grep -q '"Bundle"' "$T/stdout2.json" || return 1
	( cd "$T" && zib validate -q --format svrl --schematron x.sch -o - in/social.xml > "$T/svrl.xml" ) ||
		return 1
	[ ! -e "$T/-" ] || { echo "validate wrote a file named -"; return 1; }
	grep -q 'schematron-output' "$T/svrl.xml"
}
test_expect "-o - is standard output for convert and validate" dash_is_stdout

out_dir_made() {
	zib convert -q --to fhir-r4 -o "$T/new/a/b/" "$T/in/social.xml" || return 1
	[ -f "$T/new/a/b/social.json" ] || { ls -R "$T/new"; return 1; }
	zib convert -q --to fhir-r4 --split -o "$T/split/c" "$T/in/social.xml" || return 1
	[ -n "$(ls "$T/split/c")" ] || return 1
	zib validate -q --format svrl --schematron "$T/x.sch" -o "$T/sv/d" "$T/in/social.xml" \
		"$T/in/card-001-ok.json" 2> /dev/null
	[ -f "$T/sv/d/social.svrl" ] || { echo "validate -o DIR not made"; return 1; }
	zib validate -q --format outcome -o "$T/oc/e" "$T/in/card-001-ok.json" 2> /dev/null
	[ -f "$T/oc/e/card-001-ok.outcome.json" ] || { echo "validate --format outcome -o DIR not made"; return 1; }
	: > "$T/plain"
	expect_exit 2 zib convert --to fhir-r4 --split -o "$T/plain" "$T/in/social.xml" 2> "$T/err" || return 1
	grep -q "is not a directory" "$T/err" || { cat "$T/err"; return 1; }
}
test_expect "-o DIR is made with its parents by convert and validate" out_dir_made

exit $t_failed
