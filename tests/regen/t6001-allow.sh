#!/bin/sh
# Rewrites tests/t6001-fhir-unmapped-allow.txt from what the FHIR reader
# leaves unread now (make regen; never run by the suite: run it after a
# reader fix, then read the diff).  Keeps the comment header; classifies
# with t6001-classify-unmapped.py.  Usage: sh tests/regen/t6001-allow.sh [BUILD_DIR]
set -e
C=${ZIB_CORPUS:-../shared/corpus}
ALLOW=tests/t6001-fhir-unmapped-allow.txt
if [ ! -d "$C" ]; then
	echo "t6001-allow: no corpus at $C: $ALLOW left as it is" >&2
	exit 0
fi
PATH=$(pwd)/${1:-build}:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep '^#' "$ALLOW" > "$tmp/allow"
find "$C/fhir-r4-zib2020/examples" "$C/fhir-stu3-bgz/BgZ-3-0" "$C/fhir-stu3-bgz/BgZ-MSZ-2-0" \
	-name '*.xml' | sort > "$tmp/files"
# One document at a time, in input order (validate prints in input order at any -j).
zib validate -v @"$tmp/files" > "$tmp/out" 2>&1 || [ $? -le 1 ]
python3 tests/regen/t6001-classify-unmapped.py < "$tmp/out" | sort >> "$tmp/allow"
cp "$tmp/allow" "$ALLOW"
