#!/usr/bin/env bash
# it_firstscreen.sh - the first screen of a big node, and leaving it in
# the middle of a scan.  At 200,000 processes beamtop's first full scan
# takes seconds (test/it_firstscreen.erl): the rows it has read are shown
# while it streams, marked partial (on screen and in batch JSON), never
# complete or exact, and the complete list follows; quitting, SIGKILL or a
# lost connection in the middle of it leaves the node no work (its CPU,
# from /proc, is flat 200 ms later) and nothing behind.
. "$(dirname "$0")/lib.sh"

start_epmd
start_planted target it_firstscreen
NODE=target@$HOST
NODE_PID=$NODE_PID_target
export LC_ALL=C.UTF-8
ms() { date +%s%3N; }

# The node's CPU so far (user + system), in ms.
node_cpu() {
	awk -v t="$((1000 / $(getconf CLK_TCK)))" '{ print ($14 + $15) * t }' \
		"/proc/$NODE_PID/stat"
}
until_ms() { while [ "$(ms)" -lt "$1" ]; do sleep 0.01; done; }
# busy_after T0: the node's CPU from 200 ms to 1200 ms after T0 (ms).
busy_after() {
	local a
	until_ms $(( $1 + 200 ))
	a=$(node_cpu)
	until_ms $(( $1 + 1200 ))
	echo $(( $(node_cpu) - a ))
}
line() { printf '%s\n' "$SHOT" | sed -n "${1}p"; }

# scanning: until the node works (50 ms of CPU in 100 ms: beamtop's full
# scan, 2 to 3 s), then 800 ms more, into the middle of it, when the other
# calls of the refresh have long been answered (a call of rex's in flight
# when beamtop dies is answered all the same, which makes the node try to
# connect back); status 1 if it never does within 15 s.
scanning() {
	local i a b
	a=$(node_cpu)
	for i in $(seq 150); do
		sleep 0.1
		b=$(node_cpu)
		if [ $(( b - a )) -ge 50 ]; then
			sleep 0.8
			return 0
		fi
		a=$b
	done
	echo "       the node never got busy"
	return 1
}

# streaming SECONDS: until the screen shows process rows under a header
# that says the list is partial (the first full scan still streams); the
# screen is then in $SHOT.
streaming() {
	local i
	for i in $(seq $(( $1 * 20 ))); do
		SHOT=$(screen_text)
		line 1 | grep -q 'partial:' && line 7 | grep -q '<0\.' && return 0
		sleep 0.05
	done
	echo "       no partial list was shown; the screen shows:"
	printf '%s\n' "$SHOT" | sed 's/^/       | /'
	return 1
}

# complete SECONDS: until the list is the complete one, the leader first.
complete() {
	local i
	for i in $(seq $(( $1 * 20 ))); do
		SHOT=$(screen_text)
		! line 1 | grep -q 'partial' && ! line 5 | grep -q 'partial' &&
			line 7 | grep -q it_fs_leader && return 0
		sleep 0.05
	done
	echo "       the complete list never came; the screen shows:"
	printf '%s\n' "$SHOT" | sed 's/^/       | /'
	return 1
}

procs0=$(node_procs target)
a=$(node_cpu)
sleep 1
IDLE=$(( $(node_cpu) - a ))
echo "       the node alone: ${IDLE} ms of CPU a second, $procs0 processes"

echo "the first screen"
screen_start 120x40 "$BEAMTOP" -d 5 --timeout 20 "$NODE"
t0=$(ms)
check "rows are shown while the first full scan streams" streaming 15
t_rows=$(( $(ms) - t0 ))
check "  ... the header says how far, and that the top is not proved" \
	eq "$(line 1 | grep -cE 'partial: [^ ]+ of [^ ]+ read, top: not proved')" 1
part=$(line 5 | grep -oE 'partial: [0-9]+ of [0-9]+ read')
read_n=$(printf '%s' "$part" | awk '{ print $2 }')
of_n=$(printf '%s' "$part" | awk '{ print $4 }')
check "  ... the list says partial: N of M read" test -n "$part"
check "  ... N short of M" test "${read_n:-0}" -lt "${of_n:-0}"
check "  ... the top not proved" contains "$(line 5)" "top: not proved"
# Keys while partial lists come in: sorts and scrolling.
keys R Q Down Down M Home
check "then the complete list, marked partial no more" complete 30
t_full=$(( $(ms) - t0 ))
check "  ... the leader first" contains "$(line 7)" it_fs_leader
echo "       first rows after ${t_rows} ms, the complete list after ${t_full} ms"
check "the first rows came well before the complete list" \
	test $(( t_rows + 500 )) -lt "$t_full"
