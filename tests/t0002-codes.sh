#!/bin/sh
# Finding codes: every ZIB-XXX-nnn code the library can report is in the
# one codes table (lib/diag/codes.c: SARIF rules, `zib help codes`), and
# every code in that table is documented in a man page.
. tests/lib.sh

grep -rhoE '"ZIB-[A-Z0-9]+-[0-9]{3}"' lib --include='*.c' --include='*.h' |
	grep -v '^$' | tr -d '"' | sort -u > "$T/used"
sed -n 's/^	{ "\(ZIB-[A-Z0-9]*-[0-9]*\)".*/\1/p' lib/diag/codes.c | sort -u > "$T/table"
grep -hoE 'ZIB-[A-Z0-9]+-[0-9]{3}' man/*.1 | sort -u > "$T/documented"

# none_in FILE: FILE is empty (else print it).
none_in() {
	[ ! -s "$1" ] || { cat "$1"; return 1; }
}
comm -23 "$T/used" "$T/table" > "$T/missing"
comm -23 "$T/table" "$T/documented" > "$T/undoc"
sed -n 's/^	{ "\(ZIB-[A-Z0-9]*-[0-9]*\)".*/\1/p' lib/diag/codes.c | sort | uniq -d > "$T/dups"
test_expect "every code the library uses is in lib/diag/codes.c" none_in "$T/missing"
test_expect "every code in lib/diag/codes.c is documented in a man page" none_in "$T/undoc"
test_expect "the codes table has no duplicate" none_in "$T/dups"
exit $t_failed
