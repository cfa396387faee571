#!/bin/sh
# zib convert writes only what zib validate accepts (issue 18):
#  - an HL7 TS with a time and no zone becomes a FHIR dateTime with the
#    offset of Dutch local time (FHIR: a time needs a zone), on both sides
#    of the summer-time changes;
#  - every CDA document of the corpus converted to R4 and STU3 (JSON and
#    XML) has no zone-less dateTime, and zib validate finds no error in it.
. tests/lib.sh

DOC=testdata/convert-cda/social.xml

# offset_for TS WANT: the entry's effectiveTime TS is written as WANT.
offset_for() {
	sed "s/<effectiveTime value=\"20231120\"\/>/<effectiveTime value=\"$1\"\/>/" "$DOC" > "$T/in.xml"
	grep -q "value=\"$1\"" "$T/in.xml" || { echo "the test document changed: no 20231120"; return 1; }
	zib convert -q --to fhir-r4 "$T/in.xml" > "$T/out.json" || return 1
	grep -q "\"$2\"" "$T/out.json" || {
		echo "$1: want $2, got $(grep -oE '"2023-[0-9-]+T[^"]*"' "$T/out.json")"
		return 1
	}
}

dutch_offsets() {
	offset_for 20230115120000 2023-01-15T12:00:00+01:00 &&
	offset_for 20230326015900 2023-03-26T01:59:00+01:00 &&
	offset_for 20230326030000 2023-03-26T03:00:00+02:00 &&
	offset_for 20230715120000 2023-07-15T12:00:00+02:00 &&
	offset_for 20231029025900 2023-10-29T02:59:00+02:00 &&
	offset_for 20231029030000 2023-10-29T03:00:00+01:00 &&
	offset_for 20230715120000+0000 2023-07-15T12:00:00+00:00 &&
	offset_for 202307151200 2023-07-15T12:00:00+02:00
}
test_expect "a TS without a zone gets the Dutch offset (CET/CEST, both changes)" dutch_offsets

# Found by fuzz_write: a "TS" of 80 digits wrote past the converter's
# buffer (ASan under make check); such text is passed through, not read.
long_ts() {
	long=$(printf '%080d' 7)
	for v in "$long" "19602.16.840.1.113883.2.4.3.11.62.16.840.1" "20230715120000.123456789012345"; do
		sed "s/<effectiveTime value=\"20231120\"\/>/<effectiveTime value=\"$v\"\/>/" "$DOC" > "$T/in.xml"
		zib convert -q --to fhir-r4 "$T/in.xml" > "$T/out.json" 2> "$T/err"
		rc=$?
		[ $rc -le 1 ] || { echo "$v: exit $rc"; cat "$T/err"; return 1; }
		zib convert -q --to json "$T/out.json" > /dev/null || return 1
	done
}
test_expect "an over-long or dotted TS is passed through, never past a buffer" long_ts

# Found by fuzz_write: text in a quantity ("een pakje") was written bare
# as valueQuantity.value, which is no JSON.  Every testdata document's R4
# output must parse again as strict FHIR R4.
r4_output_parses() {
	n=0
	for f in testdata/validate-fhir/*.json testdata/validate-fhir/*.xml testdata/convert-cda/*.xml \
	    testdata/validate/*.xml; do
		zib convert -q --to fhir-r4 "$f" > "$T/r4.json" 2> /dev/null || continue
		[ -s "$T/r4.json" ] || continue
		zib convert -q --to json "$T/r4.json" > /dev/null 2> "$T/err" ||
			{ echo "$f: its R4 output does not parse:"; head -3 "$T/err"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 50 ] || { echo "only $n documents converted"; return 1; }
}
test_expect "the R4 output of every testdata document parses as strict R4" r4_output_parses

corpus_round_trip() {
	mkdir "$T/rt"
	n=0
	for f in "$CORPUS"/cda-bgz2020/xml-*.xml; do
		b=$(basename "$f" .xml)
		for to in fhir-r4 fhir-stu3; do
			for fmt in json xml; do
				zib convert -q --to $to --format $fmt -o "$T/rt/$b-$to.$fmt" "$f" 2> /dev/null
				[ -s "$T/rt/$b-$to.$fmt" ] || { echo "no output for $f --to $to --format $fmt"; return 1; }
				n=$((n + 1))
			done
		done
	done
	[ "$n" -ge 12 ] || { echo "only $n outputs"; return 1; }
	if grep -hoE '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+"' "$T"/rt/*.json |
	    grep -q .; then
		echo "zone-less dateTime written:"; grep -hoE '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+"' "$T"/rt/*.json | head -3
		return 1
	fi
	if grep -hoE 'value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+"' "$T"/rt/*.xml | grep -q .; then
		echo "zone-less dateTime written (XML)"; return 1
	fi
	zib validate -q "$T/rt" > "$T/out" 2>&1 || { grep error "$T/out" | head -5; return 1; }
	! grep -q 'error\[' "$T/out" || { grep 'error\[' "$T/out" | head -5; return 1; }
}
if have_corpus; then
	test_expect "corpus CDA to R4 and STU3 (JSON, XML): zones on every time, zib validate clean" \
		corpus_round_trip
else
	test_skip "corpus round trip" "no ../shared/corpus"
fi

exit $t_failed
