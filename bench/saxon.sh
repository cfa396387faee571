#!/bin/sh
# make bench (Schematron part): the BgZ 2020 createUpdate rule set through
# the reference pipeline (../shared/reference-pipeline/schematron-reference.sh:
# the ISO skeleton compiled to XSLT 2.0, run on Saxon-HE in one JVM) and
# through zib schematron, on the same documents, side by side.  One run of
# the reference script with an empty XSLT cache: it compiles the rule set
# (three XSLT passes, one JVM each), then runs the compiled XSLT on all n
# documents in one JVM.  A stand-in for java first on PATH times each JVM
# and adds Saxon's -t to the last one, whose timings (loading the XSLT, and
# each document's tree and execution) it keeps.
# Figures:
#   compile      reference: the three passes plus loading the compiled
#                XSLT (all before the first document); zib: its own -v
#                figure ("compiled ... in")
#   per document reference: tree building + execution per document (mean,
#                the first one included); zib: (run on the n documents
#                listed over and over, 120 in all - run on the first one)
#                / 119, wall, best of 3
#   peak RSS     the largest process of a run (/usr/bin/time %M)
#   agreement    per document, the same failed asserts and successful
#                reports (each element's attributes: test, location, role,
#                id, ...; canonical XML, xmllint --c14n) in both SVRL outputs
# Saxon is slow (about 20 s to compile and 1.5 s a document on a quiet
# machine; several times that when the cores are shared), so n is small:
# ZIB_BENCH_SAXON_DOCS documents (default 4): the corpus documents
# xml-BgZ2020*.xml (36 KB; one of them fails 13 asserts), then copies of
# xml-BgZ2020.xml.  ZIB_BENCH_SAXON=0 skips this part.
# Needs java, Saxon-HE and xmllint (Debian: default-jre-headless
# libsaxonhe-java libxml2-utils); without them it prints one line and stops.
# Usage: sh bench/saxon.sh BUILD_DIR.  Data and the XSLT cache go under /tmp.
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
cda="$corpus/cda-bgz2020"
rules="$cda/bgz2020-runtime-develop/bgz2020-BasicHealthDataSet-createUpdate-2020.sch"
ref=${ZIB_REFERENCE:-../shared/reference-pipeline/schematron-reference.sh}
jar=${SAXON_JAR:-/usr/share/java/Saxon-HE.jar}
n=${ZIB_BENCH_SAXON_DOCS:-4}

[ "${ZIB_BENCH_SAXON:-1}" = 0 ] && exit 0
if [ ! -f "$rules" ] || [ ! -f "$ref" ]; then
	echo "== Saxon-HE reference pipeline: no rule set or reference script; not compared"
	exit 0
fi
if [ ! -f "$jar" ] || ! command -v java > /dev/null || ! command -v xmllint > /dev/null ||
	[ ! -x /usr/bin/time ]; then
	echo "== Saxon-HE reference pipeline: not installed (needs $jar, java, xmllint, /usr/bin/time:" \
		"apt-get install default-jre-headless libsaxonhe-java libxml2-utils time); not compared"
	exit 0
fi
[ "$n" -ge 2 ] 2>/dev/null || n=2
tmp=$(mktemp -d /tmp/zib-bench-saxon.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/docs" "$tmp/one" "$tmp/ref" "$tmp/zib"
i=0
for f in "$cda"/xml-BgZ2020*.xml; do
	[ "$i" -lt "$n" ] || break
	cp "$f" "$tmp/docs/$(printf %03d $i)-$(basename "$f")"
	i=$((i + 1))
done
while [ "$i" -lt "$n" ]; do
	cp "$cda/xml-BgZ2020.xml" "$tmp/docs/$(printf %03d $i)-copy.xml"
	i=$((i + 1))
done
first=$(ls "$tmp/docs" | head -1)
# the reference caches its compiled XSLT here: empty at first, so it compiles
XDG_CACHE_HOME="$tmp/cache"
export XDG_CACHE_HOME
cp "$tmp/docs/$first" "$tmp/one/"

# run NAME CMD...: prints the wall seconds and peak RSS (KB) of CMD, its
# output in $tmp/NAME.*
# (the last line of time's file: a non-zero exit adds a line before it).
run() {
	name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
	tail -n 1 "$tmp/$name.time"
}

echo "== Saxon-HE reference pipeline vs zib schematron: BgZ 2020 createUpdate, $n documents of about 36 KB"
# java for the script: times every JVM; the run of the compiled XSLT gets -t
real_java=$(command -v java)
mkdir "$tmp/bin"
cat > "$tmp/bin/java" <<JAVA
#!/bin/sh
t0=\$(date +%s%N)
kind=pass
for a in "\$@"; do
	case "\$a" in -xsl:*/compiled.xsl) kind=run ;; esac
done
if [ \$kind = run ]; then
	"$real_java" "\$@" -t 2> "$tmp/saxon-t.log"
	rc=\$?
	cat "$tmp/saxon-t.log" >&2
else
	"$real_java" "\$@"
	rc=\$?
