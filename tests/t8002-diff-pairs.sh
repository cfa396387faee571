#!/bin/sh
# Cross-format pairs: testdata/diff/pairs/NAME.ada.xml holds the same data
# as NAME.fhir-r4.json (and NAME.cda.xml when present), written by hand.
# Every pair must diff empty.  While a format has no zib reader yet the
# pair is a visible skip, so this test starts to bite when the CDA and FHIR
# readers land.
. tests/lib.sh

for ada in testdata/diff/pairs/*.ada.xml; do
	base=${ada%.ada.xml}
	for other in "$base.fhir-r4.json" "$base.fhir-r4.xml" "$base.cda.xml"; do
		[ -f "$other" ] || continue
		zib diff "$ada" "$other" > "$T/out" 2> "$T/err"
		rc=$?
		if [ $rc -eq 2 ] && grep -q 'unsupported document format' "$T/err"; then
			test_skip "zib diff $ada $other" "$(sed 's/.*: //' "$T/err")"
			continue
		fi
		same() { [ $rc -eq 0 ] || { cat "$T/out" "$T/err"; return 1; }; }
		test_expect "zib diff $ada $other is empty" same
	done
done
exit $t_failed
