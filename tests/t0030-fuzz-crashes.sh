#!/bin/sh
# Every crash the fuzzers found stays fixed: fuzz/crashes/TARGET/ holds the
# reproducers (the input libFuzzer wrote, renamed for what it shows), and
# each is replayed through that target built without libFuzzer
# ($BUILD/fuzz-replay/, fuzz/replay.c): under ASan and UBSan with make
# check, as the fuzzer ran it.  The target's own checks (abort) apply.
. tests/lib.sh

n=0
for d in fuzz/crashes/*/; do
	t=$(basename "$d")
	bin=$BUILD/fuzz-replay/$t
	replays() {
		[ -x "$bin" ] || { echo "$bin not built (make fuzz-replay)"; return 1; }
		"$bin" "$d"* > "$T/out" 2>&1 || { cat "$T/out"; return 1; }
		[ "$(grep -c '^replayed ' "$T/out")" -eq "$(ls "$d" | wc -l)" ] || { cat "$T/out"; return 1; }
	}
	test_expect "$t: the $(ls "$d" | wc -l) reproducer(s) in $d pass" replays
	n=$((n + $(ls "$d" | wc -l)))
done
some() { [ "$n" -gt 0 ] || { echo "no reproducers in fuzz/crashes/"; return 1; }; }
test_expect "fuzz/crashes/ holds reproducers ($n)" some
exit $t_failed
