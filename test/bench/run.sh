#!/usr/bin/env bash
# run.sh - `make bench`: beamtop against etop and against the truth, side
# by side on the same node in the same run, on the hard case.
#
# For each size N (BENCH_SIZES, default "10000 100000"; BENCH_1M=1 adds
# 1000000, which needs ~5 GB), a node is started with N idle processes and
# the hard case of bench_load.erl: 2,000 workers whose reductions rates
# are 2.5% apart (about 10k/s at rank 20) and swapped between random
# workers every 0.5-1 s, whose heaps are swapped too and some of whose
# mailboxes grow and drain, and a truth sampler that reads every worker
# every 150 ms on the node.  Then, BENCH_RUNS times (default 3):
#   - etop (tracing off, from a hidden node, 1 s interval): the node's CPU
#     per refresh from its first refresh on (its start-up left out); when
#     etop gives up (a collection outlasting its interval), its collector
#     driven directly, timed (etop_run.erl; BENCH_ETOP=collector drives
#     the collector from the start);
#   - beamtop (default) sorted by reductions/s, BENCH_REFRESHES refreshes
#     (default 60, a minute at the 1 s interval): the node's CPU per
#     refresh counting its first scan (its cost spread over them) and
#     without it, the time to its first JSON line, bytes of full and of
#     incremental refreshes, its own CPU and peak RSS; each refresh's top
#     20 against the truth over the same interval (bench_truth.erl), and
#     the refreshes that claim to be exact and are not;
#   - beamtop --budget 100 (a full scan every refresh), the control: the
#     same figures; a fair truth gives it about 20/20;
#   - beamtop sorted by memory and by queue, BENCH_SIDE refreshes (default
#     8) each, against the truth at the same moment;
#   - newcomers, started once beamtop's first full scan has ended: by
#     reductions/s one flat out and a moderate one just above rank 20, by
#     memory one of 64 MiB and a moderate one, timed until beamtop shows
#     each in its top 20;
#   - the first screen in tmux: time until the header, and until the
#     first process rows.
# The node's CPU is read from /proc of its OS pid, less what it burns
# alone (with the hard case running), measured for BENCH_BASE_S seconds
# (default 5) before and after each observer; the load average is read
# before and after each observer.  Medians of the runs, agreement as
# median and worst decile of every refresh of every run.
#
# The figures go to test/bench/results.md (and stdout).  Exit status: 1
# when any figure could not be measured; with BENCH_STRICT=1, also when a
# goal is not met.  BENCH_KEEP=DIR keeps the raw files (each run's JSON,
# agreements, figures); BENCH_TRUTH_DEBUG=1 shows on stderr, for each
# refresh that does not agree on all 20, the rows that are wrong and the
# true ones left out, with their true values.
set -u
cd "$(dirname "$0")/../.."
. test/lib.sh
. test/bench/common.sh

SIZES=${BENCH_SIZES:-"10000 100000"}
[ "${BENCH_1M:-0}" = 1 ] && SIZES="$SIZES 1000000"
RUNS=${BENCH_RUNS:-3}
REFRESHES=${BENCH_REFRESHES:-60}
SIDE=${BENCH_SIDE:-8}
BASE_S=${BENCH_BASE_S:-5}
OUT=${BENCH_OUT:-test/bench/results.md}
TICK=$((1000 / $(getconf CLK_TCK)))
# A copy: rebuilding beamtop during a run must not change what is measured.
cp beamtop "$IT_TMP/beamtop.bench"
BEAMTOP=$IT_TMP/beamtop.bench

command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (package time)"; exit 1; }
erl -noshell -eval 'case code:which(etop) of non_existing -> halt(1); _ -> halt(0) end.' ||
	{ echo "bench: needs etop (package erlang-observer)"; exit 1; }
[ "$REFRESHES" -ge 3 ] && [ "$SIDE" -ge 2 ] || { echo "bench: too few refreshes"; exit 1; }

mkdir -p "$IT_TMP/beams"
erlc -o "$IT_TMP/beams" test/bench/bench_load.erl test/bench/bench_truth.erl \
	test/bench/etop_run.erl || exit 1
start_epmd

# failed WHAT: a measurement that could not be made, said now and listed
# in the report as MISSING.
failed() {
	echo "bench: $*"
	printf 'MISSING: %s\n' "$*" >>"$IT_TMP/failures"
}

