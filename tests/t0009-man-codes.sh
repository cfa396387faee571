#!/bin/sh
# Each command's man page lists, in its DIAGNOSTICS, every finding code the
# command emits.  What a command emits is given by code family (the part
# between "ZIB-" and the number), taken from lib/diag/codes.c:
#   validate  reads every format and runs every rule: all families but the
#             writers' (CONV, CDAW)
#   convert   the FHIR format layer and the two writers: FHIR, CONV, CDAW,
#             and XML well-formedness
#   schematron  the engine's ZIB-SCH-001 and XML well-formedness
# t0002 checks that every code of the table is documented somewhere; this
# test checks it is documented where the command is.
. tests/lib.sh

sed -n 's/^	{ "\(ZIB-[A-Z0-9]*-[0-9]*\)".*/\1/p' lib/diag/codes.c | sort -u > "$T/table"

# lists PAGE FAMILY...: every code of those families is in PAGE.
lists() {
	page=$1; shift
	: > "$T/want"
	for fam in "$@"; do
		grep "^ZIB-$fam-" "$T/table" >> "$T/want"
	done
	sort -u "$T/want" -o "$T/want"
	grep -oE 'ZIB-[A-Z0-9]+-[0-9]{3}' "$page" | sort -u > "$T/have"
	comm -23 "$T/want" "$T/have" > "$T/missing"
	[ -s "$T/want" ] && [ ! -s "$T/missing" ] || { echo "missing from $page:"; cat "$T/missing"; return 1; }
}

families=$(sed 's/^ZIB-\([A-Z0-9]*\)-.*/\1/' "$T/table" | sort -u | grep -vx -e CONV -e CDAW)
# shellcheck disable=SC2086
test_expect "man zib-validate lists every code validate emits ($(echo $families | wc -w) families)" \
	lists man/zib-validate.1 $families
test_expect "man zib-convert lists every code convert emits (FHIR, CONV, CDAW, XML)" \
	lists man/zib-convert.1 FHIR CONV CDAW XML
schematron_codes() {
	grep -q 'ZIB-SCH-001' man/zib-schematron.1 && grep -q 'ZIB-XML-001' man/zib-schematron.1
}
test_expect "man zib-schematron lists ZIB-SCH-001 and ZIB-XML-001" schematron_codes
exit $t_failed
