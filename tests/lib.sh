# Helpers for the script tests (tests/tNNNN-*.sh), in the style of git t/.
# Each check prints "ok NAME", "not ok NAME" or "skip NAME (reason)".
# Source it with:  . tests/lib.sh
# Run from the project root; zib is on PATH (tests/run.sh sees to that).

CORPUS=${ZIB_CORPUS:-../shared/corpus}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
t_failed=0

# test_expect NAME COMMAND...: COMMAND must succeed (exit 0).
test_expect() {
	name=$1; shift
	if ( "$@" ) > "$T/.log" 2>&1; then
		echo "ok $name"
	else
		echo "not ok $name"
		sed 's/^/    /' "$T/.log" | head -30
		t_failed=1
	fi
}

# test_skip NAME REASON
test_skip() {
	echo "skip $1 ($2)"
}

# have_corpus: true when ../shared/corpus is present; say so once when not.
have_corpus() {
	[ -d "$CORPUS" ]
}

# expect_exit WANT COMMAND...: COMMAND exits with status WANT.
expect_exit() {
	want=$1; shift
	"$@"
	got=$?
	[ "$got" = "$want" ] || { echo "exit $got, want $want: $*"; return 1; }
}

# findings_in OUT FILE: the findings on FILE, with their "at" lines, in OUT,
# the text output (2>&1) of one zib validate or zib schematron run over
# several files: one run loads a --package or a rule set once.
findings_in() {
	awk -v f="$2:" 'index($0, f) == 1 { on = 1; print; next }
		/^    / { if (on) print; next } { on = 0 }' "$1"
}

# passes_in OUT FILE: in OUT (as above) FILE has no error and no input was
# unreadable: what exit 0 of a run over FILE alone says.  fails_in: FILE
# has an error, no input was unreadable: exit 1 of a run over FILE alone.
passes_in() {
	! grep '^zib: ' "$1" && ! findings_in "$1" "$2" | grep ': error\['
}
fails_in() {
	! grep '^zib: ' "$1" && findings_in "$1" "$2" | grep -q ': error\['
}
