#!/bin/sh
# The long fuzz run (issue 18): the libFuzzer targets of build-fuzz/, one
# process at a time, each until a budget of executions or seconds is spent.
#
#   sh fuzz/campaign.sh run [-r RUNS] [-t SECONDS] [-c CPUSECONDS] [-u HH:MM] TARGET...
#   sh fuzz/campaign.sh summary
#
# run: every TARGET (fuzz_fhir ...) in turn, -runs=RUNS (default 10000000)
#   and at most SECONDS of wall time (default 3600), under nice -n 19; with
#   -c, also at most CPUSECONDS of CPU time (a loaded machine or a pause
#   spends wall time, not CPU: "1 hour each" holds as -c 3600); with
#   -u, no run goes past HH:MM UTC today and none starts after it.  Runs of
#   several `run` invocations never overlap (a lock), so a second one queues
#   behind the first.  Build the targets first: make fuzz-build.
# summary: one line per run and per target: executions, seconds, exec/s,
#   CPU seconds, crashes, coverage (cov = edges, ft = features).
#
# Pauses: a unit stopped by SIGSTOP looks slow to libFuzzer, whose clocks
# are wall clocks.  So -timeout is 120 s and slow units are reported from
# 60 s (slow-unit-* files are no crash); a timeout-* the target then runs
# in under 60 s unpaused is logged as not reproduced and the target goes
# on with what is left of its budget.
#
# Everything goes to build-fuzz/campaign/ (FUZZ_DIR): TARGET-DATE.log per
# run, results.tsv (one line per finished run), TARGET.crash-* reproducers.  The
# corpus grows in build-fuzz/corpus-TARGET as with make fuzz.  The
# fuzzers can be paused (pkill -STOP -f build-fuzz/fuzz_) and resumed
# (-CONT); a pause counts against SECONDS, not RUNS.
set -u
cd "$(dirname "$0")/.." || exit 2
DIR=${FUZZ_DIR:-build-fuzz/campaign}
mkdir -p "$DIR"

usage() {
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

# The value of libFuzzer's final statistic $2 in log $1 (empty if none).
stat() {
	sed -n "s/^stat::$2: *//p" "$1" | tail -1
}

# The last status line's field $2 ("cov:", "ft:", "corp:") in log $1.
field() {
	grep -E '^#[0-9]+' "$1" | tail -1 | tr -s ' ' '\n' | grep -A1 -x -- "$2" | tail -1
}

# CPU seconds (user + system) of process $1 so far, else $2 (it ended).
cpu_seconds() {
	st=$(cat "/proc/$1/stat" 2> /dev/null) && [ -n "$st" ] || { echo "$2"; return; }
	echo "$st" | awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) / hz) }'
}

run_one() {
	t=$1 runs=$2 cap=$3 until=${4:-}
	bin=build-fuzz/$t
	[ -x "$bin" ] || { echo "campaign: $bin missing (make fuzz-build)" >&2; return 1; }
	stamp=$(date -u +%Y%m%dT%H%M%S)
	log=$DIR/$t-$stamp.log
	mkdir -p build-fuzz/corpus-"$t"
	# Flags, dictionary and seeds as make fuzz has them (one place: Makefile).
	# The corpus comes first: libFuzzer adds new inputs to the first
	# directory, which must not be testdata/.
	args=$(make -s --no-print-directory fuzz-args FUZZ_ONE="$t") || return 1
	start=$(date +%s)
	echo "campaign: $t: -runs=$runs -max_total_time=$cap${cpu:+ cpu $cpu s}, log $log"
	# shellcheck disable=SC2086
	nice -n 19 "$bin" -runs="$runs" -max_total_time="$cap" -timeout=120 \
		-report_slow_units=60 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$DIR/$t." build-fuzz/corpus-"$t" $args > "$log" 2>&1 &
	pid=$!
	used=0
	# The CPU budget: SIGINT ends a libFuzzer run with its final stats.
	while kill -0 "$pid" 2> /dev/null; do
		used=$(cpu_seconds "$pid" "$used")
		if [ -n "$cpu" ] && [ "$used" -ge "$cpu" ]; then
			kill -INT "$pid" 2> /dev/null
			break
		fi
		sleep 5
	done
	wait "$pid"
	rc=$?
	# Interrupted by the budget: a normal end.
	[ -n "$cpu" ] && [ "$used" -ge "$cpu" ] && [ "$rc" -eq 72 ] && rc=0
	end=$(date +%s)
	execs=$(stat "$log" number_of_executed_units)
	[ -n "$execs" ] || execs=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed 's/^#\([0-9]*\).*/\1/')
	crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$stamp" "$((end - start))" \
		"${execs:-0}" "$rc" "$(field "$log" cov:)" "$(field "$log" ft:)" \
		"$(field "$log" corp:)" "${crash:--}" "$log" "$used" >> "$DIR/results.tsv"
	echo "campaign: $t: exit $rc, ${execs:-0} executions in $((end - start)) s${crash:+, $crash}"
	# A timeout that does not come back unpaused: go on with the rest.
	case $rc:$crash in
	0:*) ;;
	*timeout-*)
		if nice -n 19 "$bin" -timeout=60 "$crash" > "$log.recheck" 2>&1; then
			mv "$crash" "$crash.unreproduced"
			sed -i '$ s|\t'"$crash"'\t|\tunreproduced:'"$crash"'\t|' "$DIR/results.tsv"
			left=$((runs - ${execs:-0}))
			spent=$((end - start))
			[ -n "$until" ] && [ $((until - $(date +%s))) -lt $((cap - spent)) ] &&
				spent=$((cap - until + $(date +%s)))
			echo "campaign: $t: the timeout did not reproduce; going on"
			[ "$left" -gt 0 ] && [ $((cap - spent)) -ge 60 ] &&
				run_one "$t" "$left" $((cap - spent)) "$until"
		fi ;;
	esac
	return 0
}

