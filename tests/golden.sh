#!/bin/sh
# Runs the golden cases of one area: sh tests/golden.sh testdata/AREA
# Prints "ok CASE" or "not ok CASE: why" (with the diff) per case.
#
# A golden case is testdata/AREA/CASE.cmd, one shell command line run from
# testdata/AREA with zib on PATH.  Beside it: CASE.out (expected stdout),
# CASE.err (expected stderr, optional) and CASE.exit (expected exit status,
# 0 when absent).  With --update (tests/regen/golden.sh, never the suite)
# the expected files are rewritten from what the cases print now.

dir=$1
update=
[ "$2" = --update ] && update=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

for cmdfile in $(find "$dir" -maxdepth 1 -name '*.cmd' | sort); do
	case_=$(basename "$cmdfile" .cmd)
	(cd "$dir" && sh "./$case_.cmd" > "$tmp/out" 2> "$tmp/err" < /dev/null)
	rc=$?
	if [ -n "$update" ]; then
		cp "$tmp/out" "$dir/$case_.out"
		if [ -s "$tmp/err" ] || [ -f "$dir/$case_.err" ]; then cp "$tmp/err" "$dir/$case_.err"; fi
		if [ $rc -ne 0 ]; then echo $rc > "$dir/$case_.exit"; else rm -f "$dir/$case_.exit"; fi
	fi
	want_rc=0
	[ -f "$dir/$case_.exit" ] && want_rc=$(cat "$dir/$case_.exit")
	why=
	[ "$rc" = "$want_rc" ] || why=" exit $rc, want $want_rc"
	if [ -f "$dir/$case_.out" ] && ! cmp -s "$dir/$case_.out" "$tmp/out"; then
		why="$why stdout differs"
		diff -u "$dir/$case_.out" "$tmp/out" | head -20 > "$tmp/why.out"
	fi
	if [ -f "$dir/$case_.err" ] && ! cmp -s "$dir/$case_.err" "$tmp/err"; then
		why="$why stderr differs"
		diff -u "$dir/$case_.err" "$tmp/err" | head -20 > "$tmp/why.err"
	fi
	if [ -z "$why" ]; then
		echo "ok $cmdfile"
	else
		echo "not ok $cmdfile:$why"
		cat "$tmp/why.out" "$tmp/why.err" 2> /dev/null | sed 's/^/    /'
		rm -f "$tmp/why.out" "$tmp/why.err"
		failed=1
	fi
done
exit $failed
