#!/bin/sh
# make bench (Schematron part): the BgZ 2020 createUpdate rule set.  For
# zib schematron: compile time, time per document at -j 1 and -j 2 (the
# per-document part: a run on all documents minus a run on one, divided by
# n - 1), the -j 2 speed-up and CPU time, peak memory.  The same measured
# inside one process (schematron-bench: no compile or start-up in the
# difference, steadier on a busy machine).  Then the same rules inside
# zib validate --package.
# Usage: sh bench/schematron.sh BUILD_DIR.  Data is generated under /tmp.
# ZIB_BENCH_SCH_DOCS documents (default 120 copies of xml-BgZ2020.xml).
# The -j 1 / -j 2 comparison takes the runs in turns, ZIB_BENCH_SCH_ROUNDS
# rounds (default 11), and reports medians (bench/rounds.py); other timings
# are the best of ZIB_BENCH_SCH_RUNS runs (default 5), as the machine may
# be shared.  Goals (issue 19): <= 5 ms per document at -j 1,
# compile <= 0.3 s, -j 2 >= 1.8x faster than -j 1 with CPU time within 5%.
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
cda="$corpus/cda-bgz2020"
rules="$cda/bgz2020-runtime-develop/bgz2020-BasicHealthDataSet-createUpdate-2020.sch"
n=${ZIB_BENCH_SCH_DOCS:-120}
runs=${ZIB_BENCH_SCH_RUNS:-5}
rounds=${ZIB_BENCH_SCH_ROUNDS:-11}

if [ ! -f "$rules" ]; then
	echo "bench: no BgZ 2020 rule set at $rules; nothing to measure"
	exit 0
fi
if ! command -v python3 > /dev/null; then
	echo "bench: python3 is needed to time rounds (bench/rounds.py)"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is needed for CPU times (Debian package time)"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench-sch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$n" ]; do
	cp "$cda/xml-BgZ2020.xml" "$tmp/doc$i.xml"
	i=$((i + 1))
done
echo '<x/>' > "$tmp/empty.xml"
ls "$tmp"/doc*.xml > "$tmp/all.list"

# best CMD...: runs CMD $runs times; prints "wall cpu" (seconds) of the
# run with the least wall time.  The figures are the last line of time's
# file: when CMD exits non-zero (findings), time writes "Command exited
# with non-zero status N" first.
best() {
	k=0
	: > "$tmp/best"
	while [ "$k" -lt "$runs" ]; do
		/usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" > /dev/null 2>&1
		tail -n 1 "$tmp/t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }' >> "$tmp/best"
		k=$((k + 1))
	done
	sort -n "$tmp/best" | head -1
}

echo "== Schematron: BgZ 2020 createUpdate rule set, $n x xml-BgZ2020.xml ($(wc -c < "$cda/xml-BgZ2020.xml") bytes)"
"$build/zib" schematron -v -q "$rules" "$tmp/empty.xml" 2>&1 | grep compiled | sed 's/^zib: /   /'
set -- $(best "$build/zib" schematron -q -j 1 "$rules" "$tmp/empty.xml")
start_wall=$1 start_cpu=$2
# One document, all at -j 1 and all at -j 2, in turns: medians of rounds.
python3 bench/rounds.py "$rounds" \
	"one=$build/zib schematron -q -j 1 $rules $tmp/doc0.xml" \
	"j1=$build/zib schematron -q -j 1 $rules @$tmp/all.list" \
	"j2=$build/zib schematron -q -j 2 $rules @$tmp/all.list" > "$tmp/rounds" || exit 1
