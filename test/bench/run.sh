#!/usr/bin/env bash
# run.sh - `make bench`: beamtop against etop, side by side, on the same
# target node in the same run.
#
# For each size N (BENCH_SIZES, default "10000 100000"; BENCH_1M=1 adds
# 1000000, which needs ~5 GB and several minutes), a node is started with
# N idle processes and planted leaders (bench_load.erl).  Then, BENCH_RUNS
# times (default 3), each observer watches it for BENCH_REFRESHES refreshes
# (default 10) at a 1 s interval: etop (tracing off, from a hidden node;
# at 1M its interval is 10 s, as it cannot refresh every second), beamtop
# (default: budgeted incremental scans), beamtop --agent, and beamtop
# --budget 100 (a full scan every refresh).  Measured per refresh: the
# target's CPU (from /proc of its OS pid, less what it burns alone) in
# steady state (after beamtop's first refresh, whose full scan is shown
# apart as first_ms), wall time, bytes received, beamtop's own CPU and its
# peak RSS; then whether beamtop's top 20 by memory equals a full scan's
# taken right after, and by reductions/s the planted leaders; and how soon
# a newcomer that jumps to the top by reductions/s is shown first.
# Medians are printed, and the ratios beamtop/etop.
set -u
cd "$(dirname "$0")/../.."
. test/lib.sh
. test/bench/common.sh

SIZES=${BENCH_SIZES:-"10000 100000"}
[ "${BENCH_1M:-0}" = 1 ] && SIZES="$SIZES 1000000"
RUNS=${BENCH_RUNS:-3}
REFRESHES=${BENCH_REFRESHES:-10}
# A copy: rebuilding beamtop during a run must not change what is measured.
cp beamtop "$IT_TMP/beamtop.bench"
BEAMTOP=$IT_TMP/beamtop.bench
RESULTS=$IT_TMP/results

command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (package time)"; exit 1; }
erl -noshell -eval 'case code:which(etop) of non_existing -> halt(1); _ -> halt(0) end.' ||
	{ echo "bench: needs etop (package erlang-observer)"; exit 1; }

mkdir -p "$IT_TMP/beams"
erlc -o "$IT_TMP/beams" test/bench/bench_load.erl test/bench/etop_run.erl || exit 1
start_epmd

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2); else print "nan" }'; }

start_bench_node() {
	local n=$1 name=bench$1 ready="$IT_TMP/bench$1.ready" i
	erl -sname "$name" -setcookie "$COOKIE" -noshell -noinput +P $((n * 2 + 100000)) \
		-pa "$IT_TMP/beams" -s bench_load start "$ready" "$n" \
		>"$IT_TMP/$name.log" 2>&1 &
	BENCH_PID=$!
	remember $BENCH_PID
	for i in $(seq 3000); do
		[ -f "$ready" ] && return 0
		sleep 0.1
	done
	echo "bench: the node for $n processes did not start"; cat "$IT_TMP/$name.log"; exit 1
}

# The target's own CPU per second while nobody watches.
baseline_rate() {
	local c0 c1
	c0=$(cpu_ms "$BENCH_PID")
	sleep 10
	c1=$(cpu_ms "$BENCH_PID")
	awk -v a="$c0" -v b="$c1" 'BEGIN { print (b - a) / 10000 }'
}

# observe LABEL CMD...: runs an observer, records target CPU per refresh.
run_etop() {
	local node=$1 base=$2 interval=$3 c0 c1 t0 t1 n
	c0=$(cpu_ms "$BENCH_PID"); t0=$(date +%s%3N)
	erl -sname "etop_$$" -hidden -setcookie "$COOKIE" -noshell -pa "$IT_TMP/beams" \
		-run etop_run main "$node" $((REFRESHES * interval)) "$interval" \
		>"$IT_TMP/etop.out" 2>&1
	c1=$(cpu_ms "$BENCH_PID"); t1=$(date +%s%3N)
	n=$(grep -c 'Load:' "$IT_TMP/etop.out")
	[ "$n" -gt 0 ] || n=0
	awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v b="$base" -v n="$n" \
		'BEGIN { if (n == 0) { print "nan nan 0"; exit }
			 printf "%.1f %.1f %d\n", (c1 - c0 - b * (t1 - t0)) / n, (t1 - t0) / n, n }'
}

# run_beamtop NODE BASE ARGS...: steady-state node CPU per refresh (after
# the first refresh), first refresh's node CPU, median wall and bytes of
# the steady refreshes, beamtop's CPU per refresh, its peak RSS.
run_beamtop() {
	local node=$1 base=$2 c0 c1 c2 t0 t1 t2 bt
	shift 2
	# (the last run's output must be gone before the wait below looks)
	rm -f "$IT_TMP/bt.json"
	c0=$(cpu_ms "$BENCH_PID"); t0=$(date +%s%3N)
	/usr/bin/time -f '%U %S %M' -o "$IT_TMP/time" "$BEAMTOP" -b -n "$REFRESHES" -d 1 \
		--json --lines 20 --timeout 60 "$@" "$node" >"$IT_TMP/bt.json" 2>"$IT_TMP/bt.err" &
	bt=$!
	until [ -s "$IT_TMP/bt.json" ] || ! kill -0 $bt 2>/dev/null; do sleep 0.02; done
	c1=$(cpu_ms "$BENCH_PID"); t1=$(date +%s%3N)
	wait $bt
	c2=$(cpu_ms "$BENCH_PID"); t2=$(date +%s%3N)
	local wall bytes
	wall=$(tail -n +2 "$IT_TMP/bt.json" | jq '.refresh.wall_ms' | median)
	bytes=$(tail -n +2 "$IT_TMP/bt.json" | jq '.refresh.bytes' | median)
	read -r u s rss <"$IT_TMP/time"
	awk -v c0="$c0" -v c1="$c1" -v c2="$c2" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
		-v b="$base" -v n="$REFRESHES" -v w="$wall" -v by="$bytes" -v u="$u" \
		-v s="$s" -v rss="$rss" \
		'BEGIN { printf "%.1f %.1f %.1f %d %.1f %d\n",
			 (c2 - c1 - b * (t2 - t1)) / (n - 1), c1 - c0 - b * (t1 - t0), w, by,
			 (u + s) * 1000 / n, rss }'
}

