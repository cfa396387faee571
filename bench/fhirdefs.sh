#!/bin/sh
# make bench: FHIR definitions (lib/fhirdef/): compiling R4 core + zib2020
# from the corpus (cold), opening the compiled defaults (warm), and the
# cache path for the zib2020 profiles given as a package.  Peak RSS from
# /usr/bin/time -v.  Usage: sh bench/fhirdefs.sh BUILD_DIR
build=${1:-build}
corpus=${ZIB_CORPUS:-../shared/corpus}
core="$corpus/fhir-r4-core"
zib="$corpus/fhir-r4-zib2020/profiles"
if [ ! -f "$core/profiles-resources.json" ] || [ ! -d "$zib" ]; then
	echo "bench: no FHIR definitions in $corpus; nothing to measure"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is needed for peak RSS"
	exit 0
fi
tmp=$(mktemp -d /tmp/zib-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
src="$core/profiles-types.json $core/profiles-resources.json $core/extension-definitions.json
$core/valuesets.json $core/v3-codesystems.json $zib"

rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

echo "== FHIR definitions: R4 core + zib2020/nl-core"
# shellcheck disable=SC2086
/usr/bin/time -v "$build/fhirdefs" compile "$tmp/defs.zdefs" $src 2> "$tmp/t"
echo "cold compile: $(sed -n 's/.*compiled .* in \([0-9]*\) ms.*/\1/p' "$tmp/t") ms, peak RSS $(($(rss "$tmp/t") / 1024)) MB, $(($(wc -c < "$tmp/defs.zdefs") / 1048576)) MB compiled"
best=
for i in 1 2 3 4 5 6 7; do
	ZIB_FHIR_DEFS="$tmp/defs.zdefs" /usr/bin/time -v "$build/fhirdefs" stats > "$tmp/s" 2> "$tmp/t"
	ms=$(sed -n 's/^open_ms //p' "$tmp/s")
	best=$(echo "$ms $best" | tr ' ' '\n' | grep . | sort -n | head -1)
done
echo "warm open of the defaults: best of 7 $best ms, peak RSS $(($(rss "$tmp/t") / 1024)) MB"
XDG_CACHE_HOME="$tmp/cache" ZIB_FHIR_DEFS="$tmp/defs.zdefs" "$build/fhirdefs" stats "$zib" > "$tmp/s"
echo "zib2020 folder as a package, cache cold: $(sed -n 's/^open_ms //p' "$tmp/s") ms"
best=
for i in 1 2 3 4 5; do
	XDG_CACHE_HOME="$tmp/cache" ZIB_FHIR_DEFS="$tmp/defs.zdefs" /usr/bin/time -v \
		"$build/fhirdefs" stats "$zib" > "$tmp/s" 2> "$tmp/t"
	ms=$(sed -n 's/^open_ms //p' "$tmp/s")
	best=$(echo "$ms $best" | tr ' ' '\n' | grep . | sort -n | head -1)
done
echo "zib2020 folder as a package, cache warm: best of 5 $best ms (hashing the sources included), peak RSS $(($(rss "$tmp/t") / 1024)) MB"
