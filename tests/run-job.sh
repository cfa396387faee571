#!/bin/sh
# Runs one job of the suite for tests/run.sh: "unit-tests", a golden area
# "testdata/AREA" or a script "tests/tNNNN-NAME.sh".  Its output goes to
# $LOGS/NAME.log and its exit status to $LOGS/NAME.rc; when it ends, one
# progress line: "ok|FAIL  JOB  SECONDS s".
job=$1
name=$(echo "$job" | tr / _)

now() {
	t=$(date +%s%N)
	case $t in *N) t=$(date +%s)000000000 ;; esac   # no %N: whole seconds
	echo "$t"
}

start=$(now)
case $job in
unit-tests) "$BUILD/unit-tests" ;;
testdata/*) sh tests/golden.sh "$job" ;;
*) sh "$job" ;;
esac > "$LOGS/$name.log" 2>&1
rc=$?
echo $rc > "$LOGS/$name.rc"
ms=$(( ($(now) - start) / 1000000 ))
verdict=ok
if [ $rc -ne 0 ] || grep -q '^not ok ' "$LOGS/$name.log"; then verdict=FAIL; fi
printf '%-4s  %-36s %4d.%d s\n' $verdict "$job" $((ms / 1000)) $((ms % 1000 / 100))
