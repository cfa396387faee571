#!/bin/sh
# make bench: speed of the zib commands on the corpus, next to the speed of
# only parsing the same files.  Usage: sh bench/run.sh BUILD_DIR
# Data is generated under /tmp (removed at the end).
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
ex="$corpus/fhir-r4-zib2020/examples"
min=${ZIB_BENCH_DOCS:-10000}

if [ ! -d "$ex" ]; then
	echo "bench: no corpus at $ex; nothing to measure"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Replicate the R4 examples to at least $min documents.
mkdir -p "$tmp/xml"
n=0 copy=0
while [ "$n" -lt "$min" ]; do
	for f in "$ex"/*.xml; do
		cp "$f" "$tmp/xml/$copy-$(basename "$f")"
		n=$((n + 1))
	done
	copy=$((copy + 1))
done

echo "== FHIR convert: library, single thread (bench/fhir_bench.c)"
"$build/fhir-bench" "$tmp/xml"

secs() { date +%s.%N; }
mb=$(du -sm "$tmp/xml" | cut -f1)
for j in 1 $(nproc); do
	echo "== zib convert -j $j on $n files ($mb MB on disk)"
	rm -rf "$tmp/json" "$tmp/xml2"
	t0=$(secs)
	"$build/zib" convert -q -j "$j" --to json -o "$tmp/json/" "$tmp/xml" 2>/dev/null
	t1=$(secs)
	"$build/zib" convert -q -j "$j" --to xml -o "$tmp/xml2/" "$tmp/json" 2>/dev/null
	t2=$(secs)
	awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v mb="$mb" 'BEGIN {
		printf "XML -> JSON  %8.0f files/s %6.1f MB/s\n", n / (b - a), mb / (b - a);
		printf "JSON -> XML  %8.0f files/s\n", n / (c - b) }'
done
sh bench/validate.sh "$build"
sh bench/convert_r4.sh "$build"
