#!/bin/sh
# Releases are data (lib/model/release.c), not flags: no function or
# struct of lib/ carries an int stu3 / r4, and the word stu3 appears in C
# only in the release table, the FHIR structure tables, generated tables
# and the deprecated public wrappers.
. tests/lib.sh

grep -rnE '\b(int|unsigned)[ 	]+(stu3|r4)\b|(->|\.)(stu3|r4)([^.[:alnum:]_]|$)' lib --include='*.c' --include='*.h' \
	> "$T/flags"
grep -rl stu3 lib --include='*.c' |
	grep -vE '/(release|defs|defs_stu3|access)\.c$|_gen\.c$' > "$T/outside"

# none_in FILE: FILE is empty (else print it).
none_in() {
	[ ! -s "$1" ] || { cat "$1"; return 1; }
}
test_expect "no release flag (int stu3, ->r4) in lib/" none_in "$T/flags"
test_expect "stu3 only in release data and deprecated wrappers" none_in "$T/outside"
test_expect "the release table names zib2020 and zib2017" \
	grep -q '"zib2017"' lib/model/release.c
exit $t_failed