# hidden MODULE ARGS...: MODULE:main(ARGS) on a hidden node of our own.
hidden() {
	local mod=$1
	shift
	erl -sname "${mod}_$$" -hidden -setcookie "$COOKIE" -noshell -pa "$IT_TMP/beams" \
		-run "$mod" main "$@"
}

# baseline: the node's CPU (ms per ms) over BASE_S seconds alone.
baseline() {
	local c0 c1 t0 t1
	c0=$(cpu_ms "$BENCH_PID"); t0=$(now_ms)
	sleep "$BASE_S"
	c1=$(cpu_ms "$BENCH_PID"); t1=$(now_ms)
	awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.5f\n", (b - a) / (t1 - t0) }'
}

# run_etop DIR: etop's node CPU per refresh, less the baseline (the mean
# of the one before, BASE, and one taken after, left in BASE), into
# DIR/etop_ms, its mode into DIR/etop_mode, load averages into DIR/etop_la.
run_etop() {
	local d=$1 la0 la1 line before=$BASE
	la0=$(loadavg)
	line=$(hidden etop_run "$NODE" "$BENCH_PID" "$SIDE" 1 "$TICK" "${BENCH_ETOP:-auto}" \
		2>"$IT_TMP/etop.err" | tail -1)
	la1=$(loadavg)
	BASE=$(baseline)
	set -- $line
	if [ $# -ne 4 ]; then
		failed "N=$NAME_N: etop could not be measured: $(tail -3 "$IT_TMP/etop.err")"
		return
	fi
	echo "$1" >>"$d/etop_mode"
	echo "$la0 $la1" >>"$d/etop_la"
	awk -v n="$2" -v c="$3" -v w="$4" -v b0="$before" -v b1="$BASE" \
		'BEGIN { printf "%.1f\n", (c - (b0 + b1) / 2 * w) / n }' >>"$d/etop_ms"
}

# run_beamtop DIR TAG SORT COUNT ARGS...: beamtop -b --json for COUNT
# refreshes at 1 s, sorted by SORT; its JSON in DIR/TAG.json; figures as
# run_etop's, per run a line in DIR/TAG_fig:
#   node ms/refresh counting the first scan, without it, the first scan's
#   node ms, ms to the first JSON line, median wall ms, median bytes of
#   full and of incremental refreshes (- when none), own CPU ms/refresh,
#   peak RSS kB
# and the agreement with the truth in DIR/TAG.agree (bench_truth.erl).
run_beamtop() {
	local d=$1 tag=$2 sort=$3 n=$4 json="$1/$2.json" c0 c1 c2 t0 t1 t2 bt rc la0 la1 before=$BASE
	shift 4
	rm -f "$json"
	la0=$(loadavg)
	c0=$(cpu_ms "$BENCH_PID"); t0=$(now_ms)
	/usr/bin/time -f '%U %S %M' -o "$IT_TMP/time" "$BEAMTOP" -b -n "$n" -d 1 --json \
		--lines 40 --sort "$sort" --timeout 60 "$@" "$NODE" >"$json" 2>"$IT_TMP/bt.err" &
	bt=$!
	until [ -s "$json" ] || ! kill -0 $bt 2>/dev/null; do sleep 0.01; done
	c1=$(cpu_ms "$BENCH_PID"); t1=$(now_ms)
	wait $bt
	rc=$?
	c2=$(cpu_ms "$BENCH_PID"); t2=$(now_ms)
	la1=$(loadavg)
	if [ $rc -ne 0 ] || [ "$(wc -l <"$json")" -ne "$n" ]; then
		failed "N=$NAME_N: beamtop $tag exited with $rc after $(wc -l <"$json") of $n refreshes: $(tail -3 "$IT_TMP/bt.err")"
		return 1
	fi
	judge "$d" "$tag" "$sort"
	[ "${MEASURE_CPU:-1}" = 1 ] || return 0
	BASE=$(baseline)
	echo "$la0 $la1" >>"$d/${tag}_la"
	local wall full incr u s rss
	wall=$(tail -n +2 "$json" | jq '.refresh.wall_ms' | median)
	full=$(jq 'select(.refresh.scan.kind == "full") | .refresh.bytes' "$json" | median)
	incr=$(jq 'select(.refresh.scan.kind == "incremental") | .refresh.bytes' "$json" | median)
	read -r u s rss <"$IT_TMP/time"
	awk -v c0="$c0" -v c1="$c1" -v c2="$c2" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
		-v b="$(awk -v a="$before" -v b="$BASE" 'BEGIN { print (a + b) / 2 }')" \
		-v n="$n" -v w="$wall" -v full="${full:--}" -v incr="${incr:--}" -v u="$u" \
		-v s="$s" -v rss="$rss" \
		'BEGIN { printf "%.1f %.1f %.1f %d %.1f %s %s %.1f %d\n",
			 (c2 - c0 - b * (t2 - t0)) / n, (c2 - c1 - b * (t2 - t1)) / (n - 1),
			 c1 - c0 - b * (t1 - t0), t1 - t0, w, full, incr,
			 (u + s) * 1000 / n, rss }' >>"$d/${tag}_fig"
}

