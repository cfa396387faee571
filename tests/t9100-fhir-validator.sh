#!/bin/sh
# HL7's validator test cases (fhir-test-cases/validator, R4, offline): the
# verdict (valid / invalid) of `zib validate --checks fhir` against the
# reference validator's, base and with the case's profile; prints the
# agreement over all cases and over those whose files are all in the corpus.
# Every disagreement is listed with its reason in
# tests/t9100-validator-known.txt.
. tests/lib.sh

V=$CORPUS/fhir-test-cases/validator
if [ ! -f "$V/manifest.json" ]; then
	test_skip validator-cases "no $V/manifest.json"
	exit 0
fi
if ! command -v python3 > /dev/null; then
	test_skip validator-cases "python3 not found"
	exit 0
fi
PATH=$(pwd)/${BUILD:-build}:$PATH python3 tests/t9100-validator.py "$V" tests/t9100-validator-known.txt
