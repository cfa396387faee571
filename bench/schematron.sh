#!/bin/sh
# make bench (Schematron part): compile time of the BgZ 2020 rule set,
# time per document and peak memory of `zib schematron`.
# Usage: sh bench/schematron.sh BUILD_DIR.  Data is generated under /tmp.
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
cda="$corpus/cda-bgz2020"
rules="$cda/bgz2020-runtime-develop/bgz2020-BasicHealthDataSet-createUpdate-2020.sch"
n=${ZIB_BENCH_SCH_DOCS:-200}

if [ ! -f "$rules" ]; then
	echo "bench: no BgZ 2020 rule set at $rules; nothing to measure"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench-sch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$n" ]; do
	cp "$cda/xml-BgZ2020.xml" "$tmp/doc$i.xml"
	i=$((i + 1))
done
now() { date +%s%N; }

echo "== Schematron: BgZ 2020 createUpdate rule set"
# compile only: one tiny document
echo '<x/>' > "$tmp/empty.xml"
"$build/zib" schematron -v -q "$rules" "$tmp/empty.xml" 2>&1 | grep compiled | sed 's/^zib: /   /'
t0=$(now)
"$build/zib" schematron -q -j 1 "$rules" "$tmp/empty.xml" > /dev/null 2>&1
t1=$(now)
"$build/zib" schematron -q -j 1 "$rules" "$tmp"/doc*.xml > /dev/null 2>&1
t2=$(now)
compile_ms=$(( (t1 - t0) / 1000000 ))
per_doc_us=$(( ((t2 - t1) - (t1 - t0)) / 1000 / n ))
echo "   compile + start: ${compile_ms} ms"
echo "   per document (xml-BgZ2020.xml, $(wc -c < "$cda/xml-BgZ2020.xml") bytes, -j 1, $n docs): $((per_doc_us / 1000)).$(printf %03d $((per_doc_us % 1000))) ms"
t3=$(now)
"$build/zib" schematron -q "$rules" "$tmp"/doc*.xml > /dev/null 2>&1
t4=$(now)
echo "   $n documents, all cores: $(( (t4 - t3) / 1000000 )) ms"
# Peak memory: the compiled rule set dominates (shared by the -j threads);
# it must not grow with the number of documents (goal: under 200 MB).
rss() { awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print int($2 / 1024)}' "$1"; }
if [ -x /usr/bin/time ]; then
	for j in 1 2 default; do
		jopt="-j $j"
		[ "$j" = default ] && jopt=
		/usr/bin/time -v "$build/zib" schematron -q $jopt "$rules" "$tmp"/doc*.xml \
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
else
	echo "   peak RSS: /usr/bin/time not installed"
fi
# The same rule set inside zib validate (parse once: XSD off, zib rules on).
t5=$(now)
"$build/zib" validate -q -j 1 --package "$cda" --transaction createUpdate "$tmp"/doc*.xml > /dev/null 2>&1
t6=$(now)
"$build/zib" validate -q -j 1 --package "$cda" --transaction createUpdate "$tmp/empty.xml" > /dev/null 2>&1
t7=$(now)
echo "   zib validate --package --transaction createUpdate, per document (-j 1): $(( ((t6 - t5) - (t7 - t6)) / 1000 / n / 1000 )) ms"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$build/zib" validate -q --package "$cda" "$tmp"/doc*.xml 2> "$tmp/time" > /dev/null
	echo "   zib validate --package, peak RSS (all cores, $n docs): $(rss "$tmp/time") MB"
fi