# judge DIR TAG SORT: each refresh of DIR/TAG.json against the truth,
# appended to DIR/TAG.agree as "n kind claim agreement".
judge() {
	local d=$1 tag=$2 sort=$3
	jq -r --arg s "$sort" '[.refresh.n, .system.uptime_ms, (.refresh.wall_ms | floor),
		.refresh.scan.kind,
		(if $s == "reductions_per_sec" then .processes.exact.reductions_per_sec
		 elif $s == "memory" then .processes.exact.memory else "-" end),
		([.processes.top[].pid] | if length == 0 then "-" else join(",") end)]
		| map(tostring) | join(" ")' "$d/$tag.json" >"$d/$tag.ref"
	if ! hidden bench_truth "$NODE" "$sort" "$d/$tag.ref" "$IT_TMP/judged"; then
		failed "N=$NAME_N: no truth for $tag"
		return 1
	fi
	cat "$IT_TMP/judged" >>"$d/$tag.agree"
}

# newcomers DIR SORT KIND: beamtop sorted by SORT; once its first full
# scan has ended (its first JSON line), bench_load:newcomers(KIND) starts
# one newcomer flat out and a moderate one; the seconds (on the node's
# clock, to the end of the refresh) until each is in beamtop's top 20, or
# "never" within 30 refreshes, appended to DIR/nc_KIND as "flat moderate".
newcomers() {
	local d=$1 sort=$2 kind=$3 json="$1/nc.json" bt t0 seen=0 name out=""
	rm -f "$json"
	"$BEAMTOP" -b -n 30 -d 1 --json --lines 20 --sort "$sort" --timeout 60 "$NODE" \
		>"$json" 2>/dev/null &
	bt=$!
	until [ -s "$json" ] || ! kill -0 $bt 2>/dev/null; do sleep 0.05; done
	t0=$(node_eval "$NAME" "bench_load:newcomers($kind).")
	while [ $seen -lt 2 ] && kill -0 $bt 2>/dev/null; do
		sleep 0.3
		seen=$(jq -s '[.[].processes.top[:20][].name] | (index("bench_nc_flat") != null) as $a
			| (index("bench_nc_moderate") != null) as $b | [$a, $b] | map(select(.)) | length' \
			"$json" 2>/dev/null || echo 0)
	done
	kill $bt 2>/dev/null
	wait $bt 2>/dev/null
	node_eval "$NAME" 'bench_load:stop_newcomers().' >/dev/null
	case $t0 in
	*[!0-9]*|"") failed "N=$NAME_N: the newcomers did not start: $t0"; return 1 ;;
	esac
	for name in flat moderate; do
		out="$out $(jq -rs --arg nm "bench_nc_$name" --argjson t0 "$t0" '[.[] |
			select(.processes.top[:20] | map(.name) | index($nm)) |
			(.system.uptime_ms + .refresh.wall_ms - $t0) / 1000 * 10 | round / 10][0]
			// "never"' "$json" 2>/dev/null)"
	done
	echo $out >>"$d/nc_$kind"
}

# first_screen DIR: the screen in tmux, timed from its start until the
# header shows the node's OTP release and until the first process row;
# appended to DIR/screen as "header_ms rows_ms" (- when never, within 60 s).
first_screen() {
	local d=$1 t0 th=- tr=- text i
	t0=$(now_ms)
	screen_start 200x50 "$BEAMTOP" -d 1 --timeout 60 "$NODE"
	for i in $(seq 3000); do
		text=$(screen_text)
		[ "$th" = - ] && printf '%s\n' "$text" | head -1 | grep -q " OTP " && th=$(( $(now_ms) - t0 ))
		[ "$tr" = - ] && printf '%s\n' "$text" | grep -qE '^<[0-9]+\.[0-9]+\.[0-9]+>' && tr=$(( $(now_ms) - t0 ))
		[ "$th" != - ] && [ "$tr" != - ] && break
		sleep 0.02
	done
	screen_end
	[ "$th" = - ] || [ "$tr" = - ] && failed "N=$NAME_N: the screen showed no header or no rows in 60 s"
	echo "$th $tr" >>"$d/screen"
}