fi
echo "\$kind \$t0 \$(date +%s%N)" >> "$tmp/jvms"
exit \$rc
JAVA
chmod +x "$tmp/bin/java"
: > "$tmp/jvms"
path=$PATH
PATH="$tmp/bin:$PATH"
set -- $(run ref bash "$ref" -o "$tmp/ref" "$rules" "$tmp/docs")
PATH=$path
ref_wall=$1 ref_rss=$2
if [ "$(cat "$tmp/ref.rc")" != 0 ] || [ ! -s "$tmp/saxon-t.log" ]; then
	echo "   reference pipeline failed (exit $(cat "$tmp/ref.rc")):"
	tail -n 5 "$tmp/ref.err" | sed 's/^/   /'
	exit 0
fi
passes=$(awk '$1 == "pass" { s += ($3 - $2) / 1e9 } END { printf "%.1f", s }' "$tmp/jvms")

# best3 NAME CMD...: run, three times; prints the least wall time and its RSS
best3() {
	name=$1
	shift
	for k in 1 2 3; do
		run "$name" "$@"
		cat "$tmp/$name.err" >> "$tmp/$name.errs"
	done | sort -n | head -1
}
set -- $(best3 zib1 "$build/zib" schematron -q -j 1 "$rules" "$tmp/one")
z1=$1
# zib's per-document part is a few ms: over the n documents alone the
# start-up's noise would swamp it, so they are listed over and over (zn
# documents in all).
zn_docs=120
ls "$tmp"/docs/* > "$tmp/docs.list"
: > "$tmp/many.list"
while [ "$(wc -l < "$tmp/many.list")" -lt "$zn_docs" ]; do cat "$tmp/docs.list" >> "$tmp/many.list"; done
zn_docs=$(wc -l < "$tmp/many.list")
set -- $(best3 zibn "$build/zib" schematron -v -q -j 1 "$rules" "@$tmp/many.list")
zn=$1 zrss=$2
zc=$(sed -n 's/.*asserts in \([0-9.]*\) ms.*/\1/p' "$tmp/zibn.errs" | sort -n | head -1)

# Saxon -t: "Stylesheet compilation time: 12.3s (12345.6ms)", then per
# document "Tree built in 3.2ms" and "Execution time: 1.5s (1534.2ms)".
ms() { sed -n "s/^$1.*[ (]\([0-9.]*\)ms.*/\1/p" "$tmp/saxon-t.log"; }
load=$(ms 'Stylesheet compilation time' | head -1)
docs_ms=$( { ms 'Tree built in'; ms 'Execution time'; } | awk '{ s += $1 } END { print s + 0 }')
ndone=$(ms 'Execution time' | wc -l)

awk -v n="$n" -v nd="$ndone" -v w="$ref_wall" -v p="$passes" -v rr="$ref_rss" \
	-v load="${load:-0}" -v dm="$docs_ms" -v z1="$z1" -v zn="$zn" -v zc="${zc:-0}" -v zr="$zrss" \
	-v zk="$zn_docs" 'BEGIN {
	if (nd < 1) nd = 1
	rc = p + load / 1000; rd = dm / nd; zd = (zn - z1) / (zk - 1) * 1000
	printf "   %-26s %12s %16s %14s\n", "", "compile", "per document", "peak RSS"
	printf "   %-26s %10.1f s %13.0f ms %11.0f MB\n", "Saxon-HE + ISO skeleton", rc, rd, rr / 1024
	printf "   %-26s %10.3f s %13.2f ms %11.0f MB\n", "zib schematron -j 1", zc / 1000, zd, zr / 1024
	if (zd > 0 && zc > 0)
		printf "   zib: %.0fx faster to compile, %.0fx per document\n", rc * 1000 / zc, rd / zd
	printf "   reference: %.1f s in all; its compile: three XSLT passes %.1f s + loading the XSLT %.1f s\n",
		w, p, load / 1000
	printf "   zib per document: (run on %d - run on 1) / %d (the %d documents listed over and over), start-up and compile excluded\n", zk, zk - 1, n
}'

# Agreement: the failed asserts and successful reports of each document.
hits() {
	xmllint --c14n "$1" 2>/dev/null | tr '\n' ' ' |
		grep -o '<svrl:\(failed-assert\|successful-report\) [^>]*>' | sort
}
agree=0 total=0
for f in "$tmp/docs"/*.xml; do
	b=$(basename "$f" .xml)
	total=$((total + 1))
	"$build/zib" schematron -q -j 1 --format svrl "$rules" "$f" > "$tmp/zib/$b.svrl" 2> /dev/null
	hits "$tmp/ref/$b.svrl" > "$tmp/ref/$b.hits"
	hits "$tmp/zib/$b.svrl" > "$tmp/zib/$b.hits"
	if [ -s "$tmp/ref/$b.svrl" ] && cmp -s "$tmp/ref/$b.hits" "$tmp/zib/$b.hits"; then
		agree=$((agree + 1))
	else
		echo "   differs on $b: reference $(wc -l < "$tmp/ref/$b.hits"), zib $(wc -l < "$tmp/zib/$b.hits") failed asserts + reports"
	fi
done
echo "   same failed asserts and successful reports on $agree of $total documents" \
	"($(cat "$tmp/ref"/*.hits | wc -l) in all, per the reference)"
