#!/bin/sh
# make bench part: zib convert --to fhir-r4 (CDA -> R4, STU3 -> R4) and
# --to fhir-stu3 (CDA -> STU3, STU3 -> STU3) on the corpus replicated to N
# documents (default 10,000): documents/s, and peak
# memory (/usr/bin/time -v) at 1,000 and at N documents to show it stays
# flat.  Usage: sh bench/convert_r4.sh BUILD_DIR
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
min=${ZIB_BENCH_DOCS:-10000}
zib="$build/zib"

if [ ! -d "$corpus/cda-bgz2020" ]; then
	echo "bench convert_r4: no corpus; nothing to measure"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench-r4.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# replicate NAME COUNT FILES...: copies FILES into $tmp/NAME-COUNT until COUNT.
replicate() {
	dir="$tmp/$1-$2"; want=$2; shift 2
	mkdir -p "$dir"
	n=0 copy=0
	while [ "$n" -lt "$want" ]; do
		for f in "$@"; do
			[ "$n" -ge "$want" ] && break
			cp "$f" "$dir/$copy-$(basename "$f")"
			n=$((n + 1))
		done
		copy=$((copy + 1))
	done
	echo "$dir"
}

run() {
	label=$1 dir=$2 count=$3 to=${4:-fhir-r4}
	out="$tmp/out-$to-$count"
	start=$(date +%s.%N)
	/usr/bin/time -v "$zib" convert -q --to "$to" -j 1 -o "$out/" "$dir" \
		2> "$tmp/time.txt" > /dev/null
	end=$(date +%s.%N)
	rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/time.txt")
	awk -v l="$label" -v n="$count" -v s="$start" -v e="$end" -v r="$rss" 'BEGIN {
		t = e - s; printf "%-12s %6d docs  %7.2f s  %8.0f docs/s  peak RSS %d KiB\n", l, n, t, n / t, r }'
	rm -rf "$out"
}

cda=$(ls "$corpus"/cda-bgz2020/xml-*.xml)
stu3=$(find "$corpus/fhir-stu3-bgz/BgZ-3-0" -name '*.xml' | sort)
echo "== zib convert --to fhir-r4 / fhir-stu3 (one thread, -o DIR, warnings off with -q)"
for count in 1000 "$min"; do
	# shellcheck disable=SC2086
	d=$(replicate cda "$count" $cda)
	run "CDA->R4" "$d" "$count"
	run "CDA->STU3" "$d" "$count" fhir-stu3
	rm -rf "$d"
	# shellcheck disable=SC2086
	d=$(replicate stu3 "$count" $stu3)
	run "STU3->R4" "$d" "$count"
	run "STU3->STU3" "$d" "$count" fhir-stu3
	rm -rf "$d"
done
