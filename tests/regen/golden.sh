#!/bin/sh
# Rewrites the expected files of every golden case (testdata/AREA/CASE.out,
# .err, .exit) from what the cases print now (make regen; never run by the
# suite: run it after an intended output change, then read the diff).
# Usage: sh tests/regen/golden.sh [BUILD_DIR]
PATH=$(pwd)/${1:-build}:$PATH
export PATH
unset ZIB_MODELS
for area in $(find testdata -name '*.cmd' | sed 's|/[^/]*$||' | sort -u); do
	sh tests/golden.sh "$area" --update | grep -v '^ok '
done
exit 0
