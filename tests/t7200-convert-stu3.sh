#!/bin/sh
# zib convert --to fhir-stu3 on the corpus.
#  - The STU3 BgZ 3.0 fixtures (one resource per file) go to R4 and back to
#    STU3; the STU3 read of the result must differ from the fixture's read
#    (zib diff) no more than the R4 Bundle does, apart from the files
#    listed in the known file.  Written straight to STU3 (XML and JSON)
#    they read back the same in at least the known number of files.
#  - The three BgZ 2020 CDA documents go to STU3: zib diff against the CDA
#    counts the differences (known per document), zib validate on the
#    output reports no more than the known errors, and the output is
#    deterministic.
# Known differences are counted in tests/t7200-convert-stu3-known.txt with
# their reasons: the test fails when a document gets more.
. tests/lib.sh

if ! have_corpus; then
	test_skip convert-stu3-corpus "no ../shared/corpus"
	exit 0
fi
C=$CORPUS
KNOWN=tests/t7200-convert-stu3-known.txt
FIX=$C/fhir-stu3-bgz/BgZ-3-0

count_diffs() {
	zib diff "$1" "$2" 2>/dev/null | grep -c -E '^  NL-CM|^only in'
}

known() {
	awk -v k="$1" '$1 == k { print $2 }' "$KNOWN"
}

find "$FIX" -name '*.xml' | sort > "$T/fixtures"

# convert_all DIR ARGS...: every fixture converted in one run, DIR/NAME.EXT
# (-o DIR names each output after its input); says so when one fails.
convert_all() {
	dir=$1; shift
	zib convert -q "$@" -o "$dir/" > "$T/convert.err" 2>&1 || { cat "$T/convert.err"; return 1; }
}

# STU3 -> R4 -> STU3: no more differences than STU3 -> R4 has.
stu3_r4_stu3() {
	n=0; worse=0
	convert_all "$T/r4" --to fhir-r4 @"$T/fixtures" || return 1
	convert_all "$T/s3" --to fhir-stu3 --format xml "$T/r4" || return 1
	for f in $(cat "$T/fixtures"); do
		b=$(basename "$f" .xml)
		n=$((n + 1))
		r4=$(count_diffs "$f" "$T/r4/$b.json")
		s3=$(count_diffs "$f" "$T/s3/$b.xml")
		if [ "$s3" -gt "$r4" ]; then
			worse=$((worse + 1))
			echo "$b: $r4 differences after R4, $s3 after STU3"
		fi
	done
	want=$(known "stu3-r4-stu3-worse")
	echo "STU3 -> R4 -> STU3: $n files, $worse with more differences than R4 alone (known $want)"
	[ "$worse" -le "$want" ]
}

# STU3 -> STU3 in FORMAT: files that read back without any difference.
stu3_direct() {
	fmt=$1; n=0; same=0
	convert_all "$T/direct-$fmt" --to fhir-stu3 --format "$fmt" @"$T/fixtures" || return 1
	for f in $(cat "$T/fixtures"); do
		n=$((n + 1))
		k=$(count_diffs "$f" "$T/direct-$fmt/$(basename "$f" .xml).$fmt")
		[ "$k" = 0 ] && same=$((same + 1))
	done
	want=$(known "stu3-same-$fmt")
	echo "STU3 -> STU3 ($fmt): $n files, $same without differences (known $want)"
	[ "$same" -ge "$want" ]
}