screen_end

echo "batch: --partial reports while the first full scan streams"
"$BEAMTOP" -b --json --partial -n 1 -d 0.5 --timeout 20 "$NODE" \
	>"$IT_TMP/out" 2>"$IT_TMP/err"
check "exit 0" eq "$?" 0
n=$(wc -l <"$IT_TMP/out")
check "partial reports, then the one asked for" test "$n" -ge 2
check "  ... every report but the last is marked partial" eq \
	"$(jq -s '[.[:-1][] | select(.processes.partial == true)] | length' "$IT_TMP/out")" \
	$(( n - 1 ))
check "  ... none of them complete, exact or short of nothing" eq \
	"$(jq -s '[.[:-1][] | select(.processes.complete or .processes.exact.memory or
		(.processes.exact.reductions_per_sec == true) or
		(.processes.read >= .processes.count))] | length' "$IT_TMP/out")" 0
check "  ... some with rows" test \
	"$(jq -s '[.[:-1][] | select(.processes.read > 0 and (.processes.top | length) > 0)] | length' \
	"$IT_TMP/out")" -ge 1
check "  ... the last complete, not partial, the leader first" eq \
	"$(tail -1 "$IT_TMP/out" | jq -c '[.processes.partial, .processes.complete, .processes.top[0].name]')" \
	'[false,true,"it_fs_leader"]'
"$BEAMTOP" -b --json -n 1 --timeout 20 "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err"
check "without --partial, one report only" eq "$(wc -l <"$IT_TMP/out")" 1

echo "leaving in the middle of the first full scan"
for how in q SIGKILL; do
	screen_start 120x40 "$BEAMTOP" -d 5 --timeout 20 "$NODE"
	check "$how: the node is scanning" scanning
	pid=$(screen_pid)
	t0=$(ms)
	if [ "$how" = q ]; then keys q; else kill -KILL "$pid"; fi
	busy=$(busy_after "$t0")
	echo "       the node's CPU 200 ms to 1.2 s after $how: ${busy} ms"
	check "  ... the node's work stops within 200 ms" test "$busy" -le $(( IDLE + 40 ))
	[ "$how" = q ] && check "  ... q exits 0" wait_for "EXIT=0" 5
	screen_end
done
"$BEAMTOP" -b --json -n 1 --timeout 20 "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err" &
BT=$!
remember $BT
check "batch: the node is scanning" scanning
node_eval target '[erlang:disconnect_node(N) || N <- erlang:nodes(hidden),
	lists:prefix("beamtop", erlang:atom_to_list(N))].' >/dev/null
t0=$(ms)
busy=$(busy_after "$t0")
echo "       the node's CPU 200 ms to 1.2 s after the connection was cut: ${busy} ms"
check "a lost connection: the node's work stops within 200 ms" test "$busy" -le $(( IDLE + 40 ))
wait $BT
check "  ... beamtop says so, exit 1" eq "$?" 1
check "  ... in one line" eq "$(grep -c 'lost' "$IT_TMP/err")" 1

check "nothing is left on the node" procs_back target "$procs0"
check "  ... no connection" dropped target
check "  ... and it never tried to connect back" eq \
	"$(node_eval target 'erlang:whereis(inet_gethost_native).')" undefined

TSAN_BIN=${BEAMTOP_TSAN:-}
if [ -x "$TSAN_BIN" ]; then
	echo "partial lists under ThreadSanitizer"
	export TSAN_OPTIONS="log_path=$IT_TMP/tsan halt_on_error=1 second_deadlock_stack=1"
	screen_start 120x40 "$TSAN_BIN" -d 5 --timeout 30 "$NODE"
	check "rows while the scan streams" streaming 30
	for k in R Q Down Down G G M Home; do
		keys "$k"
		sleep 0.1
	done
	check "  ... then the complete list" complete 60
	keys q
	check "  ... q exits 0 (no race halted it)" wait_for "EXIT=0" 15
	check "  ... ThreadSanitizer reported nothing" eq \
		"$(cat "$IT_TMP"/tsan* 2>/dev/null | grep -c 'WARNING: ThreadSanitizer')" 0
	screen_end
fi

it_done
