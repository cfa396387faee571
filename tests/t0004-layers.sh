#!/bin/sh
# One-way layers: a module of lib/ uses only modules of a lower level, as
# the table in lib/README.md ("Layers") orders them.  Two views:
#  - includes: every #include "x/y.h" in lib/ and cmd/ (cmd/ and zib.h
#    include no internal header at all; "zib.h" itself, the public types,
#    may be included anywhere);
#  - symbols: every global symbol an object of lib/<module>/ uses that
#    another module defines (zib.h declares functions of every layer, so
#    a call can point up with no include line showing it).
# A violation fails unless the list below names it; a listed one that is
# gone fails too, so the list only shrinks.
. tests/lib.sh
LC_ALL=C
export LC_ALL

# Known violations, "FILE HEADER" for includes and "FROM -> TO SYMBOL" for
# symbols, each with the branch that removes it.
known='
'

echo "$known" | grep -v '^#' | grep . | sort > "$T/known"

# MODULE LEVEL, from the table between the markers of lib/README.md.
sed -n '/<!-- BEGIN LAYERS/,/<!-- END LAYERS/p' lib/README.md |
	awk -F'|' '$2 ~ /^ *[0-9]+ *$/ { n = split($3, m, " "); for (i = 1; i <= n; i++) print m[i], $2 + 0 }' \
	> "$T/layers"
test_expect "lib/README.md has the layer table" test -s "$T/layers"

every_folder_has_a_layer() {
	for d in lib/*/; do
		m=$(basename "$d")
		grep -q "^$m " "$T/layers" || { echo "lib/$m is in no layer of lib/README.md"; return 1; }
	done
}
test_expect "every folder of lib/ has a layer" every_folder_has_a_layer

# FILE HEADER of every include in lib/ and cmd/.
find lib cmd -name '*.[ch]' | sort > "$T/files"
# shellcheck disable=SC2046
awk '/^[ \t]*#[ \t]*include[ \t]*"/ { match($0, /"[^"]*"/); print FILENAME, substr($0, RSTART + 1, RLENGTH - 2) }' \
	$(cat "$T/files") > "$T/includes"

awk 'NR == FNR { level[$1] = $2; next }
	{
		file = $1; hdr = $2
		split(file, p, "/")
		src = p[1] == "cmd" ? "cmd" : p[2]
		if (index(hdr, "/") == 0)
			next                      # zib.h, or a header of the same folder
		split(hdr, q, "/")
		dst = q[1]
		if (src == "cmd" || src == "include")
			print file, hdr           # the API only
		else if (dst == src)
			next
		else if (!(dst in level) || level[dst] >= level[src])
			print file, hdr           # up, sideways, or nowhere
	}' "$T/layers" "$T/includes" | sort -u > "$T/inc_bad"

# FROM -> TO SYMBOL for each use of another module's global symbol.
symbol_edges() {
	build=${BUILD:-build}
	: > "$T/defs"
	: > "$T/uses"
	for c in lib/*/*.c; do
		o="$build/${c%.c}.o"
		m=$(echo "$c" | cut -d/ -f2)
		nm --defined-only "$o" | awk -v m="$m" '$2 ~ /^[TDBRCGSV]$/ { print $3, m }' >> "$T/defs"
		nm -u "$o" | awk -v m="$m" '{ print $2, m }' >> "$T/uses"
	done
	sort -u "$T/defs" > "$T/defs.s"
	sort -u "$T/uses" > "$T/uses.s"
	join "$T/uses.s" "$T/defs.s" | awk 'NR == FNR { level[$1] = $2; next }
		$2 != $3 && level[$3] >= level[$2] { print $2, "->", $3, $1 }' "$T/layers" - | sort -u
}

have_objects() {
	command -v nm >/dev/null 2>&1 || return 1
	for c in lib/*/*.c; do
		[ -f "${BUILD:-build}/${c%.c}.o" ] || return 1
	done
}
if have_objects; then
	symbol_edges > "$T/sym_bad"
	cat "$T/inc_bad" "$T/sym_bad" | sort > "$T/bad"
else
	test_skip "no symbol of lib/ points up or sideways" "no nm or no objects in ${BUILD:-build}/lib"
	sort "$T/inc_bad" > "$T/bad"
	grep -v -- ' -> ' "$T/known" > "$T/known.inc"
	mv "$T/known.inc" "$T/known"
fi

only_known() {
	comm -23 "$T/bad" "$T/known" > "$T/new"
	[ -s "$T/new" ] || return 0
	echo "new violations of the layers in lib/README.md:"
	cat "$T/new"
	return 1
}
test_expect "no include or symbol points up or sideways, beyond the known list" only_known

known_still_there() {
	comm -13 "$T/bad" "$T/known" > "$T/gone"
	[ -s "$T/gone" ] || return 0
	echo "gone: remove these from the known list of tests/t0004-layers.sh:"
	cat "$T/gone"
	return 1
}
test_expect "every known violation still exists (the list only shrinks)" known_still_there
exit $t_failed
