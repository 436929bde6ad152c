#!/usr/bin/env bash
# it_output.sh - batch output that cannot go where it should: closed
# stdio fds, a reader that went away, a full disk.  beamtop must never
# write into the node's connection, never run on unread, and say so
# when a report could not be written.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST
LOG=$IT_TMP/target.log


node_mem() { node_eval target 'erlang:memory(total).'; }

# watched PID SECONDS: like ended, sampling the node's memory until
# then (a packet length read from a report is allocated at once, and
# freed when the connection goes); the largest sample is in $MEM_MAX.
watched() {
	local i m
	MEM_MAX=0
	for i in $(seq $(( $2 * 4 ))); do
		m=$(node_mem)
		[ "$m" -gt "$MEM_MAX" ] && MEM_MAX=$m
		kill -0 "$1" 2>/dev/null || break
		sleep 0.2
	done
	ended "$1" 1
}

echo "closed stdout: the report never reaches the node's socket"
log0=$(wc -c <"$LOG")
mem0=$(node_mem)
"$BEAMTOP" -b -n 2 -d 0.5 "$NODE" >&- 2>"$IT_TMP/err" &
BT=$!
remember $BT
check "ends" watched $BT 15
check "  ... with status 1" eq "$ENDED_RC" 1
check "  ... one line saying stdout is closed" eq \
	"$(cat "$IT_TMP/err")" "beamtop: cannot write the report: standard output is closed"
check "  ... node memory stays flat (< 20 MB more)" \
	test $(( MEM_MAX - mem0 )) -lt 20000000
check "  ... the node logged nothing" eq "$(wc -c <"$LOG")" "$log0"

echo "closed stdin and stderr: the report goes to stdout only"
mem0=$(node_mem)
"$BEAMTOP" -b -n 2 -d 0.5 "$NODE" <&- 2>&- >"$IT_TMP/out" &
BT=$!
remember $BT
check "ends" watched $BT 15
check "  ... with status 0" eq "$ENDED_RC" 0
check "  ... two reports on stdout" eq "$(grep -c 'PROCESSES by' "$IT_TMP/out")" 2
check "  ... node memory stays flat (< 20 MB more)" \
	test $(( MEM_MAX - mem0 )) -lt 20000000
check "  ... the node logged nothing" eq "$(wc -c <"$LOG")" "$log0"

# reader_quits ARGS...: beamtop -b ARGS into a pipe whose reader stops
# after one line; beamtop must end soon after.
reader_quits() {
	rm -f "$IT_TMP/fifo"
	mkfifo "$IT_TMP/fifo"
	"$BEAMTOP" -b "$@" "$NODE" >"$IT_TMP/fifo" 2>"$IT_TMP/err" &
	BT=$!
	remember $BT
	head -1 <"$IT_TMP/fifo" >"$IT_TMP/out"
	check "${*:-text}: ends once the reader has gone" ended $BT 5
	check "  ... with status 0" eq "$ENDED_RC" 0
	check "  ... silently" eq "$(wc -c <"$IT_TMP/err")" 0
	check "  ... after the reader got its line" test -s "$IT_TMP/out"
}

echo "a reader that went away (| head -1)"
reader_quits
reader_quits --json
reader_quits -d 0.2

echo "a write error"
"$BEAMTOP" -b -n 2 -d 0.5 "$NODE" >/dev/full 2>"$IT_TMP/err" &
BT=$!
remember $BT
check "/dev/full: ends" ended $BT 15
check "  ... with status 1" eq "$ENDED_RC" 1
check "  ... one line saying why" eq "$(cat "$IT_TMP/err")" \
	"beamtop: cannot write the report: No space left on device"

echo "control characters in names"
# Registered names are atoms, and an atom may hold any character: a name
# must never clear the screen, set the title or forge a report line.
# (\^G is BEL in Erlang's strings; NAME is cut at 32 columns in text.)
node_eval target 'register(list_to_atom("evil\e[2J\e]0;pwned\^G\r\nFORGED\0end"), spawn(fun() -> receive stop -> ok end end)).' >/dev/null
node_eval target 'register(list_to_atom("nul\0end"), spawn(fun() -> receive stop -> ok end end)).' >/dev/null
"$BEAMTOP" -b -n 1 --lines 100000 "$NODE" >"$IT_TMP/out"
check "text: no ESC, BEL or CR reaches the output" eq \
	"$(tr -d '\n' <"$IT_TMP/out" | tr -dc '\000-\011\013-\037\177' | wc -c)" 0
check "  ... no forged line" eq "$(grep -c '^FORGED' "$IT_TMP/out")" 0
check "  ... the name shown escaped" contains "$(cat "$IT_TMP/out")" \
	'evil\e[2J\e]0;pwned\x07\r\nFORGE'
check "  ... a NUL as \\x00, the name not cut there" contains "$(cat "$IT_TMP/out")" \
	'nul\x00end'
"$BEAMTOP" -b -n 1 --json --lines 100000 "$NODE" >"$IT_TMP/out.json"
check "json: jq parses it" jq -e . "$IT_TMP/out.json" >/dev/null
check "  ... the name round-trips, past the NUL" eq "$(jq -r '[.processes.top[].name |
	select(. == "evil\u001b[2J\u001b]0;pwned\u0007\r\nFORGED\u0000end" or
	. == "nul\u0000end")] | length' \
	"$IT_TMP/out.json")" 2

it_done
