#!/bin/sh
# ADA instances (ada-bgz-msz-2.0, ada-zib2020) converted to FHIR R4 and
# STU3 are well-formed FHIR: `zib validate` of the output finds nothing at
# the FHIR level (ZIB-FHIR-*: no empty object, no property twice; R4 also
# no error of the conformance checks, ZIB-FHIRV-*) and no
# date FHIR cannot hold (ZIB-DT-001: ADA's test dates relative to the run
# day, "T-44D", become the Nictiz fixtures' "${DATE, T, D, -44}").  The
# zib-level findings that remain come from the source data.
. tests/lib.sh

if ! have_corpus || ! ls "$CORPUS"/ada-*/ada_instance/*.xml > /dev/null 2>&1; then
	test_skip "ADA converted to FHIR is well-formed FHIR" "no ADA instances in $CORPUS"
	exit 0
fi

# well_formed RELEASE: convert every ADA instance (in one run, -o DIR/
# names each output after its input), validate the outputs.
well_formed() {
	zib convert -q --to "$1" -o "$T/$1/" "$CORPUS"/ada-*/ada_instance/*.xml 2> "$T/$1.err" ||
		{ echo "convert failed:"; grep -v 'warning\[\|^    at ' "$T/$1.err" | head -20; return 1; }
	zib validate "$T/$1"/*.json > "$T/$1.log" 2>&1
	grep -A1 'ZIB-FHIR-\|error\[ZIB-FHIRV-\|ZIB-DT-001' "$T/$1.log" > "$T/$1.bad"
	[ ! -s "$T/$1.bad" ] || { head -20 "$T/$1.bad"; return 1; }
	grep -q ' documents, ' "$T/$1.log"
}

test_expect "ADA to FHIR R4 is well-formed FHIR" well_formed fhir-r4
test_expect "ADA to FHIR STU3 is well-formed FHIR" well_formed fhir-stu3
exit $t_failed
