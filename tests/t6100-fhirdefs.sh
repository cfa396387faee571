#!/bin/sh
# FHIR definitions (lib/fhirdef/): every zib2020 profile gets a snapshot
# (or is listed with its reason in t6100-fhirdefs-known.txt); generated
# snapshots of core constraint profiles match the snapshots HL7 ships; the
# cache is used when valid and rebuilt when stale or corrupt; packages as
# .tgz and ID#VERSION; value-set membership.
. tests/lib.sh
BUILD=${BUILD:-build}
tool=$BUILD/fhirdefs
defs=$BUILD/share/zib/fhir-r4-defs.zdefs
if ! have_corpus || [ ! -f "$defs" ]; then
	test_skip t6100 "no compiled FHIR definitions ($defs): ../shared/corpus absent at build time"
	exit 0
fi
export XDG_CACHE_HOME="$T/cache"

t_profiles() {
	"$tool" problems > "$T/problems" || return 1
	grep -o "profile '[^']*': [a-z]" "$T/problems" | grep -v ": element" |
		sed "s/^profile '\([^']*\)'.*/\1/" | sort -u > "$T/failed"
	grep -v '^#' tests/t6100-fhirdefs-known.txt | cut -f1 | sort > "$T/known"
	diff "$T/known" "$T/failed" || { cat "$T/problems"; return 1; }
	# Every profile of the folders is there and has elements.
	n=$(ls "$CORPUS"/fhir-r4-zib2020/profiles/zib/*.xml "$CORPUS"/fhir-r4-zib2020/profiles/nl-core/*.xml |
		wc -l)
	[ "$n" -gt 300 ] || { echo "only $n profile files"; return 1; }
	"$tool" snapshot http://nictiz.nl/fhir/StructureDefinition/nl-core-BloodPressure > "$T/bp" || return 1
	grep -q '^Observation.component:SystolicBP.value\[x\] 0..1 Quantity$' "$T/bp" || { cat "$T/bp"; return 1; }
	grep -q '^Observation.extension:position.value\[x\] ' "$T/bp"
}
test_expect "t6100 zib2020/nl-core profiles all get a snapshot (known list aside)" t_profiles

t_core() {
	python3 tests/t6100-regen.py "$CORPUS/fhir-r4-core" "$T/regen.json" "$T/want.tsv" || return 1
	cut -f1 "$T/want.tsv" | sort -u > "$T/urls"
	"$tool" snapshot "@$T/urls" "$T/regen.json" > "$T/got.tsv" || return 1
	awk -F'\t' '{print $1 "\t" $2 " " $3 ".." $4 ($5 == "" ? "" : " " $5)}' "$T/want.tsv" |
		sort > "$T/want"
	sort "$T/got.tsv" > "$T/got"
	[ "$(wc -l < "$T/want")" -gt 2000 ] || return 1
	echo "$(wc -l < "$T/urls") core profiles regenerated"
	diff "$T/want" "$T/got" | head -40
	diff -q "$T/want" "$T/got" > /dev/null
}
test_expect "t6100 regenerated core constraint snapshots equal the shipped ones" t_core

t_cache() {
	mkdir -p "$T/src" &&
	sed 's/"id":"p"/"id":"p"/' > "$T/src/p.json" <<'JSON'
{"resourceType":"StructureDefinition","url":"http://example.org/p","name":"P","status":"draft",
"kind":"resource","abstract":false,"type":"Observation","derivation":"constraint",
"baseDefinition":"http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure",
"differential":{"element":[{"id":"Observation.note","path":"Observation.note","max":"1"}]}}
JSON
	"$tool" stats "$T/src" > "$T/s1" && grep -q '^cache_hit 0' "$T/s1" &&
		grep -q '^cache_rebuilt 0' "$T/s1" || { cat "$T/s1"; return 1; }
	"$tool" stats "$T/src" > "$T/s2" && grep -q '^cache_hit 1' "$T/s2" || { cat "$T/s2"; return 1; }
	"$tool" snapshot http://example.org/p "$T/src" | grep -q '^Observation.note 0..1 Annotation$' ||
		return 1
	# Stale: the source changed.
	sed 's/"max":"1"/"max":"0"/' "$T/src/p.json" > "$T/p2" && mv "$T/p2" "$T/src/p.json"
	"$tool" stats "$T/src" > "$T/s3" && grep -q '^cache_hit 0' "$T/s3" &&
		grep -q '^cache_rebuilt 1' "$T/s3" || { cat "$T/s3"; return 1; }
	"$tool" snapshot http://example.org/p "$T/src" | grep -q '^Observation.note 0..0 Annotation$' ||
		return 1
	# Corrupt: one byte changed in the middle of the cache file.
	f=$(grep '^cache_file' "$T/s3" | cut -d' ' -f2)
	size=$(wc -c < "$f")
	printf 'X' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	"$tool" stats "$T/src" > "$T/s4" && grep -q '^cache_hit 0' "$T/s4" &&
		grep -q '^cache_rebuilt 1' "$T/s4" || { cat "$T/s4"; return 1; }
	"$tool" stats "$T/src" | grep -q '^cache_hit 1'
}
test_expect "t6100 cache: miss, hit, stale rebuilt, corrupt rebuilt" t_cache

t_packages() {
	mkdir -p "$T/pkg/package" "$T/home/.fhir/packages/ex.pkg#1.0.0/package" \
		"$T/home/.fhir/packages/dep.pkg#2.0.0/package" &&
	sed 's|example.org/p|example.org/q|' "$T/src/p.json" > "$T/pkg/package/q.json" &&
	echo '{"name":"ex.pkg","version":"1.0.0"}' > "$T/pkg/package/package.json" &&
	(cd "$T/pkg" && tar czf "$T/ex.tgz" package) &&
	"$tool" snapshot http://example.org/q "$T/ex.tgz" | grep -q '^Observation.note ' || return 1
	# In the package cache, with a dependency that is there, one the
	# defaults have and one that is missing.
	cp "$T/pkg/package/q.json" "$T/home/.fhir/packages/ex.pkg#1.0.0/package/" &&
	printf '%s\n' '{"name":"ex.pkg","version":"1.0.0","dependencies":{"hl7.fhir.r4.core":"4.0.1",' \
		'"dep.pkg":"2.0.0","missing.pkg":"0.1"}}' > "$T/home/.fhir/packages/ex.pkg#1.0.0/package/package.json" &&
	sed 's|example.org/p|example.org/dep|' "$T/src/p.json" > "$T/home/.fhir/packages/dep.pkg#2.0.0/package/d.json" &&
	echo '{"name":"dep.pkg","version":"2.0.0"}' > "$T/home/.fhir/packages/dep.pkg#2.0.0/package/package.json" &&
	HOME="$T/home" "$tool" snapshot http://example.org/q 'ex.pkg#1.0.0' | grep -q '^Observation.note ' ||
		return 1
	HOME="$T/home" "$tool" snapshot http://example.org/dep 'ex.pkg#1.0.0' | grep -q '^Observation.note ' ||
		return 1
	HOME="$T/home" "$tool" problems 'ex.pkg#1.0.0' > "$T/pp" &&
	grep -q "dependency 'missing.pkg#0.1' is not in the package cache" "$T/pp" &&
	! grep -q "hl7.fhir.r4.core" "$T/pp" || { cat "$T/pp"; return 1; }
	HOME="$T/home" expect_exit 2 "$tool" stats 'no.such#1.0' 2> "$T/err"
	grep -q "not in the package cache" "$T/err"
}
test_expect "t6100 packages: .tgz, ID#VERSION from the package cache, dependencies" t_packages

t_missing() {
	ZIB_FHIR_DEFS="$T/none.zdefs" expect_exit 2 "$tool" stats 2> "$T/err" &&
	grep -q "FHIR definitions (R4 core, zib2020) not found" "$T/err"
}
test_expect "t6100 missing definitions are named" t_missing

t_terms() {
	g=http://hl7.org/fhir/ValueSet/administrative-gender
	"$tool" contains $g http://hl7.org/fhir/administrative-gender male | grep -q '^yes Male$' &&
	"$tool" contains $g http://hl7.org/fhir/administrative-gender boy | grep -q '^no$' &&
	"$tool" contains $g '' female | grep -q '^yes' &&
	"$tool" contains http://hl7.org/fhir/ValueSet/clinical-findings http://snomed.info/sct 404684003 |
		grep -q "^unknown: code system 'http://snomed.info/sct' is not" &&
	"$tool" expand $g > "$T/vs" && [ "$(wc -l < "$T/vs")" = 4 ]
}
test_expect "t6100 value sets: local codes, SNOMED unknown" t_terms
[ "$t_failed" = 0 ]
