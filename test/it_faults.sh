#!/usr/bin/env bash
# it_faults.sh - the fault matrix: what an incident can do to beamtop
# (node killed, frozen, restarted, slow; signals; resizes; tiny or dumb
# terminals; beamtop itself killed) and what beamtop must do: stay up,
# say what is wrong, never hang, restore the terminal, leave nothing on
# the node.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST
export LC_ALL=C.UTF-8
stop_node() { { kill -KILL "$NODE_PID_target"; wait "$NODE_PID_target"; } 2>/dev/null; }
restart_node() { rm -f "$IT_TMP/target.ready"; start_node target; }
ms() { date +%s%3N; }

echo "connect-time errors in screen mode leave the terminal alone"
printf 'wrong\n' >"$IT_TMP/wrong"
chmod 400 "$IT_TMP/wrong"
screen_start 100x30 "$BEAMTOP" --cookie-file "$IT_TMP/wrong" "$NODE"
check "wrong cookie: exit 2" wait_for "EXIT=2" 8
check "  ... one line saying why" contains "$(screen_text)" "check the cookie"
check "  ... the screen was never taken" eq "$(screen_text | grep -c 'Memory')" 0
screen_start 100x30 "$BEAMTOP" "nosuch@$HOST"
check "unknown node: exit 2" wait_for "EXIT=2" 8
check "  ... one line saying why" contains "$(screen_text)" "not registered with epmd"
t0=$(ms)
"$BEAMTOP" -b --timeout 2 --port "$ERL_EPMD_PORT" "$NODE" >/dev/null 2>"$IT_TMP/err"
rc=$?
t1=$(ms)
check "--port to something that is not a node: exit 2" eq "$rc" 2
check "  ... one line" eq "$(wc -l <"$IT_TMP/err")" 1
check "  ... within the timeout" eq "$(( t1 - t0 < 4000 ))" 1

# reports FILE N [SECONDS]: until FILE holds at least N reports.
reports() {
	local i
	for i in $(seq $(( ${3:-20} * 10 ))); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "       $1 has $(wc -l <"$1") reports, not $2"
	return 1
}

echo "batch: the node is killed mid-run"
"$BEAMTOP" -b -d 0.5 --json "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err" &
BT=$!
remember $BT
reports "$IT_TMP/out" 2
stop_node
t0=$(ms)
wait $BT
rc=$?
t1=$(ms)
check "exit status 1" eq "$rc" 1
check "  ... soon" eq "$(( t1 - t0 < 3000 ))" 1
check "  ... saying the connection was lost" contains "$(cat "$IT_TMP/err")" "lost"
check "  ... after reports" test "$(wc -l <"$IT_TMP/out")" -ge 2

echo "batch --reconnect: the node comes back"
restart_node
"$BEAMTOP" -b -d 0.5 --json --reconnect "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err" &
BT=$!
remember $BT
reports "$IT_TMP/out" 2
stop_node
sleep 1
n_down=$(wc -l <"$IT_TMP/out")
restart_node
reports "$IT_TMP/out" $((n_down + 2)) 30
kill -INT $BT
wait $BT
check "--reconnect: still running, stopped by SIGINT with 0" eq "$?" 0
check "  ... said it reconnected" contains "$(cat "$IT_TMP/err")" "reconnected to $NODE"
check "  ... and the reports resumed" test "$(wc -l <"$IT_TMP/out")" -gt "$n_down"
check "  ... from the new node" eq "$(tail -1 "$IT_TMP/out" | jq -r '.processes.top[0].name')" it_big_heap
# The restarted node's <0.80.0> is another process than the old one's:
# nothing of the first report after the restart is a rate against the old
# node (new incarnation, new history).
first=$(sed -n "$((n_down + 1))p" "$IT_TMP/out")
check "  ... its first report has no rate against the old node" eq \
	"$(printf '%s\n' "$first" | jq '[.processes.top[] | select(.reductions_per_sec != null)] | length')" 0
check "  ... nor a node-wide one" eq "$(printf '%s\n' "$first" | jq -r '.system.reductions_per_sec')" null

