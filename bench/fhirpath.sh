#!/bin/sh
# make bench: FHIRPath (lib/fhirpath/) speed, single thread: the 945
# invariants of the R4 core definitions evaluated on the 271 zib2020
# examples, as tests/t9001 does, then on the zib2020 StructureDefinitions
# (whose ElementDefinition invariants run regular expressions on every
# element).  CPU time of the evaluation only: reading, parsing and
# compiling are not timed.
# Usage: sh bench/fhirpath.sh BUILD_DIR
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
core="$corpus/fhir-r4-core"
zib="$corpus/fhir-r4-zib2020"
secs=${ZIB_BENCH_SECONDS:-3}
if [ ! -f "$core/profiles-resources.json" ] || [ ! -d "$zib/examples" ]; then
	echo "bench: no R4 core definitions or zib2020 examples in $corpus; nothing to measure"
	exit 0
fi

speed() {
	"$build/fhirpath-invariants" --bench "$secs" "$core" "$@" 2>/dev/null |
		sed -n 's/^bench: .* evaluations in .* CPU s: \([0-9]*\) invariants\/s, \([0-9]*\) documents\/s$/\1 invariants\/s (\2 resources\/s) per CPU second/p'
}

echo "== FHIRPath: R4 core invariants, single thread (tests/fhirpath-invariants.c)"
echo "on the $(ls "$zib/examples" | wc -l) zib2020 examples: $(speed "$zib/examples"/*)"
if [ -d "$zib/profiles/nl-core" ]; then
	echo "on the $(ls "$zib/profiles/nl-core" | wc -l) zib2020 profiles (regexes): $(speed "$zib/profiles/nl-core"/*)"
fi
