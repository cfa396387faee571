#!/bin/sh
# Every external symbol of libzib's objects carries a prefix, so that a
# program linking libzib.a can have its own child() or eval(): zib_ (the
# API), or its module's name as in lib/MODULE/FILE.c: MODULE_, xp_ for
# xpath2, fp_ for fhirpath, fv_ for fhirval, and for core and model, whose
# files are modules of their own, FILE_ or the file name's first word
# (arena_, buf_, strmap_, ucum_, tsv_).  Names outside that rule fail unless listed below.
. tests/lib.sh

objs=$(dirname "$(command -v zib)")/lib
if ! command -v nm >/dev/null 2>&1; then
	test_skip "external symbols carry a module prefix" "no nm (binutils)"
	exit 0
fi

# Names not yet prefixed (none since tools/rename-globals.py gave
# them theirs); never add one: give a new name its prefix instead.
cat > "$T/allowed" <<'LIST'
LIST

for o in "$objs"/*/*.o; do
	mod=$(basename "$(dirname "$o")") file=$(basename "$o" .o)
	[ -f "lib/$mod/$file.c" ] || continue   # an object left from a removed source
	nm -g --defined-only "$o" | awk -v mod="$mod" -v file="$file" '
		NF == 3 {
			s = $3
			if (s ~ /^__/) next   # compiler-made names (ASan: __odr_asan.NAME)
			if (s ~ /^zib_/ || index(s, mod "_") == 1) next
			if (mod == "xpath2" && s ~ /^xp_/) next
			if (mod == "fhirpath" && s ~ /^fp_/) next
			if (mod == "fhirval" && s ~ /^fv_/) next
			split(file, word, "_")
			if ((mod == "core" || mod == "model") &&
			    (index(s, file "_") == 1 || index(s, word[1] "_") == 1)) next
			print s "\t" mod "/" file ".c"
		}'
done | sort > "$T/unprefixed"
test_expect "libzib's objects are there ($objs)" sh -c 'ls "$1"/*/*.o >/dev/null' - "$objs"
grep -v -e "^#" -e "^$" "$T/allowed" | sort > "$T/allowed.sorted"
cut -f1 "$T/unprefixed" | sort -u | comm -23 - "$T/allowed.sorted" > "$T/new"
test_expect "external symbols carry a module prefix (or are allowed in $0)" \
	sh -c '! [ -s "$1" ] || { grep -F -w -f "$1" "$2"; exit 1; }' - "$T/new" "$T/unprefixed"
cut -f1 "$T/unprefixed" | sort -u | comm -13 - "$T/allowed.sorted" > "$T/stale"
test_expect "every allowed name still exists unprefixed (else drop it from the list)" \
	sh -c '! [ -s "$1" ] || { cat "$1"; exit 1; }' - "$T/stale"
exit $t_failed
