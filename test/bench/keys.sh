#!/usr/bin/env bash
# keys.sh - how soon the screen answers a key while a full scan of a big
# node is in flight.  beamtop runs in tmux with --budget 100 (a full scan
# on every refresh, one after the other: at 1M processes one is always
# running); each press switches between the Memory and Processes panes,
# and the time is from send-keys until capture-pane shows the new pane
# (so it includes tmux's own round trip, measured first the same way
# against cat and printed apart).  Medians and worst of PRESSES.  The
# node runs the hard case of bench_load.erl (see run.sh).  The figures
# are also put at the end of test/bench/results.md, which run.sh writes.
#
# BENCH_KEYS_N processes (default 100000; 1000000 with BENCH_1M=1).
set -u
cd "$(dirname "$0")/../.."
. test/lib.sh
. test/bench/common.sh

N=${BENCH_KEYS_N:-$([ "${BENCH_1M:-0}" = 1 ] && echo 1000000 || echo 100000)}
PRESSES=${BENCH_KEYS_PRESSES:-30}
cp beamtop "$IT_TMP/beamtop.keys"
mkdir -p "$IT_TMP/beams"
erlc -o "$IT_TMP/beams" test/bench/bench_load.erl || exit 1
start_epmd
start_bench_node keys "$N"
NODE_PID=$BENCH_PID

# press KEY TEXT: ms from sending KEY until the screen shows TEXT.
press() {
	local t0 t1
	t0=$(date +%s%N)
	keys "$1"
	until screen_text | grep -qF -- "$2"; do sleep 0.002; done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 ))
}

# tmux's own round trip: the same presses, answered by cat.
screen_start 120x40 cat
sleep 0.5
: >"$IT_TMP/lat0"
for i in $(seq "$PRESSES"); do
	press "[$i]" "[$i]" >>"$IT_TMP/lat0"
	sleep 0.05
done
tmux_ms=$(sort -n "$IT_TMP/lat0" | awk '{ a[NR] = $1 / 1000 } END { printf "%.1f", a[int((NR + 1) / 2)] }')

screen_start 120x40 env BEAMTOP_KEY_LOG="$IT_TMP/klog" "$IT_TMP/beamtop.keys" --budget 100 -d 1 --timeout 60 "keys@$HOST"
wait_for "CURRENT FUNCTION" 120 >/dev/null || exit 1
sleep 2


c0=$(cpu_ms "$NODE_PID")
s0=$(date +%s%N)
: >"$IT_TMP/lat"
for i in $(seq "$PRESSES"); do
	press 1 "RATE/s" >>"$IT_TMP/lat"
	press 2 "CURRENT FUNCTION" >>"$IT_TMP/lat"
	sleep 0.1
done
c1=$(cpu_ms "$NODE_PID")
s1=$(date +%s%N)
header=$(row 1)
keys q
sleep 1
# beamtop's own view: how long keys waited for the lock, how long a draw
# took (a frame is the redraw after new data; a key, after a key).
inside=$(awk '$1 == "key" { kw[++k] = $4; kd[k] = $6 } $1 == "frame" { fd[++f] = $5; fw[f] = $3 }
	function mx(a, n,   i, m) { m = 0; for (i = 1; i <= n; i++) if (a[i] > m) m = a[i]; return m }
	END { printf "inside beamtop: keys waited for the lock at most %.1f ms and drew in at most %.1f ms; redraws took at most %.1f ms (lock %.1f ms)", mx(kw, k), mx(kd, k), mx(fd, f), mx(fw, f) }' "$IT_TMP/klog")
sort -n "$IT_TMP/lat" | awk -v n="$N" -v busy="$(( (c1 - c0) * 1000000000 / (s1 - s0) ))" \
	-v hdr="$header" -v tmux_ms="$tmux_ms" -v inside="$inside" '
	{ a[NR] = $1 / 1000 }
	END {
		printf "keys at N=%d: %d presses, median %.1f ms, 90th %.1f ms, worst %.1f ms\n",
			n, NR, a[int((NR + 1) / 2)], a[int(NR * 0.9)], a[NR]
		printf "  (of which tmux itself, answered by cat: median %s ms)\n", tmux_ms
		printf "  %s\n", inside
		printf "  (the node meanwhile: %d CPU-ms per second, its load and the scans; header: %s)\n",
			busy, hdr
	}' >"$IT_TMP/keys.out"
cat "$IT_TMP/keys.out"
# In the results' file (run.sh writes the rest), in place of an older
# section of its own.
OUT=${BENCH_OUT:-test/bench/results.md}
if [ -f "$OUT" ]; then
	awk '/^## Keys/ { exit } { print }' "$OUT" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$IT_TMP/results"
	{
		echo
		echo "## Keys (test/bench/keys.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg))"
		echo
		echo "Key presses switching panes while full scans run back to back (--budget 100):"
		echo
		echo '```'
		cat "$IT_TMP/keys.out"
		echo '```'
	} >>"$IT_TMP/results"
	cp "$IT_TMP/results" "$OUT"
fi
