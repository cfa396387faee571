#!/bin/sh
# Standard input as a stream of records (issue 19): `zib convert ... -` and
# `zib validate ... -` read NDJSON from stdin one line at a time, each line
# a document of its own named <stdin>#Type/id, and print each record's
# result as it finishes, so that GNU parallel --pipe, Hadoop Streaming or
# Spark's pipe() can run zib on chunks: the output of the chunks joined is
# the output of one run, however the stream was cut.  The input is made
# here from testdata (FHIR JSON files as one line each), not committed.
. tests/lib.sh

# One line per testdata FHIR JSON document (JSON strings hold no raw line
# breaks, so dropping them keeps the JSON), the FHIR XML ones as JSON,
# a malformed line, blank lines; all of it twice: about 100 records.
make_stream() {
	for f in testdata/validate-fhir/*.json testdata/validate-fhir/set/*.json \
		testdata/convert-r4/allergy-status.json testdata/convert/observation.json; do
		tr -d '\n\r' < "$f" && echo
	done > "$T/one.ndjson"
	for f in testdata/validate-fhir/*.xml; do
		zib convert -q --to json "$f" 2> /dev/null
	done >> "$T/one.ndjson"
	echo '{"resourceType": "Patient", "id": ' >> "$T/one.ndjson"
	echo >> "$T/one.ndjson"
	for i in 1 2; do cat "$T/one.ndjson"; done > "$T/in.ndjson"
	[ "$(grep -c '[^[:space:]]' "$T/in.ndjson")" -gt 90 ]
}
test_expect "a stream of over 90 records is made from testdata" make_stream

# run_chunks N CMD...: CMD over the stream cut into chunks of N lines, the
# outputs joined in order (what parallel --pipe -k -N N does, without it).
run_chunks() {
	n=$1; shift
	rm -rf "$T/chunks" && mkdir "$T/chunks"
	split -l "$n" "$T/in.ndjson" "$T/chunks/c."
	for c in "$T/chunks"/c.*; do "$@" < "$c"; done
}

each_line_alone() {
	printf '%s\n%s\n' \
		'{"resourceType":"Patient","id":"p1","name":[{"family":"A"}]}' \
		'{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}' \
		> "$T/two.ndjson"
	printf '%s\n%s\n' '{"resourceType":"Patient","id":"a"}' '{"resourceType":"Patient","id":"b"}' \
		> "$T/pats.ndjson"
	zib validate -q --format json - < "$T/two.ndjson" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 2 ] || { cat "$T/out"; return 1; }
	grep -q '^{"file": "<stdin>#Patient/p1", ' "$T/out" || { cat "$T/out"; return 1; }
	grep -q '^{"file": "<stdin>#Observation/o1", ' "$T/out" || { cat "$T/out"; return 1; }
	# a Bundle per record; the file itself is one document (one Bundle).
	zib convert -q --to fhir-r4 - < "$T/two.ndjson" > "$T/out"
	[ "$(grep -c '"resourceType":"Bundle"' "$T/out")" -eq 2 ] || { cat "$T/out"; return 1; }
	zib convert -q --to fhir-r4 "$T/two.ndjson" > "$T/out"
	[ "$(grep -c '"resourceType":"Bundle"' "$T/out")" -eq 1 ] || { cat "$T/out"; return 1; }
}
test_expect "each NDJSON line on stdin is its own document, named by its Type/id" each_line_alone

chunks_equal_serial() {
	for cmd in "convert --to fhir-r4 --format ndjson -" "validate --format json -" \
		"convert --to fhir-r4 -" "validate -"; do
		# shellcheck disable=SC2086
		zib -q $cmd < "$T/in.ndjson" > "$T/serial" 2> "$T/serial.err"
		rs=$?
		for n in 7 40; do
			# shellcheck disable=SC2086
			run_chunks "$n" zib -q $cmd > "$T/chunked" 2> /dev/null
			cmp -s "$T/serial" "$T/chunked" || {
				echo "zib $cmd: chunks of $n differ from one run"
				diff "$T/serial" "$T/chunked" | head -5
				return 1
			}
		done
		[ -s "$T/serial" ] || { echo "zib $cmd: no output"; return 1; }
		[ "$rs" -eq 1 ] || { echo "zib $cmd: exit $rs, want 1 (a malformed line)"; return 1; }
	done
	# one JSON object per record: every non-blank line has its line.
	zib -q validate --format json - < "$T/in.ndjson" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq "$(grep -c '[^[:space:]]' "$T/in.ndjson")" ] ||
		{ echo "not one line per record"; return 1; }
	# blank lines only (an empty partition): no record, exit 0.
	printf '\n \n' | zib -q validate --format json - > "$T/out" || return 1
	[ ! -s "$T/out" ] || { cat "$T/out"; return 1; }
}
test_expect "chunks run apart join into the output of one run (convert, validate)" chunks_equal_serial

threads_keep_order() {
	zib -q validate -j 1 --format json - < "$T/in.ndjson" > "$T/j1"
	zib -q validate -j 3 --format json - < "$T/in.ndjson" > "$T/j3"
	cmp "$T/j1" "$T/j3" || return 1
	zib -q convert -j 1 --to fhir-r4 --format ndjson - < "$T/in.ndjson" > "$T/j1" 2> /dev/null
	zib -q convert -j 3 --to fhir-r4 --format ndjson - < "$T/in.ndjson" > "$T/j3" 2> /dev/null
	cmp "$T/j1" "$T/j3"
}
test_expect "-j N over a stream keeps the records in order" threads_keep_order

bad_records() {
	printf '%s\n%s\n%s\n%s\n' '{"resourceType":"Patient","id":"a"}' '{"resourceType": "Patient", "id": ' \
		'{"resourceType":"Patient","id":"c"}' \
		'{"resourceType":"Patient","id":"d","name":[{"family":"a name too long for --max-size 60"}]}' \
		> "$T/bad.ndjson"
	head -3 "$T/bad.ndjson" > "$T/bad3.ndjson"
	expect_exit 1 zib -q validate --format json - < "$T/bad3.ndjson" > "$T/out" || return 1
	[ "$(wc -l < "$T/out")" -eq 3 ] || { cat "$T/out"; return 1; }
	sed -n 2p "$T/out" | grep -q '"valid": false.*ZIB-FHIR-001' || { cat "$T/out"; return 1; }
	expect_exit 1 zib -q convert --to fhir-r4 --format ndjson - < "$T/bad3.ndjson" > "$T/out" 2> "$T/err" ||
		return 1
	[ "$(grep -c '"resourceType":"Patient"' "$T/out")" -eq 2 ] || { cat "$T/out"; return 1; }
	grep -q 'ZIB-FHIR-001' "$T/err" || { cat "$T/err"; return 1; }
	# a record over --max-size: reported (exit 2), the others go on.
	expect_exit 2 zib -q validate --max-size 60 --format json - < "$T/bad.ndjson" > "$T/out" 2> "$T/err" ||
		return 1
	grep -q 'over the limit of 60' "$T/err" || { cat "$T/err"; return 1; }
	[ "$(wc -l < "$T/out")" -eq 4 ] || { cat "$T/out"; return 1; }
	expect_exit 2 zib -q convert --to fhir-r4 --max-size 60 --format ndjson - < "$T/bad.ndjson" \
		> "$T/out" 2> "$T/err" || return 1
	grep -q 'over the limit of 60' "$T/err" || { cat "$T/err"; return 1; }
	[ "$(grep -c '"resourceType":"Patient"' "$T/out")" -eq 2 ] || { cat "$T/out"; return 1; }
}
test_expect "a malformed or oversized record is reported, the others are read" bad_records

whole_document() {
	# pretty JSON (first line "{") and XML are one document, as before.
	zib validate --format json - < testdata/validate-fhir/card-001-ok.json > "$T/out" 2> /dev/null || return 1
	grep -q '"format_version"' "$T/out" || { cat "$T/out"; return 1; }
	zib validate - < testdata/validate-fhir/card-001-bad.xml > "$T/out" 2>&1
	grep -q '^<stdin>:' "$T/out" || { cat "$T/out"; return 1; }
	zib convert -q --to fhir-r4 --format ndjson - < testdata/validate-fhir/bodyweight-ok.xml > "$T/out" ||
		return 1
	grep -q '"resourceType":"Observation"' "$T/out" || { cat "$T/out"; return 1; }
}
test_expect "stdin that is not NDJSON is one document" whole_document

stdin_with_files() {
	expect_exit 2 zib validate - testdata/validate-fhir/card-001-ok.json < "$T/two.ndjson" 2> "$T/err" ||
		return 1
	grep -q "cannot be mixed with files" "$T/err" || { cat "$T/err"; return 1; }
	expect_exit 2 zib convert --to fhir-r4 testdata/validate-fhir/card-001-ok.json - < "$T/two.ndjson" \
		2> "$T/err" || return 1
	grep -q "cannot be mixed with files" "$T/err" || { cat "$T/err"; return 1; }
	# "- -" reads stdin once; -o FILE takes every record.
	zib -q convert --to fhir-r4 --format ndjson -o "$T/o.ndjson" - - < "$T/pats.ndjson" || return 1
	[ "$(wc -l < "$T/o.ndjson")" -eq 2 ] || { cat "$T/o.ndjson"; return 1; }
}
test_expect "'-' mixed with files is refused; '- -' and -o FILE take the stream" stdin_with_files

# Peak RSS of a run over a stream of n Patient records.
stream_rss() {
	awk -v n="$2" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"resourceType\":\"Patient\",\"id\":\"p%d\",\"name\":[{\"family\":\"T%d\"}]," \
			"\"gender\":\"female\",\"birthDate\":\"1970-01-01\"}\n", i, i }' > "$T/p.ndjson"
	# shellcheck disable=SC2086
	/usr/bin/time -f %M -o "$T/rss" zib -q $1 - < "$T/p.ndjson" > /dev/null 2>&1
	tail -1 "$T/rss"
}

flat_memory() {
	small=$(stream_rss "validate --format json" 200)
	big=$(stream_rss "validate --format json" 4000)
	echo "validate: $small KB at 200 records, $big KB at 4000"
	[ "$big" -le $((small * 12 / 10)) ] || return 1
	small=$(stream_rss "convert --to fhir-r4 --format ndjson" 200)
	big=$(stream_rss "convert --to fhir-r4 --format ndjson" 4000)
	echo "convert: $small KB at 200 records, $big KB at 4000"
	[ "$big" -le $((small * 12 / 10)) ]
}
if [ "${BUILD:-build}" = build-san ]; then
	# AddressSanitizer keeps freed memory in quarantine: RSS grows by design.
	test_skip "memory does not grow with the stream" "RSS under AddressSanitizer (make check)"
elif [ -x /usr/bin/time ]; then
	test_expect "memory does not grow with the stream (4000 records within 20% of 200)" flat_memory
else
	test_skip "memory does not grow with the stream" "/usr/bin/time (GNU time) is not installed"
fi

# The README's recipe, as it stands there.
parallel_recipe() {
	for cmd in "convert --to fhir-r4 --format ndjson - -" "validate --format json -"; do
		# shellcheck disable=SC2086
		zib -q $cmd < "$T/in.ndjson" > "$T/serial" 2> /dev/null
		# shellcheck disable=SC2086
		parallel --will-cite --pipe -k -N 7 zib -q $cmd < "$T/in.ndjson" > "$T/par" 2> /dev/null
		cmp "$T/serial" "$T/par" || { echo "zib $cmd: parallel --pipe differs"; return 1; }
	done
}
if command -v parallel > /dev/null 2>&1 && parallel --version 2> /dev/null | grep -q 'GNU parallel'; then
	test_expect "GNU parallel --pipe -k gives the output of one run (convert, validate)" parallel_recipe
else
	test_skip "GNU parallel --pipe -k gives the output of one run" \
		"GNU parallel is not installed (Debian package parallel; tools/setup.sh installs it)"
fi

exit $t_failed
