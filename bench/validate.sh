#!/bin/sh
# make bench: zib validate on the three BgZ 2020 CDA corpus documents,
# replicated to $ZIB_BENCH_CDA_DOCS (2000) files under /tmp; with and
# without --package (XSD validation), -j1 and -j2.  Reports documents/s,
# ms/document and peak RSS (/usr/bin/time -v when present).
# Usage: sh bench/validate.sh BUILD_DIR
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
D="$corpus/cda-bgz2020"
min=${ZIB_BENCH_CDA_DOCS:-2000}

if [ ! -f "$D/xml-BgZ2020-notyetvalid.xml" ]; then
	echo "bench: no CDA corpus at $D; nothing to measure"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench-cda.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/cda"
n=0
while [ "$n" -lt "$min" ]; do
	for f in xml-BgZ2020.xml xml-BgZ2020-test.xml xml-BgZ2020-notyetvalid.xml; do
		[ "$n" -lt "$min" ] || break
		cp "$D/$f" "$tmp/cda/$n-$f"
		n=$((n + 1))
	done
done
mb=$(du -sm "$tmp/cda" | cut -f1)
echo "== zib validate on $n CDA documents ($mb MB on disk)"
printf '%-28s %10s %12s %12s\n' "run" "docs/s" "ms/doc" "peak RSS MB"

secs() { date +%s.%N; }
run() {  # label, zib validate arguments...
	label=$1
	shift
	t0=$(secs)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$tmp/time" "$build/zib" validate -q "$@" "$tmp/cda" >/dev/null 2>&1
		rss=$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tmp/time")
	else
		"$build/zib" validate -q "$@" "$tmp/cda" >/dev/null 2>&1
		rss="n/a"
	fi
	t1=$(secs)
	awk -v n="$n" -v a="$t0" -v b="$t1" -v l="$label" -v rss="$rss" 'BEGIN {
		printf "%-28s %10.0f %12.3f %12s\n", l, n / (b - a), (b - a) * 1000 / n, rss }'
}
for j in 1 2; do
	run "-j$j" -j "$j"
	run "-j$j --package" -j "$j" --package "$D"
done
