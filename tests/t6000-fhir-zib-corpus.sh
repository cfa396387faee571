#!/bin/sh
# The FHIR zib reader and zib validate on the corpus: every zib2020 R4
# example and every STU3 BgZ fixture is read (no parse failure, no internal
# error); exit codes are 0 or 1 (findings), never 2 or 3.
. tests/lib.sh

if ! have_corpus; then
	test_skip fhir-zib-corpus "no ../shared/corpus"
	exit 0
fi
C=../shared/corpus

check_dir() {
	find "$1" -name '*.xml' > /tmp/zib-t6000.$$
	zib validate -q -j 2 @/tmp/zib-t6000.$$ > /tmp/zib-t6000.out.$$ 2>&1
	rc=$?
	rm -f /tmp/zib-t6000.$$
	if grep -q 'ZIB-FHIR-0\|ZIB-DOC-0' /tmp/zib-t6000.out.$$; then
		rm -f /tmp/zib-t6000.out.$$
		return 1
	fi
	rm -f /tmp/zib-t6000.out.$$
	[ $rc -le 1 ]
}

test_expect r4-examples-read check_dir $C/fhir-r4-zib2020/examples
test_expect stu3-bgz30-read check_dir $C/fhir-stu3-bgz/BgZ-3-0
test_expect stu3-msz-read check_dir $C/fhir-stu3-bgz/BgZ-MSZ-2-0
test_expect bloodpressure-valid zib validate -q $C/fhir-r4-zib2020/examples/nl-core-BloodPressure-01.xml
test_expect slice-table-current python3 zib-models/gen_fhir_slices.py --check