echo "batch: the node is frozen"
# The node restarted just above: let it finish planting its load (a 3 s
# handshake deadline follows).
for i in $(seq 50); do
	[ "$(node_eval target 'erlang:statistics(run_queue).')" = 0 ] && break
	sleep 0.1
done
"$BEAMTOP" -b -d 0.5 --timeout 3 --json "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err" &
BT=$!
remember $BT
reports "$IT_TMP/out" 2
kill -STOP "$NODE_PID_target"
t0=$(ms)
wait $BT
rc=$?
t1=$(ms)
kill -CONT "$NODE_PID_target"
check "frozen: exit 1 instead of hanging" eq "$rc" 1
check "  ... within the timeout and a refresh" eq "$(( t1 - t0 < 6000 ))" 1
check "  ... saying it is not answering" contains "$(cat "$IT_TMP/err")" "not answering"
# The thawed node still holds the connection of the beamtop that left
# (the next one would be refused its name): until it has noticed.
check "  ... and the node lets its connection go" dropped target

echo "screen: the node is frozen, then thaws"
screen_start 120x40 "$BEAMTOP" -d 1 --timeout 2 "$NODE"
check "the screen is up" wait_for "processes  sorted by memory" 15
kill -STOP "$NODE_PID_target"
check "frozen: the status line says it is not answering" wait_for "not answering" 10
t0=$(ms)
keys 3
check "  ... keys are still answered at once" wait_for "ID TYPE" 2
t1=$(ms)
check "  ... within a second" eq "$(( t1 - t0 < 1000 ))" 1
check "  ... and the data is marked stale" wait_for "STALE" 12
kill -CONT "$NODE_PID_target"
check "thawed: fresh data again" wait_for "0.0s old" 15
keys q
check "q exits 0" wait_for "EXIT=0" 5

echo "signals and the terminal"
for sig in TERM INT HUP SEGV; do
	screen_start 100x30 "$BEAMTOP" -d 1 "$NODE"
	wait_for "processes  sorted by memory" 15 >/dev/null
	pid=$(screen_pid)
	kill -"$sig" "$pid"
	check "SIG$sig: beamtop ends" wait_for "EXIT=" 5
	check "  ... the alternate screen is left" eq "$(tm display -p -t t '#{alternate_on}')" 0
	check "  ... the cursor is back" eq "$(tm display -p -t t '#{cursor_flag}')" 1
done
check "a crash dies by its signal after restoring" contains "$(screen_text)" "EXIT=139"

echo "resize storms, tiny and dumb terminals"
screen_start 120x40 "$BEAMTOP" -d 1 "$NODE"
check "the screen is up" wait_for "processes  sorted by memory" 15
for i in $(seq 40); do
	tm resize-window -t t -x $((60 + i * 3)) -y $((15 + i % 20))
done
tm resize-window -t t -x 120 -y 40
check "after 40 resizes: still up and sane" wait_for_row 4 "Processes" 5
tm resize-window -t t -x 10 -y 5
check "10x5: says what size it needs" wait_for "need 60x15" 5
tm resize-window -t t -x 120 -y 40
keys q
check "q exits 0" wait_for "EXIT=0" 5
screen_start 100x30 env TERM=no-such-terminal "$BEAMTOP" "$NODE"
check "unknown TERM: refused in one line" wait_for "cannot use terminal type 'no-such-terminal'" 8
check "  ... exit 2" wait_for "EXIT=2" 5

echo "a slow refresh stretches the interval instead of piling up"
# (--budget 100: a full scan of 60k processes on every refresh, slower
# than the 0.1 s interval)
node_eval target '[spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, 60000)], ok.' >/dev/null
: >"$IT_TMP/calls.log"
BEAMTOP_CALL_LOG=$IT_TMP/calls.log "$BEAMTOP" -b -n 8 -d 0.1 --budget 100 --json "$NODE" >"$IT_TMP/out"
check "every refresh took longer than the interval" eq \
	"$(jq -s '[.[] | select(.refresh.wall_ms > 100)] | length' "$IT_TMP/out")" 8
