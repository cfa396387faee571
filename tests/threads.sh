#!/bin/sh
# make check-threads: the -j workers under ThreadSanitizer.  zib built with
# -fsanitize=thread runs validate (zib rules; FHIR definitions, which the
# workers decode and expand as they first need them), convert and
# schematron with -j 2; any data race ThreadSanitizer reports fails.
# Usage: sh tests/threads.sh TSAN_BUILD_DIR DEFS_BUILD_DIR (the FHIR
# definitions are copied from the second: compiling them under TSan is slow).
. tests/lib.sh
tsan=$1 defs=$2
zib=$tsan/zib

if ! have_corpus; then
	test_skip "-j 2 under ThreadSanitizer" "no corpus at $CORPUS"
	exit 0
fi
if [ -f "$defs/share/zib/fhir-r4-defs.zdefs" ]; then
	mkdir -p "$tsan/share/zib"
	cp "$defs/share/zib/fhir-r4-defs.zdefs" "$tsan/share/zib/"
fi

# no_race NAME COMMAND...: COMMAND (exit 0 or 1: findings are no failure)
# with no ThreadSanitizer report.
no_race() {
	name=$1; shift
	TSAN_OPTIONS="halt_on_error=0 exitcode=66" "$@" > /dev/null 2> "$T/err"
	rc=$?
	if [ "$rc" -le 1 ] && ! grep -q 'WARNING: ThreadSanitizer' "$T/err"; then
		echo "ok $name"
	else
		echo "not ok $name (exit $rc)"
		grep -A 20 'WARNING: ThreadSanitizer' "$T/err" | head -40 | sed 's/^/    /'
		[ "$rc" -le 1 ] || tail -5 "$T/err" | sed 's/^/    /'
		t_failed=1
	fi
}

ex=$CORPUS/fhir-r4-zib2020/examples
cda=$CORPUS/cda-bgz2020
sch=$cda/bgz2020-runtime-develop/bgz2020-BasicHealthDataSet-createUpdate-2020.sch
no_race "validate -j 2: the zib2020 examples (FHIR definitions decoded by the workers)" \
	"$zib" validate -q -j 2 "$ex"
no_race "validate -j 2: CDA and ADA documents" \
	"$zib" validate -q -j 2 "$cda"/xml-BgZ2020.xml "$cda"/xml-BgZ2020-test.xml \
	"$CORPUS/ada-zib2020/ada_instance"
no_race "convert -j 2 --to fhir-r4 -o DIR" \
	"$zib" convert -q -j 2 --to fhir-r4 -o "$T/out/" "$CORPUS/ada-zib2020/ada_instance"
for i in 1 2 3 4 5 6; do cp "$cda/xml-BgZ2020.xml" "$T/doc$i.xml"; done
no_race "schematron -j 2: six BgZ 2020 documents, one compiled rule set" \
	"$zib" schematron -q -j 2 "$sch" "$T"/doc?.xml
exit $t_failed
