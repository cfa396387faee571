#!/bin/sh
# The zib command skeleton: usage text agrees with the man pages, man pages
# lint clean, install layout, exit codes, models by Dutch and English name.
. tests/lib.sh

# Prints a synopsis with whitespace folded and none around '|'.
fold_synopsis() {
	tr '\n' ' ' | sed -e 's/  */ /g' -e 's/ *| */|/g' -e 's/ \.\.\./.../g' -e 's/^ //' -e 's/ $//'
}

# usage_matches_man CMD... : `zib CMD --help` usage lines equal man SYNOPSIS.
usage_matches_man() {
	page=$1; shift
	zib "$@" --help | sed -n '/^usage:/,/^$/p' | sed -e 's/^usage://' | fold_synopsis > "$T/usage"
	mandoc -T ascii "man/$page" | sed 's/.\x08//g' | sed -n '/^SYNOPSIS/,/^[A-Z]/p' |
		sed -e '1d' -e '$d' | fold_synopsis > "$T/synopsis"
	if ! cmp -s "$T/usage" "$T/synopsis"; then
		echo "usage:    $(cat "$T/usage")"
		echo "synopsis: $(cat "$T/synopsis")"
		return 1
	fi
}

if command -v mandoc >/dev/null 2>&1; then
	test_expect "man pages lint clean" mandoc -T lint -W warning man/*.1
	test_expect "zib --help matches zib.1 SYNOPSIS" usage_matches_man zib.1
	for page in man/zib-*.1; do
		cmd=$(basename "$page" .1 | sed 's/^zib-//')
		test_expect "zib $cmd --help matches $page SYNOPSIS" usage_matches_man "zib-$cmd.1" "$cmd"
	done
else
	test_skip "man pages" "mandoc not installed (make setup installs it)"
fi

every_command_has_a_man_page() {
	cmds=$(zib --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 && $1 != "commands:" {print $1}')
	[ -n "$cmds" ] || { echo "zib --help lists no commands"; return 1; }
	for cmd in $cmds; do
		[ "$cmd" = help ] && continue
		[ -f "man/zib-$cmd.1" ] || { echo "no man/zib-$cmd.1"; return 1; }
	done
}
test_expect "every command has a man page" every_command_has_a_man_page

same_tree_nl_en() {
	zib models AlcoholGebruik > "$T/nl" && zib models alcoholuse > "$T/en" &&
		cmp "$T/nl" "$T/en" && grep -q 'NL-CM:7.3.2 AlcoholGebruikStatus CD 1..1' "$T/nl"
}
test_expect "models AlcoholGebruik and AlcoholUse show the same tree" same_tree_nl_en

all_zibs_show() {
	zib models --format json --all | sed -n 's/.*"name_en": "\([^"]*\)".*/\1/p' > "$T/names"
	[ "$(wc -l < "$T/names")" -eq 30 ] || { echo "want 30 zibs, got $(wc -l < "$T/names")"; return 1; }
	while read -r name; do
		zib models "$name" > /dev/null || { echo "zib models $name failed"; return 1; }
	done < "$T/names"
}
test_expect "every zib shows its tree" all_zibs_show

json_is_valid() {
	command -v python3 >/dev/null 2>&1 || return 0
	zib models --format json | python3 -m json.tool > /dev/null &&
		zib models --format json MedicatieAfspraak | python3 -m json.tool > /dev/null
}
test_expect "models JSON parses" json_is_valid

install_layout() {
	make -s install PREFIX=/usr DESTDIR="$T/root" BUILD="${BUILD:-build}" > "$T/install.log" 2>&1 ||
		{ cat "$T/install.log"; return 1; }
	for f in usr/bin/zib usr/lib/libzib.a usr/lib/libzib.so usr/lib/libzib.so.0 \
		usr/include/zib.h usr/share/man/man1/zib.1 usr/share/man/man1/zib-models.1 \
		usr/lib/pkgconfig/libzib.pc; do
		[ -e "$T/root/$f" ] || { echo "missing $f"; return 1; }
	done
	readelf -d "$T/root/usr/lib/libzib.so" | grep -q 'SONAME.*libzib.so.0' ||
		{ echo "no SONAME"; return 1; }
	PKG_CONFIG_PATH="$T/root/usr/lib/pkgconfig" pkg-config --libs libzib | grep -q -- -lzib
}
test_expect "make install lays out binary, library, header, man pages, pkg-config" install_layout

library_never_exits() {
	lib="${BUILD:-build}/libzib.so"
	! nm -D --undefined-only "$lib" | grep -qwE 'exit|_exit|abort|printf|puts'
}
test_expect "libzib.so does not call exit or print" library_never_exits

exit $t_failed
