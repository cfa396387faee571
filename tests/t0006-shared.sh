#!/bin/sh
# zib-shared is the zib command linked against libzib.so alone (Makefile):
# that it links at all shows cmd/ needs nothing but the exported zib_
# names, and running every golden case through it shows it behaves as
# zib does.
. tests/lib.sh

bin=$(dirname "$(command -v zib)")
shared=$bin/zib-shared
if [ ! -x "$shared" ]; then
	echo "not ok zib-shared is built ($shared is missing; make builds it)"
	exit 1
fi

test_expect "zib-shared needs libzib.so.0 and no libxml2, cJSON or PCRE2 of its own" sh -c '
	readelf -d "$1" > "$2" || exit 1
	grep -q "NEEDED.*\[libzib\.so\.0\]" "$2" || { cat "$2"; exit 1; }
	! grep -E "NEEDED.*(xml2|cjson|pcre2)" "$2"' - "$shared" "$T/dynamic"
test_expect "zib-shared loads the libzib.so beside it" sh -c '
	ldd "$1" | grep -F "libzib.so.0 => $2/libzib.so.0"' - "$shared" "$(cd "$bin" && pwd)"

# The golden cases (tests/run.sh runs them with zib) with zib-shared as zib.
mkdir "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$(cd "$bin" && pwd)/zib-shared" > "$T/bin/zib"
chmod +x "$T/bin/zib"
golden_all() {
	n=0 bad=0
	for cmdfile in $(find testdata -name '*.cmd' | sort); do
		dir=$(dirname "$cmdfile") c=$(basename "$cmdfile" .cmd) want=0
		[ -f "$dir/$c.exit" ] && want=$(cat "$dir/$c.exit")
		(cd "$dir" && PATH="$T/bin:$PATH" sh "./$c.cmd" > "$T/out" 2> "$T/err" < /dev/null)
		got=$?
		n=$((n + 1))
		if [ "$got" != "$want" ] ||
		   { [ -f "$dir/$c.out" ] && ! cmp -s "$dir/$c.out" "$T/out"; } ||
		   { [ -f "$dir/$c.err" ] && ! cmp -s "$dir/$c.err" "$T/err"; }; then
			echo "differs: $cmdfile (exit $got, want $want)"
			bad=$((bad + 1))
		fi
	done
	echo "$n golden cases, $bad differ"
	[ "$n" -gt 100 ] && [ "$bad" -eq 0 ]
}
test_expect "every golden case gives the same output with zib-shared" golden_all
exit $t_failed
