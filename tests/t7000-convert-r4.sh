#!/bin/sh
# zib convert --to fhir-r4 on the corpus: the three BgZ 2020 CDA documents
# and the STU3 BgZ 3.0 fixtures convert to R4 Bundles; the Bundles read back
# into the zibs read from the source (zib diff), deterministic output, and
# zib validate on the output; every corpus input's R4 output is
# conformant (no FHIR-level error).  Known differences are counted per document
# in tests/t7000-convert-r4-known.txt with their reasons: the test fails
# when a document gets more.
. tests/lib.sh

if ! have_corpus; then
	test_skip convert-r4-corpus "no ../shared/corpus"
	exit 0
fi
C=$CORPUS
KNOWN=tests/t7000-convert-r4-known.txt

# count_diffs SRC OUT: concept and instance differences zib diff reports.
count_diffs() {
	zib diff "$1" "$2" 2>/dev/null | grep -c -E '^  NL-CM|^only in'
}

known() {
	awk -v k="$1" '$1 == k { print $2 }' "$KNOWN"
}

roundtrip_cda() {
	name=$1
	zib convert -q --to fhir-r4 "$C/cda-bgz2020/$name.xml" > "$T/$name.json" || return 1
	zib convert -q --to fhir-r4 "$C/cda-bgz2020/$name.xml" > "$T/$name.2.json" || return 1
	cmp "$T/$name.json" "$T/$name.2.json" || return 1
	got=$(count_diffs "$C/cda-bgz2020/$name.xml" "$T/$name.json")
	want=$(known "diff:$name")
	echo "$name: $got differences (known $want)"
	[ "$got" -le "$want" ]
}

validate_cda() {
	name=$1
	zib convert -q --to fhir-r4 "$C/cda-bgz2020/$name.xml" > "$T/$name.json" || return 1
	zib validate "$T/$name.json" > "$T/$name.val" 2>&1
	got=$(grep -c 'error\[' "$T/$name.val")
	want=$(known "validate:$name")
	echo "$name: $got validate errors (known $want)"
	# nor an empty element made for a value the writer could not place
	! grep 'ZIB-FHIR-012' "$T/$name.val" && [ "$got" -le "$want" ]
}

# The fixtures convert in one run (-o DIR/ names each output after its input).
stu3_all() {
	n=0; same=0
	find "$C/fhir-stu3-bgz/BgZ-3-0" -name '*.xml' | sort > "$T/stu3.list"
	zib convert -q --to fhir-r4 -o "$T/stu3/" @"$T/stu3.list" > "$T/stu3.err" 2>&1 ||
		{ cat "$T/stu3.err"; return 1; }
	for f in $(cat "$T/stu3.list"); do
		o="$T/stu3/$(basename "$f" .xml).json"
		n=$((n + 1))
		zib diff -q "$f" "$o" > /dev/null 2>&1 && same=$((same + 1))
	done
	want=$(known "stu3-same")
	echo "STU3 BgZ 3.0: $n converted, $same without differences (known $want)"
	[ "$same" -ge "$want" ]
}

# A Bundle's fullUrls are unique (bdl-7), also when the CDA holds one
# entry (one id) at two places.
unique_full_urls() {
	[ -s "$T/$1.json" ] || return 1
	grep -o '"fullUrl":"[^"]*"' "$T/$1.json" | sort | uniq -d > "$T/$1.dups"
	[ ! -s "$T/$1.dups" ] || { cat "$T/$1.dups"; return 1; }
}

for d in xml-BgZ2020 xml-BgZ2020-test xml-BgZ2020-notyetvalid; do
	test_expect "cda-r4-roundtrip-$d" roundtrip_cda $d
	test_expect "cda-r4-validate-$d" validate_cda $d
	test_expect "cda-r4-unique-fullurls-$d" unique_full_urls $d
done
# The NDJSON reads back as the Bundle does (the differences of the R4
# step itself are counted above).
ndjson_roundtrip() {
	zib convert -q --to fhir-r4 --format ndjson "$C/cda-bgz2020/xml-BgZ2020.xml" > "$T/bgz.ndjson" &&
	zib convert -q --to fhir-r4 "$C/cda-bgz2020/xml-BgZ2020.xml" > "$T/bgz.json" &&
	[ "$(count_diffs "$C/cda-bgz2020/xml-BgZ2020.xml" "$T/bgz.ndjson")" = "$(known diff:xml-BgZ2020)" ] &&
	zib diff -q "$T/bgz.json" "$T/bgz.ndjson"
}

# Every corpus input converted to R4 (the CDA documents, the ADA
# instances, the STU3 BgZ 3.0 and MSZ 2.0 fixtures, the R4 examples) is
# conformant R4: zib validate finds no FHIR-level error (ZIB-FHIR-*,
# ZIB-FHIRV-*).  What the writer could not write conformant it reports.
all_r4_conformant() {
	mkdir -p "$T/all"
	for set in cda:"$C"/cda-bgz2020/xml-*.xml ada:"$C"/ada-*/ada_instance stu3:"$C"/fhir-stu3-bgz/BgZ-3-0 \
	    stu3msz:"$C"/fhir-stu3-bgz/BgZ-MSZ-2-0 r4:"$C"/fhir-r4-zib2020/examples; do
		name=${set%%:*}
		# shellcheck disable=SC2086
		zib convert -q --to fhir-r4 -o "$T/all/$name/" ${set#*:} 2> /dev/null
		[ $? -le 1 ] || { echo "convert of $name failed"; return 1; }
		n=$(find "$T/all/$name" -name '*.json' | wc -l)
		zib validate "$T/all/$name"/*.json > "$T/all/$name.val" 2>&1
		bad=$(grep -c 'error\[ZIB-FHIR' "$T/all/$name.val")
		echo "$name: $n R4 outputs, $bad FHIR-level errors"
		[ "$n" -gt 0 ] && grep -q "^$n documents" "$T/all/$name.val" && [ "$bad" = 0 ] ||
			{ grep -A1 'error\[ZIB-FHIR' "$T/all/$name.val" | head -20; return 1; }
	done
}

# A CDA time without zone is Dutch local time: written with the Dutch
# offset of that moment (winter +01:00, summer +02:00), nothing lost or
# reported, and no time of day left without a zone.
zone_rule() {
	zib convert --to fhir-r4 "$C/cda-bgz2020/xml-BgZ2020.xml" > "$T/z.json" 2> "$T/z.err"
	! grep -q 'the time of day lost' "$T/z.err" &&
	grep -q '"effectiveDateTime":"2018-01-30T17:06:41+01:00"' "$T/z.json" &&
	grep -q '"2017-08-16T17:59:57+02:00"' "$T/z.json" &&
	! grep -qE '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+"' "$T/z.json"
}

test_expect all-r4-conformant all_r4_conformant
test_expect cda-r4-zone-rule zone_rule
test_expect stu3-r4-roundtrip stu3_all
test_expect cda-r4-ndjson-roundtrip ndjson_roundtrip
exit $t_failed