cda_stu3() {
	name=$1
	zib convert -q --to fhir-stu3 "$C/cda-bgz2020/$name.xml" > "$T/$name.json" || return 1
	zib convert -q --to fhir-stu3 "$C/cda-bgz2020/$name.xml" > "$T/$name.2.json" || return 1
	cmp "$T/$name.json" "$T/$name.2.json" || return 1
	zib convert -q --to fhir-stu3 --format xml "$C/cda-bgz2020/$name.xml" > "$T/$name.xml" || return 1
	for out in "$T/$name.json" "$T/$name.xml"; do
		got=$(count_diffs "$C/cda-bgz2020/$name.xml" "$out")
		want=$(known "diff:$name")
		echo "$name -> $(basename "$out"): $got differences (known $want)"
		[ "$got" -le "$want" ] || return 1
		got=$(zib validate -q "$out" 2>&1 | grep -c 'error\[')
		want=$(known "validate:$name")
		echo "$name -> $(basename "$out"): $got validate errors (known $want)"
		[ "$got" -le "$want" ] || return 1
	done
}

document_stu3() {
	zib convert -q --to fhir-stu3 --bundle document "$C/cda-bgz2020/xml-BgZ2020.xml" > "$T/doc.json" &&
	grep -q '"resourceType":"Composition"' "$T/doc.json" &&
	zib validate -q "$T/doc.json" > "$T/v" 2>&1
	got=$(grep -c 'error\[' "$T/v")
	echo "document Bundle: $got validate errors (known $(known validate:xml-BgZ2020))"
	[ "$got" -le "$(known validate:xml-BgZ2020)" ]
}

test_expect stu3-r4-stu3-roundtrip stu3_r4_stu3
test_expect stu3-stu3-xml stu3_direct xml
test_expect stu3-stu3-json stu3_direct json
# A primitive without value or extension is no element (ele-1): the
# MedicationDispense whose status the writer cannot say has none.
no_empty_primitive() {
	zib convert -q --to fhir-stu3 --format xml \
		"$FIX/Test/_reference/resources/zib-AdministrationAgreement-medmij-bgz-test-patA-admagr1.xml" > "$T/ad.xml" &&
	[ -s "$T/ad.xml" ] && ! grep -q '<status/>' "$T/ad.xml"
}
test_expect stu3-xml-no-empty-primitive no_empty_primitive
for d in xml-BgZ2020 xml-BgZ2020-test xml-BgZ2020-notyetvalid; do
	test_expect "cda-stu3-$d" cda_stu3 $d
done
test_expect cda-stu3-document document_stu3

# Every corpus input written as STU3 (the CDA documents, the ADA
# instances, the STU3 fixtures, the R4 examples), checked as far as it can
# be without the STU3 definitions: zib validate finds no FHIR-level error
# (ZIB-FHIR-*: structure, empty elements, elements STU3 does not have),
# and no dateTime has a time of day without a time zone.
all_stu3_checked() {
	mkdir -p "$T/all"
	for set in cda:"$C"/cda-bgz2020/xml-*.xml ada:"$C"/ada-*/ada_instance stu3:"$FIX" \
	    stu3msz:"$C"/fhir-stu3-bgz/BgZ-MSZ-2-0 r4:"$C"/fhir-r4-zib2020/examples; do
		name=${set%%:*}
		# shellcheck disable=SC2086
		zib convert -q --to fhir-stu3 -o "$T/all/$name/" ${set#*:} 2> /dev/null
		[ $? -le 1 ] || { echo "convert of $name failed"; return 1; }
		n=$(find "$T/all/$name" -name '*.json' | wc -l)
		zib validate "$T/all/$name"/*.json > "$T/all/$name.val" 2>&1
		bad=$(grep -c 'error\[ZIB-FHIR' "$T/all/$name.val")
		zoneless=$(cat "$T/all/$name"/*.json | grep -cE '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"')
		echo "$name: $n STU3 outputs, $bad FHIR-level errors, $zoneless files with a time without zone"
		[ "$n" -gt 0 ] && grep -q "^$n documents" "$T/all/$name.val" && [ "$bad" = 0 ] && [ "$zoneless" = 0 ] ||
			{ grep -A1 'error\[ZIB-FHIR' "$T/all/$name.val" | head -20; return 1; }
	done
}
test_expect stu3-all-checked all_stu3_checked
[ -n "$T7200_VERBOSE" ] && cat "$T/.log"
exit $t_failed
