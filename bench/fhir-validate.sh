#!/bin/sh
# make bench: FHIR conformance validation (lib/fhirval) with the default
# definitions (R4 core + the zib2020 / nl-core profiles, compiled by make):
#   warm start-up   zib validate on one small nl-core Patient (best and
#                   median of $STARTUP_RUNS runs, default 20; the definitions
#                   file in the page cache), and of one CDA document, which
#                   never opens the FHIR definitions
#   throughput      zib validate -j1 and -j2 over the 271 zib2020 examples
#                   (best of 3), resources/s and per core
#   peak RSS        /usr/bin/time -v, for each run above
# Next to it, the parse-only speed of the same files (fhir-bench: libxml2
# alone, and the zib_fhir XML reader with JSON writing).  Goals (issue 17): start-up <= 50 ms,
# >= 1,000 resources/s per core, peak RSS <= 150 MB.
# Usage: sh bench/fhir-validate.sh BUILD_DIR
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
ex="$corpus/fhir-r4-zib2020/examples"

if [ ! -d "$ex" ]; then
	echo "bench: no zib2020 examples at $ex; nothing to measure"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is needed for peak RSS"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench-fhirval.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# A cache of its own: --fhir-package is not used, but keep the user's alone.
export XDG_CACHE_HOME="$tmp/cache"
n=$(find "$ex" -maxdepth 1 -name '*.xml' | wc -l)
runs=${STARTUP_RUNS:-20}

cat > "$tmp/patient.xml" <<'EOF'
<Patient xmlns="http://hl7.org/fhir">
  <id value="bench"/>
  <meta><profile value="http://nictiz.nl/fhir/StructureDefinition/nl-core-Patient"/></meta>
  <identifier><system value="http://fhir.nl/fhir/NamingSystem/bsn"/><value value="999911120"/></identifier>
  <name><family value="Jansen"/><given value="Anna"/></name>
  <gender value="female"/>
  <birthDate value="1970-01-01"/>
</Patient>
EOF

secs() { date +%s.%N; }
rss() { awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
# CPU ms (user + system) of the last timed run
cpu() { awk -F: '/User time|System time/ { s += $2 } END { printf "%.0f", s * 1000 }' "$1"; }

# timed RUNS zib-arguments...: prints "best median rss cpu" (wall ms, wall
# ms, MB of the last run, CPU ms of the best run)
timed() {
	runs=$1
	shift
	: > "$tmp/ms"
	i=0
	while [ "$i" -lt "$runs" ]; do
		t0=$(secs)
		/usr/bin/time -v -o "$tmp/time" "$build/zib" "$@" > /dev/null 2>&1
		t1=$(secs)
		awk -v a="$t0" -v b="$t1" -v c="$(cpu "$tmp/time")" \
			'BEGIN { printf "%.1f %s\n", (b - a) * 1000, c }' >> "$tmp/ms"
		i=$((i + 1))
	done
	sort -n "$tmp/ms" > "$tmp/ms.sorted"
	best=$(head -1 "$tmp/ms.sorted" | cut -d' ' -f1)
	bcpu=$(head -1 "$tmp/ms.sorted" | cut -d' ' -f2)
	median=$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' "$tmp/ms.sorted")
	echo "$best $median $(rss "$tmp/time") $bcpu"
}

echo "== FHIR validation: R4 core + zib2020/nl-core profiles (the defaults)"
"$build/zib" validate -q -j 1 "$tmp/patient.xml" > /dev/null 2>&1
set -- $(timed "$runs" validate -q -j 1 "$tmp/patient.xml")
echo "warm start-up, one nl-core Patient: best $1 ms, median $2 ms of $runs, peak RSS $3 MB (goal <= 50 ms)"
cda=$(find "$corpus/cda-bgz2020" -name 'xml-BgZ2020-test.xml' 2>/dev/null | head -1)
if [ -n "$cda" ]; then
	set -- $(timed "$runs" validate -q -j 1 "$cda")
	echo "warm start-up, one BgZ CDA document (no FHIR definitions opened): best $1 ms, median $2 ms of $runs"
fi

printf '%-20s %8s %8s %8s %12s %12s\n' "$n examples" "wall ms" "res/s" "CPU ms" "res/CPU-s" "peak RSS MB"
for j in 1 2; do
	set -- $(timed 3 validate -q -j "$j" "$ex")
	awk -v n="$n" -v ms="$1" -v j="$j" -v rss="$3" -v cpu="$4" 'BEGIN {
		printf "%-20s %8.0f %8.0f %8.0f %12.0f %12s\n", "zib validate -j" j, ms, n * 1000 / ms,
			cpu, n * 1000 / cpu, rss }'
done
echo "-- parse only, same files, in process, one thread (bench/fhir_bench.c):"
"$build/fhir-bench" "$ex" | grep -E 'parse only \(xmlReadMemory\)|XML -> JSON'
echo "(goals: >= 1,000 resources/s per core (res/CPU-s), peak RSS <= 150 MB; the figures"
echo " include start-up, and wall time on a shared machine includes waiting for a core)"
