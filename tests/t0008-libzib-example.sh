#!/bin/sh
# The example program (examples/check.c), as man 3 libzib shows it, builds
# against the public header and libzib alone, and runs: it reports the BSN
# error of testdata/validate/bad-bsn.xml (exit 1) and nothing for
# valid.xml (exit 0).  man 3 libzib names every function of its SYNOPSIS as
# zib.h declares it.
. tests/lib.sh

build=${BUILD:-build}
cc=${CC:-cc}
libs=$(pkg-config --libs libxml-2.0 libcjson libpcre2-8 libarchive 2>/dev/null || echo -lxml2 -lcjson -lpcre2-8 -larchive)

builds() {
	# The sanitizer build needs its flags at link time too.
	flags=
	case $build in *san*) flags="-fsanitize=address,undefined" ;; esac
	$cc -std=c11 -Wall -Wextra -Werror $flags -Ilib/include -o "$T/check" examples/check.c \
		"$build/libzib.a" $libs -lm -pthread
}
test_expect "examples/check.c builds against zib.h and libzib.a" builds

runs() {
	expect_exit 1 "$T/check" testdata/validate/bad-bsn.xml > "$T/out" &&
	grep -q 'error\[ZIB-ID-002\]' "$T/out" && grep -q '^instance Patient at line 11$' "$T/out" &&
	expect_exit 0 "$T/check" testdata/validate/valid.xml > "$T/out" && ! grep -q 'error\[' "$T/out"
}
test_expect "the example finds the BSN error and passes the valid document" runs

synopsis_matches() {
	sed -n 's/^\.Fn \(zib_[a-z_]*\) .*/\1/p' man/libzib.3 | sort -u > "$T/man"
	[ -s "$T/man" ] || return 1
	while read -r fn; do
		grep -q "[ *]$fn(" lib/include/zib.h || { echo "$fn is not in zib.h"; return 1; }
	done < "$T/man"
}
test_expect "man 3 libzib names only functions zib.h declares" synopsis_matches

if command -v mandoc > /dev/null; then
	test_expect "man 3 libzib lints clean (mandoc -W warning)" mandoc -T lint -W warning man/libzib.3
fi
exit $t_failed
