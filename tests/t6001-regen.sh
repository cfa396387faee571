#!/bin/sh
# Rewrites tests/t6001-fhir-unmapped-allow.txt from what the reader leaves
# unread now (not run by the suite; run it after a reader fix, then read the
# diff).  Keeps the comment header; classifies with t6001-classify-unmapped.py.
# Run from the project root after make.
set -e
C=${ZIB_CORPUS:-../shared/corpus}
ALLOW=tests/t6001-fhir-unmapped-allow.txt
PATH=$(pwd)/build:$PATH
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
grep '^#' "$ALLOW" > "$tmp"
find "$C/fhir-r4-zib2020/examples" "$C/fhir-stu3-bgz/BgZ-3-0" "$C/fhir-stu3-bgz/BgZ-MSZ-2-0" \
	-name '*.xml' | sort | while read -r f; do
	zib validate -v "$f" 2>&1 || :
done | python3 tests/t6001-classify-unmapped.py | sort >> "$tmp"
cp "$tmp" "$ALLOW"