# tmux's own start, measured the same way: until a command's first line.
tmux_ms() {
	local t0 i
	t0=$(now_ms)
	screen_start 200x50 echo tmux-is-up
	for i in $(seq 500); do
		screen_text | grep -q tmux-is-up && break
		sleep 0.02
	done
	echo $(( $(now_ms) - t0 ))
	screen_end
}

# col FILE K: the median of column K of FILE, if FILE has a line for every
# run; else nothing.
col() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$RUNS" ] || return 0
	awk -v k="$2" '$k != "-" { print $k }' "$1" | median
}

# fig VALUE [UNIT]: VALUE, or MISSING when it is empty (counted in the
# report at the end).
fig() {
	if [ -z "$1" ] || [ "$1" = nan ] || [ "$1" = null ]; then
		printf 'MISSING'
	else
		printf '%s%s' "$1" "${2:-}"
	fi
}

# nc FILE K: the median of column K of newcomer times.
nc() {
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$RUNS" ] || return 0
	awk -v k="$2" '{ print ($k == "never" ? 1e9 : $k) }' "$1" | median |
		awk '{ print ($1 >= 1e9 ? "never (30 s)" : sprintf("%.1f s", $1)) }'
}

# size_of BYTES: in KiB or MiB (nothing when BYTES is empty).
size_of() {
	[ -n "$1" ] || return 0
	awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'
}

# opt VALUE: VALUE, or "none" (a figure that may not exist: no
# incremental refresh in a control run).
opt() { printf '%s' "${1:-none}"; }

# agree FILE: "median worst-decile refreshes" of the agreements in FILE.
agree() {
	[ -s "$1" ] || return 0
	echo "$(awk '{ print $4 }' "$1" | median) $(awk '{ print $4 }' "$1" | decile) $(wc -l <"$1")"
}

# agree_cell FILE: "median / worst decile (refreshes)" of FILE.
agree_cell() {
	set -- $(agree "$1")
	printf '%s / %s (%s)' "$(fig "${1:-}")" "$(fig "${2:-}")" "${3:-0}"
}

# agree_row N LABEL PREFIX REDS: a row of the agreement table, from the
# files PREFIX{REDS,mem,mq}.agree (REDS ctl: PREFIXctl_mem...); the claims
# of the reductions/s and memory runs are pooled in PREFIXREDS.claims.
agree_row() {
	local p=$3 m=mem q=mq
	[ "$4" = ctl ] && m=ctl_mem q=ctl_mq
	cat "$p$4.agree" "$p$m.agree" >"$p$4.claims" 2>/dev/null
	echo "| $1 | $2 | $(agree_cell "$p$4.agree") | $(agree_cell "$p$m.agree") | $(agree_cell "$p$q.agree") | $(fig "$(claims "$p$4.claims")") ($(fig "$(false_claims "$p$4.claims")")) |"
}

# false_claims FILE: refreshes that claim exact and agree on fewer than 20.
false_claims() {
	[ -s "$1" ] || return 0
	awk '$3 == "true" && $4 < 20 { n++ } END { print n + 0 }' "$1"
}

# claims FILE: refreshes that claim exact.
claims() {
	[ -s "$1" ] || return 0
	awk '$3 == "true" { n++ } END { print n + 0 }' "$1"
}

# goal NAME VALUE OP LIMIT: a row of the goals' table, PASS or FAIL, or
# MISSING when VALUE is empty.
goal() {
	local verdict
	if [ -z "$2" ]; then
		verdict=MISSING
	elif awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !(op == ">=" ? v >= l : v <= l) }'; then
		verdict=PASS
	else
		verdict=FAIL
	fi
	printf '| %s | %s | %s %s | %s |\n' "$NAME_N" "$1" "$(fig "$2")" "($3 $4)" "$verdict"
}

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gb=$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
otp=$(erl -noshell -eval 'io:format("~s (erts ~s)",[erlang:system_info(otp_release), erlang:system_info(version)]),halt().')
version="$(./beamtop --version | cut -d' ' -f2) ($(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include 2>/dev/null || echo ', modified'))"
la_start=$(cut -d' ' -f1-3 /proc/loadavg)
TMUX_OWN=$(tmux_ms)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