set -- $(awk '{ printf "%s %s ", $2, $3 }' "$tmp/rounds")
one_wall=$1 one_cpu=$2 j1_wall=$3 j1_cpu=$4 j2_wall=$5 j2_cpu=$6
awk -v n="$n" -v sw="$start_wall" -v sc="$start_cpu" -v ow="$one_wall" -v oc="$one_cpu" \
	-v w1="$j1_wall" -v c1="$j1_cpu" -v w2="$j2_wall" -v c2="$j2_cpu" -v r="$rounds" 'BEGIN {
	d1 = (w1 - ow) / (n - 1) * 1000; d2 = (w2 - ow) / (n - 1) * 1000
	u1 = (c1 - oc) / (n - 1) * 1000; u2 = (c2 - oc) / (n - 1) * 1000
	printf "   compile + start (one empty document): %.0f ms wall, %.0f ms CPU (goal: compile <= 300 ms)\n", sw * 1000, sc * 1000
	printf "   per document, -j 1: %.2f ms wall, %.2f ms CPU (goal <= 5 ms; medians of %d rounds)\n", d1, u1, r
	printf "   per document, -j 2: %.2f ms wall, %.2f ms CPU\n", d2, u2
	if (d2 > 0 && u1 > 0)
		printf "   -j 2 vs -j 1, per-document part: %.2fx faster, CPU time %+.1f%% (goals: >= 1.8x, within 5%%)\n", d1 / d2, (u2 / u1 - 1) * 100
	printf "   whole runs: -j 1 %.2f s (%.2f s CPU), -j 2 %.2f s (%.2f s CPU)\n", w1, c1, w2, c2
}'
# The per-document part measured inside one process (bench/schematron_bench.c):
# no compile and no start-up in the difference, 1 and 2 threads in turns.
if [ -x "$build/schematron-bench" ]; then
	"$build/schematron-bench" "$rules" "$rounds" "$tmp"/doc*.xml
fi
echo "   load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) on $(nproc) cores"

# Peak memory: the compiled rule set dominates (shared by the -j threads);
# it must not grow with the number of documents (goal: under 200 MB).
rss() { awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print int($2 / 1024)}' "$1"; }
for j in 1 2; do
	/usr/bin/time -v "$build/zib" schematron -q -j $j "$rules" "$tmp"/doc*.xml \
		2> "$tmp/time" > /dev/null
	echo "   peak RSS (-j $j, $n docs): $(rss "$tmp/time") MB"
done
# Flat memory: 100 and 1,000 documents (hard links to one file).
if [ "${ZIB_BENCH_SCH_FLAT:-1}" = 1 ]; then
	mkdir "$tmp/flat"
	i=0
	while [ "$i" -lt 1000 ]; do
		ln "$tmp/doc0.xml" "$tmp/flat/d$i.xml" 2>/dev/null || cp "$tmp/doc0.xml" "$tmp/flat/d$i.xml"
		i=$((i + 1))
	done
	/usr/bin/time -v "$build/zib" schematron -q "$rules" "$tmp"/flat/d?.xml \
		"$tmp"/flat/d??.xml 2> "$tmp/time100" > /dev/null
	/usr/bin/time -v "$build/zib" schematron -q "$rules" "$tmp"/flat/d*.xml \
		2> "$tmp/time1000" > /dev/null
	echo "   peak RSS (all cores) 100 docs: $(rss "$tmp/time100") MB, 1000 docs: $(rss "$tmp/time1000") MB"
fi
# The same rule set inside zib validate (parse once: XSD off, zib rules on).
# (one document first: the package compiles its rules on first use)
set -- $(best "$build/zib" validate -q -j 1 --package "$cda" --transaction createUpdate "$tmp/doc0.xml")
vs=$1
set -- $(best "$build/zib" validate -q -j 1 --package "$cda" --transaction createUpdate "$tmp"/doc*.xml)
awk -v n="$n" -v s="$vs" -v w="$1" -v c="$2" 'BEGIN {
	printf "   zib validate --package --transaction createUpdate, per document (-j 1): %.2f ms wall\n", (w - s) / (n - 1) * 1000 }'
/usr/bin/time -v "$build/zib" validate -q --package "$cda" "$tmp"/doc*.xml 2> "$tmp/time" > /dev/null
echo "   zib validate --package, peak RSS (all cores, $n docs): $(rss "$tmp/time") MB"
