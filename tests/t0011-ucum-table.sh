#!/bin/sh
# The committed UCUM table (lib/model/ucum_essence.c) is what
# tools/gen-ucum.py makes of ucum-essence.xml: nobody edited it by hand
# and it is not stale.  Regenerate with make regen-ucum.
. tests/lib.sh

essence=$CORPUS/fhir-test-cases/ucum/ucum-essence.xml
if [ ! -f "$essence" ]; then
	test_skip "ucum-table-current" "no $essence"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	test_skip "ucum-table-current" "no python3"
	exit 0
fi
test_expect "ucum-table-current" python3 tools/gen-ucum.py --check "$essence"
exit $t_failed