REPORT=$IT_TMP/report
{
	echo "# make bench: the latest figures"
	echo
	echo "Written by \`make bench\` (test/bench/run.sh) on $started:"
	echo "beamtop $version against etop, OTP $otp, on $(nproc) cores"
	echo "($cpu_model, $mem_gb GB), load average $la_start at the start."
	echo "Sizes $SIZES; $RUNS runs; beamtop $REFRESHES refreshes sorted by"
	echo "reductions/s, $SIDE for etop, the control and the memory and queue sorts;"
	echo "1 s interval; node CPU less the node alone (the hard case running),"
	echo "measured for ${BASE_S} s before and after each observer."
	echo
} >"$REPORT"

for n in $SIZES; do
	NAME=bench$n
	NAME_N=$n
	NODE=$NAME@$HOST
	D=$IT_TMP/n$n
	mkdir -p "$D"
	echo "N=$n: starting the node"
	start_bench_node "$NAME" "$n"
	BASE=$(baseline)
	for r in $(seq "$RUNS"); do
		echo "N=$n run $r ($(date -u +%H:%M:%S)): etop, beamtop, control, memory, queue, newcomers, screen"
		run_etop "$D"
		run_beamtop "$D" bt reductions_per_sec "$REFRESHES"
		run_beamtop "$D" ctl reductions_per_sec "$SIDE" --budget 100
		MEASURE_CPU=0 run_beamtop "$D" mem memory "$SIDE"
		MEASURE_CPU=0 run_beamtop "$D" mq message_queue_len "$SIDE"
		# (the control of the memory and queue truths: once)
		if [ "$r" = 1 ]; then
			MEASURE_CPU=0 run_beamtop "$D" ctl_mem memory "$SIDE" --budget 100
			MEASURE_CPU=0 run_beamtop "$D" ctl_mq message_queue_len "$SIDE" --budget 100
		fi
		newcomers "$D" reductions_per_sec reds
		newcomers "$D" memory memory
		first_screen "$D"
		# the next run's etop starts from a fresh baseline
		BASE=$(baseline)
	done
	{ kill -TERM $BENCH_PID; wait $BENCH_PID; } 2>/dev/null
done