cmd_run() {
	runs=10000000 cap=3600 until= cpu=
	while getopts r:t:c:u: o; do
		case $o in
		r) runs=$OPTARG ;;
		t) cap=$OPTARG ;;
		c) cpu=$OPTARG ;;
		u) until=$(date -u -d "$OPTARG" +%s) || exit 2 ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -gt 0 ] || usage
	for t in "$@"; do
		(
			# One fuzzer at a time, whoever started it.
			flock 9
			left=$cap
			if [ -n "$until" ]; then
				left=$((until - $(date +%s)))
				[ "$left" -gt "$cap" ] && left=$cap
				[ "$left" -ge 60 ] || { echo "campaign: $t: past the deadline, not run"; exit 0; }
			fi
			run_one "$t" "$runs" "$left" "$until"
		) 9> "$DIR/lock"
	done
}

cmd_summary() {
	[ -f "$DIR/results.tsv" ] || { echo "campaign: no runs yet in $DIR"; }
	echo "Runs ($DIR/results.tsv; exec/s per wall second):"
	printf '%-16s %-16s %12s %7s %6s %8s %5s %6s %6s  %s\n' target started executions seconds cpu-s exec/s exit cov ft artifact
	[ -f "$DIR/results.tsv" ] && awk -F'\t' '{
		printf "%-16s %-16s %12d %7d %6s %8d %5s %6s %6s  %s\n", $1, $2, $4, $3, $11 == "" ? "?" : $11,
			$3 ? $4 / $3 : 0, $5, $6, $7, $9 }' "$DIR/results.tsv"
	# A run still going: its last status line.
	for log in $(ls -t "$DIR"/fuzz_*.log 2>/dev/null | head -1); do
		grep -q '^stat::number_of_executed_units' "$log" && continue
		grep -qE '^==[0-9]+==ERROR|Test unit written' "$log" && continue
		echo "Running: $log"
		grep -E '^#[0-9]+' "$log" | tail -1
	done
	echo "Per target (all runs):"
	printf '%-16s %12s %8s %8s %8s %10s %7s %7s\n' target executions seconds cpu-s exec/s exec/cpu-s crashes cov
	[ -f "$DIR/results.tsv" ] && awk -F'\t' '{
		if (!($1 in n)) order[k++] = $1
		n[$1] += $4; s[$1] += $3; u[$1] += $11; if ($11 != "") hc[$1] = 1; if ($6 + 0 > cov[$1]) cov[$1] = $6 + 0
		# Crashes: TARGET.crash-, .timeout-, .oom-, .leak- files (not slow units).
		if ($9 ~ /\.(crash|timeout|oom|leak)-/ && $9 !~ /^unreproduced:/) c[$1]++ }
		END { for (i = 0; i < k; i++) { t = order[i]
			printf "%-16s %12d %8d %8s %8d %10s %7d %7d\n", t, n[t], s[t], hc[t] ? u[t] : "?",
				s[t] ? n[t] / s[t] : 0, u[t] ? int(n[t] / u[t]) : "?", c[t], cov[t] } }' \
		"$DIR/results.tsv"
}

case ${1:-} in
run) shift; cmd_run "$@" ;;
summary) cmd_summary ;;
*) usage ;;
esac