check "one process scan per refresh, none piled up" eq \
	"$(grep -Ec '^(observer_backend:procs_info|erlang:processes) ' "$IT_TMP/calls.log")" 8
screen_start 120x40 "$BEAMTOP" -d 0.1 --budget 100 "$NODE"
check "the screen says the interval is stretched" wait_for "(stretched)" 15
keys q

echo "beamtop killed outright leaves nothing on the node"
# The screen above has left, and its flag holder with it: nothing else
# on this node turns the flag on.
wait_for "EXIT=" 10 >/dev/null
flag_is() {
	local i
	for i in $(seq 50); do
		[ "$(node_eval target "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	echo "       $1 is not $2"
	return 1
}
check "before: the flag is off" flag_is 'erlang:statistics(scheduler_wall_time).' undefined
procs_before=$(node_procs target)
"$BEAMTOP" -b -d 0.5 --json "$NODE" >/dev/null 2>&1 &
BT=$!
check "attached: the flag is on" flag_is \
	'is_list(erlang:statistics(scheduler_wall_time)).' true
{ kill -KILL $BT; wait $BT; } 2>/dev/null
check "SIGKILL: the flag goes back to what it was" flag_is \
	'erlang:statistics(scheduler_wall_time).' undefined
check "  ... and no process is left behind" procs_back target "$procs_before"

echo "the node comes back with another cookie: no retry storm"
# Every attempt with the old cookie is refused, and logged on the node as
# "Connection attempt ... rejected": beamtop must stop retrying on a timer.
ORIG_COOKIE=$COOKIE
restart_with() { stop_node; COOKIE=$1; restart_node; COOKIE=$ORIG_COOKIE; }
rejected() { grep -c "rejected" "$IT_TMP/target.log"; }
# poll_until SECONDS CMD...: CMD succeeds before SECONDS pass.
poll_until() {
	local end=$(( $(ms) + $1 * 1000 ))
	shift
	while [ "$(ms)" -lt "$end" ]; do
		"$@" && return 0
		sleep 0.2
	done
	echo "       never: $*"
	return 1
}
# at_most N SECONDS: the node's rejections stay at or under N for SECONDS.
at_most() {
	local end=$(( $(ms) + $2 * 1000 ))
	while [ "$(ms)" -lt "$end" ]; do
		if [ "$(rejected)" -gt "$1" ]; then
			echo "       $(rejected) rejections logged by the node"
			return 1
		fi
		sleep 0.5
	done
}
saw() { grep -q "$2" "$1"; }
rejections() { [ "$(rejected)" -eq "$1" ]; }

"$BEAMTOP" -b -d 0.5 --json --reconnect "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err" &
BT=$!
remember $BT
check "batch: reports come" poll_until 10 test -s "$IT_TMP/out"
restart_with "other-$COOKIE"
check "batch: says the node refused the cookie" \
	poll_until 20 saw "$IT_TMP/err" "authentication failed"
check "  ... the node logs at most 2 rejections over 12 s" at_most 2 12
check "  ... one line per attempt, naming the wait" contains "$(cat "$IT_TMP/err")" \
	"the node's cookie changed? next try in 15 s"
check "  ... as many lines as the node's rejections" eq \
	"$(grep -c 'authentication failed' "$IT_TMP/err")" "$(rejected)"
kill -INT $BT
wait $BT
check "  ... and SIGINT still ends it with 0" eq "$?" 0

restart_with "$ORIG_COOKIE"
screen_start 120x40 "$BEAMTOP" -d 1 "$NODE"
check "screen: up" wait_for "processes  sorted by memory" 15
restart_with "other-$COOKIE"
check "screen: says so, and waits for r" wait_for "press r to retry" 25
check "  ... the header says it too" contains "$(row 1)" "AUTHENTICATION FAILED"
check "  ... one rejection over 12 s, no retries" at_most 1 12
keys r
check "r tries once more" poll_until 10 rejections 2
check "  ... and waits again" wait_for "press r to retry" 10
keys q
check "  ... q exits 0" wait_for "EXIT=0" 5

it_done
