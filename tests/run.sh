#!/bin/sh
# Runs the whole suite: unit tests, golden tests (testdata/**/*.cmd) and the
# script tests (tests/t*.sh).  Usage: sh tests/run.sh [BUILD_DIR]
# Ends with "N passed, N failed, N skipped"; exits 1 when anything failed.
#
# A golden case is testdata/AREA/CASE.cmd, one shell command line run from
# testdata/AREA with zib on PATH.  Beside it: CASE.out (expected stdout),
# CASE.err (expected stderr, optional) and CASE.exit (expected exit status,
# 0 when absent).  Set ZIB_UPDATE_GOLDEN=1 to rewrite the expected files.

build=${1:-build}
top=$(pwd)
PATH="$top/$build:$PATH"
ZIB_CORPUS=${ZIB_CORPUS:-$top/../shared/corpus}
export PATH ZIB_CORPUS
unset ZIB_MODELS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0 skipped=0

count_log() {
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	s=$(grep -c '^skip ' "$1")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

echo "== unit tests"
"$top/$build/unit-tests" > "$tmp/unit.log" 2>&1
rc=$?
grep -v '^ok ' "$tmp/unit.log"
count_log "$tmp/unit.log"
if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$tmp/unit.log"; then
	echo "not ok unit-tests exited $rc"
	failed=$((failed + 1))
fi

echo "== golden tests"
for cmdfile in $(find testdata -name '*.cmd' | sort); do
	dir=$(dirname "$cmdfile")
	case_=$(basename "$cmdfile" .cmd)
	want_rc=0
	[ -f "$dir/$case_.exit" ] && want_rc=$(cat "$dir/$case_.exit")
	(cd "$dir" && sh "./$case_.cmd" > "$tmp/out" 2> "$tmp/err" < /dev/null)
	rc=$?
	if [ -n "$ZIB_UPDATE_GOLDEN" ]; then
		cp "$tmp/out" "$dir/$case_.out"
		[ -s "$tmp/err" ] && cp "$tmp/err" "$dir/$case_.err"
		[ $rc -ne 0 ] && echo $rc > "$dir/$case_.exit"
	fi
	why=
	[ "$rc" = "$want_rc" ] || why="exit $rc, want $want_rc"
	if [ -f "$dir/$case_.out" ] && ! cmp -s "$dir/$case_.out" "$tmp/out"; then
		why="$why stdout differs"
		diff -u "$dir/$case_.out" "$tmp/out" | head -20
	fi
	if [ -f "$dir/$case_.err" ] && ! cmp -s "$dir/$case_.err" "$tmp/err"; then
		why="$why stderr differs"
		diff -u "$dir/$case_.err" "$tmp/err" | head -20
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
	else
		echo "not ok $cmdfile:$why"
		failed=$((failed + 1))
	fi
done

echo "== script tests"
BUILD=$build
export BUILD
for t in $(ls tests/t[0-9]*.sh 2>/dev/null | sort); do
	sh "$t" > "$tmp/script.log" 2>&1
	rc=$?
	grep -v '^ok ' "$tmp/script.log"
	count_log "$tmp/script.log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$tmp/script.log"; then
		echo "not ok $t exited $rc"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
