#!/bin/sh
# Per-document machine formats of zib validate and suppression:
#  - JUnit is valid against the Ant JUnit schema (tests/schemas/junit-ant.xsd,
#    written from the format's facts), with a time on every testcase and one
#    failure holding all the findings of a failing document;
#  - --format outcome: one OperationOutcome per document, a Bundle of them
#    for a batch, one file per document with -o DIR, IssueType codes;
#  - SARIF lists a rule for every code that occurs, Schematron asserts too;
#  - --ignore, --baseline, --write-baseline, -q and the per-code count.
. tests/lib.sh

V=testdata/validate
F=testdata/validate-fhir

junit_valid() {
	zib validate -q --format junit "$@" > "$T/junit.xml"
	[ $? -le 1 ] || return 1
	xmllint --noout --schema tests/schemas/junit-ant.xsd "$T/junit.xml"
}

if command -v xmllint > /dev/null; then
	test_expect "junit: valid against the Ant JUnit schema (CDA batch)" \
		junit_valid $V/valid.xml $V/bad-bsn.xml $V/bad-ts.xml
	test_expect "junit: valid against the Ant JUnit schema (FHIR, fail-on warning)" \
		junit_valid --fail-on warning $F/card-001-bad.xml $F/card-001-ok.json $F/vs-002-bad.xml
	test_expect "junit: the schema refuses the old shape (a testcase with two failures)" sh -c "
		sed 's|</failure>|</failure><failure type=\"x\">again</failure>|' '$T/junit.xml' > '$T/two.xml'
		! xmllint --noout --schema tests/schemas/junit-ant.xsd '$T/two.xml' 2> /dev/null"
else
	test_skip "junit: schema checks" "xmllint not installed"
fi

junit_times() {
	zib validate -q --format junit $V/valid.xml $V/bad-bsn.xml > "$T/j.xml"
	[ "$(grep -c '<testcase [^>]* time="[0-9][0-9]*\.[0-9][0-9][0-9]"' "$T/j.xml")" = 2 ] &&
	grep -q '<testsuite [^>]* timestamp="[0-9-]*T[0-9:]*"[^>]* time="[0-9.]*"' "$T/j.xml"
}
test_expect "junit: a time on the suite and every testcase, and a timestamp" junit_times

# A document with two findings: one failure element holding both lines.
junit_one_failure() {
	zib validate -q --format junit --schematron $V/rules/header.sch $V/sch-bad.xml > "$T/j.xml"
	[ "$(grep -c '<failure ' "$T/j.xml")" = 1 ] &&
	[ "$(grep -c '^sch-bad.xml\|\[SCH-' "$T/j.xml")" = 3 ]
}
test_expect "junit: one failure element per document with all its findings" junit_one_failure

outcome_check() {
	python3 - "$@" <<'PY'
import json, sys
types = set("""invalid structure required value invariant security login unknown expired
forbidden suppressed processing not-supported duplicate multiple-matches not-found deleted
too-long code-invalid extension too-costly business-rule conflict transient lock-error
no-store exception timeout incomplete throttled informational""".split())
doc = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
if want == 1:
    outcomes = [doc]
else:
    assert doc["resourceType"] == "Bundle" and doc["type"] == "collection", doc["resourceType"]
    outcomes = [e["resource"] for e in doc["entry"]]
assert len(outcomes) == want, (len(outcomes), want)
seen = set()
for oo in outcomes:
    assert oo["resourceType"] == "OperationOutcome"
    assert oo["issue"], "an OperationOutcome needs an issue"
    for i in oo["issue"]:
        assert i["code"] in types, i["code"]
        seen.add(i["code"])
for code in sys.argv[3:]:
    assert code in seen, (code, seen)
PY
}
outcome_batch() {
	zib validate -q --format outcome $V/valid.xml $V/bad-bsn.xml $F/card-001-bad.xml > "$T/oo.json"
	outcome_check "$T/oo.json" 3 informational value required
}
outcome_single() {
	zib validate -q --format outcome $F/vs-002-bad.xml > "$T/oo.json"
	outcome_check "$T/oo.json" 1 code-invalid
}
outcome_dir() {
	mkdir -p "$T/oo" && zib validate -q --format outcome -o "$T/oo" $V/valid.xml $V/bad-bsn.xml
	[ $? = 1 ] && [ "$(ls "$T/oo" | tr '\n' ' ')" = "bad-bsn.outcome.json valid.outcome.json " ] &&
	outcome_check "$T/oo/bad-bsn.outcome.json" 1 value &&
	outcome_check "$T/oo/valid.outcome.json" 1 informational
}
if command -v python3 > /dev/null; then
	test_expect "outcome: a Bundle of one OperationOutcome per document" outcome_batch
	test_expect "outcome: a single document is one OperationOutcome" outcome_single
	test_expect "outcome: -o DIR writes one file per document" outcome_dir
else
	test_skip "outcome: structure checks" "python3 not installed"
fi