# The tables: one row per size (and observer).
{
	echo "## The node's CPU per refresh (median of the runs)"
	echo
	echo "node ms: the node's CPU per refresh, counting beamtop's first scan (and"
	echo "without it); × etop: the first against etop's; first: the first scan's node"
	echo "ms and the time to the first JSON line; bytes per full-scan and per"
	echo "incremental refresh; own: beamtop's CPU per refresh; load: the 1-minute"
	echo "load average before → after the observer."
	echo
	echo "| N | observer | node ms | × etop | without first scan | first scan | first line | wall ms | bytes full | bytes incr | own ms | RSS | load |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for n in $SIZES; do
		D=$IT_TMP/n$n
		e=$(col "$D/etop_ms" 1)
		k=$(grep -c collector "$D/etop_mode" 2>/dev/null)
		case ${k:-0} in
		0) label="etop" ;;
		"$(wc -l <"$D/etop_mode")") label="etop's collector (etop gave up)" ;;
		*) label="etop (its collector in $k runs: etop gave up)" ;;
		esac
		echo "| $n | $label | $(fig "$e") | 1 | | | | | | | | | $(col "$D/etop_la" 1) → $(col "$D/etop_la" 2) |"
		for tag in bt ctl; do
			f=$D/${tag}_fig
			c=$(col "$f" 1)
			ratio=$(awk -v c="$c" -v e="$e" 'BEGIN { if (c != "" && e > 0) printf "%.3f", c / e }')
			echo "$n $tag $ratio" >>"$IT_TMP/ratios"
			echo "| $n | beamtop$([ $tag = ctl ] && echo ' --budget 100 (control)') | $(fig "$c") | $(fig "$ratio") | $(fig "$(col "$f" 2)") | $(fig "$(col "$f" 3)") ms | $(fig "$(col "$f" 4)") ms | $(fig "$(col "$f" 5)") | $(fig "$(size_of "$(col "$f" 6)")") | $(opt "$(size_of "$(col "$f" 7)")") | $(fig "$(col "$f" 8)") | $(fig "$(size_of "$(col "$f" 9 | awk '{ print $1 * 1024 }')")") | $(col "$D/${tag}_la" 1) → $(col "$D/${tag}_la" 2) |"
		done
	done
	echo
	echo "## Agreement with the truth (out of 20, per refresh, every run)"
	echo
	echo "beamtop's top 20 workers against the true top 20 taken on the node over the"
	echo "same interval (reductions/s) or at the same moment (memory, queue):"
	echo "median / worst decile (refreshes judged); exact: refreshes that claim the"
	echo "list exact (processes.exact), and of those, agreeing on fewer than 20 (false)."
	echo "The control reads every process at every refresh: what it misses is the"
	echo "bench's own resolution (rates that cross near a refresh's edges on a loaded"
	echo "machine)."
	echo
	echo "| N | observer | reductions/s | memory | queue | exact claims (false) |"
	echo "|---|---|---|---|---|---|"
	for n in $SIZES; do
		agree_row "$n" beamtop "$IT_TMP/n$n/" bt
		agree_row "$n" "beamtop --budget 100 (control)" "$IT_TMP/n$n/" ctl
	done
	echo
	echo "## First screen and newcomers (median of the runs)"
	echo
	echo "Screen: ms from starting beamtop in tmux until the header shows the node's"
	echo "OTP release, and until the first process row (tmux alone takes $TMUX_OWN ms to"
	echo "show a command's first line). Newcomers: s from their start (once beamtop's"
	echo "first full scan has ended) until beamtop's top 20 shows them, on the node's"
	echo "clock; moderate: just above rank 20, below every rescan threshold."
	echo
	echo "| N | screen: header | screen: rows | reds/s: flat out | reds/s: moderate | memory: 64 MiB | memory: moderate |"
	echo "|---|---|---|---|---|---|---|"
	for n in $SIZES; do
		D=$IT_TMP/n$n
		echo "| $n | $(fig "$(col "$D/screen" 1)") ms | $(fig "$(col "$D/screen" 2)") ms | $(fig "$(nc "$D/nc_reds" 1)") | $(fig "$(nc "$D/nc_reds" 2)") | $(fig "$(nc "$D/nc_memory" 1)") | $(fig "$(nc "$D/nc_memory" 2)") |"
	done
	echo
	echo "## Goals"
	echo
	echo "| N | goal | figure | verdict |"
	echo "|---|---|---|---|"
	for n in $SIZES; do
		D=$IT_TMP/n$n
		NAME_N=$n
		set -- $(agree "$D/bt.agree")
		goal "top 20 by reductions/s, median" "${1:-}" ">=" 18
		goal "top 20 by reductions/s, worst decile" "${2:-}" ">=" 15
		goal "node CPU per refresh with the first scan, × etop" \
			"$(awk -v n="$n" '$1 == n && $2 == "bt" { print $3 }' "$IT_TMP/ratios")" "<=" 0.1
		set -- $(agree "$D/mem.agree")
		goal "top 20 by memory, median" "${1:-}" ">=" 19
		set -- $(agree "$D/mq.agree")
		goal "top 20 by queue, median" "${1:-}" ">=" 19
		goal "false exact claims" "$(false_claims "$D/bt.claims")" "<=" 0
	done
} >>"$REPORT"

[ -s "$IT_TMP/failures" ] && { echo; cat "$IT_TMP/failures"; } >>"$REPORT"
MISSING=$(grep -o MISSING "$REPORT" | wc -l)
FAILED=$(grep -c '| FAIL |$' "$REPORT")
{
	echo
	if [ "$MISSING" -gt 0 ]; then
		echo "**$MISSING figures could not be measured (MISSING above): the bench failed.**"
	else
		echo "Every figure was measured; $FAILED goals not met."
	fi
} >>"$REPORT"
cp "$REPORT" "$OUT"
# BENCH_KEEP=DIR: the raw files (JSON, agreements, figures per run) kept.
[ -n "${BENCH_KEEP:-}" ] && mkdir -p "$BENCH_KEEP" && cp -r "$IT_TMP"/n* "$BENCH_KEEP"
cat "$REPORT"
[ "$MISSING" -eq 0 ] || exit 1
[ "${BENCH_STRICT:-0}" = 1 ] && [ "$FAILED" -gt 0 ] && exit 1
exit 0
