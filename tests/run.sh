#!/bin/sh
# Runs the whole suite: unit tests, golden tests (testdata/AREA/*.cmd, one
# job per area: tests/golden.sh) and script tests (tests/t*.sh), JOBS jobs at
# a time (default: one per core; `make test JOBS=N`).  Prints a line as each
# job ends, then what failed or was skipped, job by job in a fixed order, and
# "N passed, N failed, N skipped"; exits 1 when anything failed.
# Usage: sh tests/run.sh [BUILD_DIR]
#
# The suite only checks: it never rewrites what it compares against.  The
# expected files (golden outputs, the t6001 allow-list) are rewritten by hand
# with `make regen` (tests/regen/), and then the diff is read.  Last, in a
# git checkout, the suite checks that no test wrote into the source tree.

build=${1:-build}
top=$(pwd)
PATH="$top/$build:$PATH"
ZIB_CORPUS=${ZIB_CORPUS:-$top/../shared/corpus}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
BUILD=$build
LOGS=$(mktemp -d)
export PATH ZIB_CORPUS JOBS BUILD LOGS
unset ZIB_MODELS
trap 'rm -rf "$LOGS"' EXIT

# What git sees changed in the checkout, the build directories aside.
git_state() {
	git status --porcelain --ignored 2>/dev/null | grep -v -e '^!! build[^/]*/$' -e "^!! $build/\$"
	git diff 2>/dev/null | cksum
}
in_git=
git rev-parse --is-inside-work-tree > /dev/null 2>&1 && in_git=1
[ -n "$in_git" ] && git_state > "$LOGS/git.before"

golden=$(find testdata -name '*.cmd' | sed 's|/[^/]*$||' | sort -u)
scripts=$(ls tests/t[0-9]*.sh | sort)
# Started slowest first: the corpus tests have the high numbers.
echo "== $(echo "$golden $scripts unit-tests" | wc -w) jobs, $JOBS at a time"
{ echo "$scripts" | sort -r; echo "$golden"; echo unit-tests; } | xargs -P "$JOBS" -n 1 sh tests/run-job.sh

passed=0 failed=0 skipped=0
for job in unit-tests $golden $scripts; do
	name=$(echo "$job" | tr / _)
	log=$LOGS/$name.log
	[ -f "$log" ] || : > "$log"
	rc=$(cat "$LOGS/$name.rc" 2> /dev/null || echo "no status")
	grep -v '^ok ' "$log" > "$LOGS/shown"
	if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok $job exited $rc" >> "$LOGS/shown"
		failed=$((failed + 1))
	fi
	[ -s "$LOGS/shown" ] && { echo "== $job"; cat "$LOGS/shown"; }
	passed=$((passed + $(grep -c '^ok ' "$log")))
	failed=$((failed + $(grep -c '^not ok ' "$log")))
	skipped=$((skipped + $(grep -c '^skip ' "$log")))
done

if [ -z "$in_git" ]; then
	echo "skip the suite leaves the source tree as it was (not a git checkout)"
	skipped=$((skipped + 1))
elif git_state | diff "$LOGS/git.before" - > "$LOGS/git.diff"; then
	passed=$((passed + 1))
else
	echo "not ok the suite leaves the source tree as it was: git status changed"
	sed 's/^/    /' "$LOGS/git.diff"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