sarif_rules() {
	zib validate -q --format sarif --schematron $V/rules/header.sch $V/sch-bad.xml $V/bad-bsn.xml \
		> "$T/s.json"
	python3 - "$T/s.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
used = {r["ruleId"] for r in run["results"]}
assert used == set(rules), (used, set(rules))
assert "SCH-conf-n" in rules and "ZIB-ID-002" in rules, rules
for r in run["results"]:
    assert rules[r["ruleId"]]["defaultConfiguration"]["level"] == r["level"], r["ruleId"]
PY
}
command -v python3 > /dev/null && test_expect "sarif: a rule for every code that occurs, Schematron included" sarif_rules

# Baselines: record, then only new findings count.
baseline_cycle() {
	zib validate -q --write-baseline "$T/base" $V/bad-bsn.xml $V/bad-ts.xml > /dev/null
	[ $? = 1 ] && head -1 "$T/base" | grep -qx '# zib baseline 1' &&
	[ "$(grep -c '^ZIB-' "$T/base")" = 2 ] &&
	zib validate --baseline "$T/base" $V/bad-bsn.xml $V/bad-ts.xml > "$T/out" 2> "$T/err" &&
	[ ! -s "$T/out" ] && grep -q '^2 documents, 0 errors, 0 warnings, 2 suppressed$' "$T/err" &&
	grep -q 'ZIB-ID-002 .* (1 suppressed)' "$T/err" &&
	expect_exit 1 zib validate -q --baseline "$T/base" $V/bad-bsn.xml $V/bad-vs.xml > "$T/out" &&
	grep -q 'bad-vs.xml.*error\[ZIB-VS' "$T/out" && ! grep -q 'bad-bsn' "$T/out"
}
test_expect "baseline: recorded findings are suppressed, new ones fail" baseline_cycle

baseline_sarif() {
	zib validate -q --write-baseline "$T/base" $V/bad-bsn.xml > /dev/null
	zib validate -q --baseline "$T/base" --format sarif $V/bad-bsn.xml > "$T/s.json" &&
	grep -q '"suppressions": \[{"kind": "external"' "$T/s.json" &&
	zib validate -q --baseline "$T/base" --format json $V/bad-bsn.xml | grep -q '"suppressed": 1'
}
test_expect "baseline: SARIF marks suppressed results, JSON counts them" baseline_sarif

bad_baseline() {
	printf 'ZIB-ID-002\tx\n' > "$T/bad"
	expect_exit 2 zib validate --baseline "$T/bad" $V/valid.xml 2> "$T/err" &&
	grep -q "not a zib baseline" "$T/err" &&
	printf '# zib baseline 1\nZIB-ID-002\tx\n' > "$T/bad" &&
	expect_exit 2 zib validate --baseline "$T/bad" $V/valid.xml 2> "$T/err" &&
	grep -q ":2: a baseline line has four" "$T/err"
}
test_expect "baseline: a malformed file is a usage error naming file and line" bad_baseline

ignore_codes() {
	zib validate --ignore ZIB-ID-002 --ignore ZIB-DT-001,ZIB-VS-001 $V/bad-bsn.xml $V/bad-ts.xml \
		> "$T/out" 2> "$T/err" &&
	[ ! -s "$T/out" ] && grep -q ', 2 suppressed$' "$T/err" &&
	expect_exit 1 zib validate -q --ignore ZIB-DT-001 $V/bad-bsn.xml > /dev/null
}
test_expect "--ignore CODE[,CODE]: those findings do not count" ignore_codes

quiet_keeps_findings() {
	zib validate -q $V/bad-bsn.xml $V/bad-ts.xml > "$T/out" 2> "$T/err"
	[ $? = 1 ] && [ ! -s "$T/err" ] && grep -q 'error\[ZIB-ID-002\]' "$T/out"
}
test_expect "-q silences the summary and the count only, not the findings" quiet_keeps_findings

per_code() {
	zib validate $V/bad-bsn.xml $V/bad-ts.xml $V/valid.xml > /dev/null 2> "$T/err"
	grep -q '^findings per code:$' "$T/err" && grep -Eq '^  ZIB-ID-002 +error +1$' "$T/err" &&
	grep -Eq '^  ZIB-DT-001 +error +1$' "$T/err"
}
test_expect "a batch ends with a count per code" per_code
convert_quiet() {
	zib convert -q --to cda --now testdata/convert-cda/weight.json \
		testdata/convert-cda/weight.json > /dev/null 2> "$T/err"
	[ "$(grep -c 'warning\[ZIB-CDAW-001\]' "$T/err")" = 2 ] && ! grep -q 'converted\|per code' "$T/err" &&
	zib convert --to cda --now testdata/convert-cda/weight.json \
		testdata/convert-cda/weight.json > /dev/null 2> "$T/err" &&
	grep -Eq '^  ZIB-CDAW-001 +warning +2$' "$T/err"
}
test_expect "convert: -q keeps the warnings; a batch ends with a count per code" convert_quiet
exit $t_failed