# Top 20 by memory of a full scan on the node, as pid strings (leaving out
# the process that does the scan, which holds the whole list itself).
full_scan_top_mem() {
	node_eval "bench$1" '[pid_to_list(P) || {P, _} <- lists:sublist(lists:reverse(lists:keysort(2, [{P, M} || P <- erlang:processes(), P =/= self(), {memory, M} <- [erlang:process_info(P, memory)]])), 20)].' |
		tr -d '[]" ' | tr ',' '\n' | sort
}

echo "beamtop $(./beamtop --version | cut -d' ' -f2) vs etop; $(nproc) cores; OTP $(erl -noshell -eval 'io:format("~s",[erlang:system_info(otp_release)]),halt().'); $REFRESHES refreshes at 1 s, median of $RUNS runs"
printf '%-9s %-20s %11s %9s %9s %11s %10s %9s\n' N observer "node_ms/ref" first_ms wall_ms bytes/ref own_cpu_ms peak_rss
for n in $SIZES; do
	start_bench_node "$n"
	node="bench$n@$HOST"
	sleep 10 # let the new node settle before measuring what it burns alone
	interval=$([ "$n" -ge 1000000 ] && echo 10 || echo 1)
	: >"$RESULTS.etop"; : >"$RESULTS.def"; : >"$RESULTS.agent"; : >"$RESULTS.full"
	: >"$RESULTS.base"
	for r in $(seq "$RUNS"); do
		base=$(baseline_rate)
		echo "$base" >>"$RESULTS.base"
		run_etop "$node" "$base" "$interval" >>"$RESULTS.etop"
		run_beamtop "$node" "$base" >>"$RESULTS.def"
		cp "$IT_TMP/bt.json" "$IT_TMP/last_default.json"
		run_beamtop "$node" "$base" --agent >>"$RESULTS.agent"
		run_beamtop "$node" "$base" --budget 100 >>"$RESULTS.full"
	done
	echo "          (the node alone: $(median <"$RESULTS.base") CPU-ms per ms)"
	e_cpu=$(awk '{print $1}' "$RESULTS.etop" | median)
	e_n=$(awk '{print $3}' "$RESULTS.etop" | median)
	printf '%-9s %-20s %11s %9s %9s %11s %10s %9s\n' "$n" "etop (every ${interval}s)" \
		"$e_cpu" - "$(awk '{print $2}' "$RESULTS.etop" | median)" - - "(${e_n} ref.)"
	for kind in def agent full; do
		f=$RESULTS.$kind
		case $kind in
		def) label="beamtop" ;;
		agent) label="beamtop --agent" ;;
		full) label="beamtop --budget 100" ;;
		esac
		c=$(awk '{print $1}' "$f" | median)
		printf '%-9s %-20s %11s %9s %9s %11s %10s %9s\n' "$n" "$label" "$c" \
			"$(awk '{print $2}' "$f" | median)" "$(awk '{print $3}' "$f" | median)" \
			"$(awk '{print $4}' "$f" | median | xargs printf '%.0f')" \
			"$(awk '{print $5}' "$f" | median)" \
			"$(awk '{print $6}' "$f" | median)kB"
		echo "$n $kind $c $e_cpu" >>"$RESULTS.ratios"
	done
	# Correctness: beamtop's last top 20 by memory against a full scan now.
	jq -r '.processes.top[].pid' <(tail -1 "$IT_TMP/last_default.json") | sort >"$IT_TMP/bt_top"
	full_scan_top_mem "$n" >"$IT_TMP/ref_top"
	same_mem=$(cmp -s "$IT_TMP/bt_top" "$IT_TMP/ref_top" && echo yes ||
		echo "NO ($(comm -3 "$IT_TMP/bt_top" "$IT_TMP/ref_top" | tr -s '\t\n' '  '))")
	"$BEAMTOP" -b -n 4 -d 1 --json --lines 20 --sort reds --timeout 60 "$node" 2>/dev/null | tail -1 |
		jq -r '.processes.top[].name' | sort >"$IT_TMP/bt_reds"
	printf 'bench_reds_%d\n' $(seq 20) | sort >"$IT_TMP/ref_reds"
	same_reds=$(cmp -s "$IT_TMP/bt_reds" "$IT_TMP/ref_reds" && echo yes || echo NO)
	exact=$(tail -1 "$IT_TMP/last_default.json" | jq -c '.processes.exact')
	echo "          top 20 by memory = a full scan's: $same_mem; by reductions/s = the planted leaders: $same_reds; last refresh's proofs: $exact"
	echo "          a newcomer shown first: by reductions/s after $(newcomer_latency "$node" "bench$n" reds) s, by memory after $(newcomer_latency "$node" "bench$n" mem) s"
	{ kill -TERM $BENCH_PID; wait $BENCH_PID; } 2>/dev/null
done
echo
echo "ratios of node CPU per refresh, beamtop / etop:"
awk '{ printf "  N=%-8s %-8s %s\n", $1, ($2 == "def" ? "default" : $2 == "agent" ? "--agent" : "full"),
	($4 > 0 ? sprintf("%.3f", $3 / $4) : "n/a (etop made no refresh)") }' "$RESULTS.ratios"
