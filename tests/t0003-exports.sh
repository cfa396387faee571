#!/bin/sh
# libzib.so exports the API of lib/include/zib.h, the zib_ names, and no
# internal function (lib/libzib.map): a program linking it can have its own
# buf_printf or child.  The semi-private zib__ names stay local too, and
# the library never calls exit() (STYLE.md 3 and 8: lib/ never exits).
. tests/lib.sh

so=$(dirname "$(command -v zib)")/libzib.so
if ! command -v nm >/dev/null 2>&1 || [ ! -f "$so" ]; then
	test_skip "libzib.so exports only zib_ names" "no nm (binutils) or no $so"
	exit 0
fi
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort > "$T/exported"
grep -v '^zib_[a-z]' "$T/exported" > "$T/internal"
nm -D --undefined-only "$so" | awk '{ sub(/@.*/, "", $2); print $2 }' |
	grep -xE '_?_?exit|_Exit|quick_exit|abort' > "$T/exits"
test_expect "libzib.so exports only zib_ names" sh -c '! [ -s "$1" ] || { cat "$1"; exit 1; }' - "$T/internal"
test_expect "libzib.so calls no exit(), _exit(), _Exit(), quick_exit() or abort()" \
	sh -c '! [ -s "$1" ] || { cat "$1"; exit 1; }' - "$T/exits"
test_expect "libzib.so exports the API (zib_doc_read, zib_validate_doc)" \
	sh -c 'grep -qx zib_doc_read "$1" && grep -qx zib_validate_doc "$1"' - "$T/exported"
exit $t_failed
