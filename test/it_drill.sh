#!/usr/bin/env bash
# it_drill.sh - the drill-down and the actions, in the real screen (tmux)
# against a node with planted processes: every section's content, links
# walked both ways, a 1M-message mailbox read without copying it, state
# of a gen_server, kill with confirmation, --read-only, and bin_leak.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target drill
NODE=target@$HOST
export LC_ALL=C.UTF-8
export BEAMTOP_CALL_LOG=$IT_TMP/calls.log
pid_of() { node_eval target "pid_to_list(whereis($1))." | tr -d '"'; }

echo "a gen_server, by name (--pid)"
screen_start 130x40 "$BEAMTOP" -d 1 --pid it_gs "$NODE"
check "the drill-down opens on the name" wait_for "registered name      it_gs" 15
check "the summary line names it" contains "$(row 5)" "it_gs"
check "the tab shows its pid" contains "$(row 4)" "$(pid_of it_gs)"
check "info: status" contains "$(screen_text)" "status               waiting"
check "info: message queue" contains "$(screen_text)" "message queue"
check "info: garbage collection" contains "$(screen_text)" "garbage collection"
check "info: the real initial call (from the dictionary, read once)" wait_for "really it_load:init/1" 5
keys b
check "b: its binaries, on request" wait_for "refc binaries referred to" 5
keys t
# (The summary line names gen_server:loop too: wait for the stack's own
# file:line, then look at it.)
check "t: the stack has file and line" wait_for "gen_server.erl:" 5
check "  ... and names gen_server's loop there" contains \
	"$(screen_text | grep 'gen_server.erl:')" "gen_server:loop"
keys s
check "s: sys:get_state shows the planted state" wait_for "planted_state,42" 5
check "  ... binaries as text" contains "$(screen_text)" '<<"hello">>'
keys a
check "a: the ancestors chain" wait_for "1  <" 3
keys q
check "q quits from the drill-down" wait_for "EXIT=0" 5

echo "a process by its pid (--pid '<0.N.0>' and 0.N.0)"
GS=$(pid_of it_gs)
# (quoted for the shell that tmux runs)
screen_start 130x40 "$BEAMTOP" -d 1 --pid "'$GS'" "$NODE"
check "--pid '<0.N.0>' opens it" wait_for "registered name      it_gs" 15
check "  ... the summary is live, not 'gone'" wait_for_row 5 "it_gs  memory" 5
keys q
wait_for "EXIT=" 5 >/dev/null
screen_start 130x40 "$BEAMTOP" -d 1 --pid "${GS:1:-1}" "$NODE"
check "--pid 0.N.0 opens it too" wait_for "registered name      it_gs" 15
keys q
wait_for "EXIT=" 5 >/dev/null

echo "a linked pair, walked both ways"
A=$(pid_of it_linked_a)
B=$(pid_of it_linked_b)
screen_start 130x40 "$BEAMTOP" -d 1 --pid it_linked_a "$NODE"
check "on it_linked_a" wait_for "registered name      it_linked_a" 15
keys l
check "l: its link to it_linked_b" wait_for "$B" 3
keys Down Enter
check "Enter follows the link to it_linked_b" wait_for "registered name      it_linked_b" 5
check "  ... the tab says where we are" contains "$(row 4)" "$B"
keys l
check "it_linked_b links back to it_linked_a" wait_for "$A" 3
keys Down Enter
check "and Enter goes back to it_linked_a" wait_for "registered name      it_linked_a" 5
check "the back history is two deep" contains "$(row 6)" "back (2)"
keys Escape
check "Esc goes back to it_linked_b" wait_for "registered name      it_linked_b" 5
keys Escape Escape
sleep 1
check "and out to the processes pane" contains "$(row 5)" "processes"
keys q

echo "the dictionary"
screen_start 130x40 "$BEAMTOP" -d 1 --pid it_dict "$NODE"
check "on it_dict" wait_for "registered name      it_dict" 15
keys d
check "d: the planted key" wait_for "planted_key => planted_value" 3
keys s
check "s: a plain process is not asked for its state" wait_for "does not handle system messages" 5
check "  ... and got no system message" eq \
	"$(node_eval target 'element(2, erlang:process_info(whereis(it_dict), message_queue_len)).')" 0
keys q

echo "a long queue that does not grow: its head on request"
screen_start 200x40 "$BEAMTOP" -d 1 --pid it_mailbox "$NODE"
check "on it_mailbox" wait_for "registered name      it_mailbox" 15
keys m
check "m: nothing arrived, and it says why" wait_for "none, the queue is not growing" 10
check "  ... and what would show its head" contains "$(screen_text)" "C copies"
keys C
check "C asks first" wait_for "Let the node copy up to 64 MB" 5
keys y
check "  ... then says to ask again" wait_for "ask the section again" 5
keys m
check "after C: the head of its 50000 messages" \
	wait_for "50000 messages in the queue; the first ones shown" 10
check "  ... 20 of them, the oldest first" eq \
	"$(screen_text | grep -c '^ *[0-9]*  {msg,')" 20
check "  ... the oldest first" contains "$(screen_text | grep '^ *1  ')" "{msg,50000}"
keys q

echo "a 1M-message mailbox"
screen_start 130x40 "$BEAMTOP" -d 1 --pid it_huge_mq "$NODE"
check "on it_huge_mq" wait_for "registered name      it_huge_mq" 15
before=$(node_eval target 'erlang:memory(processes).')
keys m
sleep 1.5
during=$(node_eval target 'erlang:memory(processes).')
mailbox=$(node_eval target 'element(2, erlang:process_info(whereis(it_huge_mq), total_heap_size)) * 8.')
check "m: says the queue is too long to copy" wait_for "too big to copy" 8
check "  ... shows at most 20 messages" eq "$(screen_text | grep -c '^ *[0-9]*  {trickled')" 20
check "  ... and no 21st" eq "$(screen_text | grep -c '^ 21  ')" 0
# Copying the mailbox would have put another copy of it on the node.
check "the node's process memory did not jump by the mailbox's size" \
	awk -v b="$before" -v d="$during" -v m="$mailbox" 'BEGIN { exit !(d - b < m / 10) }'
keys q

echo "kill, with confirmation"
V=$(pid_of it_victim)
screen_start 130x40 "$BEAMTOP" -d 1 --pid it_victim "$NODE"
check "on it_victim" wait_for "registered name      it_victim" 15
keys k
check "k asks first, naming the pid and the call" wait_for "Kill $V (it_victim) with exit($V, kill)?" 3
keys n
check "n: cancelled" wait_for "cancelled" 3
check "  ... it still lives" eq "$(node_eval target 'is_pid(whereis(it_victim)).')" true
keys k y
check "y: the node's answer is shown" wait_for "$V: ok" 5
check "it_victim is dead" eq "$(node_eval target "erlang:is_process_alive(list_to_pid(\"$V\"))." )" false
check "and only it: the others live" eq "$(node_eval target \
	'[is_pid(whereis(N)) || N <- [it_gs, it_linked_a, it_linked_b, it_dict, it_huge_mq]].')" \
	"[true, true, true, true, true]"
check "the drill-down says it is gone" wait_for "is gone" 5
keys q

echo "read-only"
: >"$BEAMTOP_CALL_LOG"
screen_start 130x40 "$BEAMTOP" -d 1 --read-only --pid it_linked_b "$NODE"
check "on it_linked_b" wait_for "registered name      it_linked_b" 15
check "the actions show as unavailable" contains "$(row 6)" "read-only: no k, g"
keys k
check "k is refused" wait_for "not available" 3
keys Escape Escape B
check "B is refused" wait_for "not available" 3
keys q
check "it_linked_b still lives" eq "$(node_eval target 'is_pid(whereis(it_linked_b)).')" true
check "no call that changes the node was sent" eq \
	"$(grep -c 'mutating\|erlang:exit\|erlang:garbage_collect' "$BEAMTOP_CALL_LOG")" 0
check "  ... while other calls were" test -s "$BEAMTOP_CALL_LOG"

echo "bin_leak"
L=$(pid_of it_leaker)
bin_before=$(node_eval target 'erlang:memory(binary).')
screen_start 130x40 "$BEAMTOP" -d 1 "$NODE"
check "the processes pane" wait_for "processes  sorted by memory" 15
keys B
check "B warns of the cost first" wait_for "bin_leak garbage-collects all" 3
keys y
check "bin_leak reports" wait_for "node's binary memory" 60
line=$(screen_text | grep -F "$L")
check "it_leaker is in the top" contains "$line" "freed"
bin_after=$(node_eval target 'erlang:memory(binary).')
freed=$(printf '%s\n' "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "freed") {
	v = $(i + 1); u = $(i + 2);
	m = u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 1;
	printf "%d", v * m; exit } }')
check "its freed bytes are within 10% of the node's drop in binary memory" \
	within "$freed" "$((bin_before - bin_after))" 10
# "node's binary memory: 21.1 MiB before, 1.02 MiB after (20.1 MiB freed)":
# the after figure is the one the node settles on, not a reading taken
# while it still frees what the collection released.
node_after=$(screen_text | grep -F "node's binary memory" | awk '{
	for (i = 1; i < NF; i++) if ($(i + 2) == "after") {
	v = $i; u = $(i + 1);
	m = u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 1;
	printf "%d", v * m; exit } }')
check "the node line's after figure is within 10% (256 KiB) of what the node says then" \
	near "$node_after" "$bin_after" 10 262144
keys Enter
check "Enter on a result looks into that process" wait_for "registered name" 5
keys q

echo "tables and ports"
screen_start 130x40 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the ETS pane" wait_for_row 7 "it_big_table" 15
# (Home: the selection stays on the table it was on, which the first
# refresh's first row may have been.)
keys Home Enter
check "Enter: the table's ets:info" wait_for "size                   100000" 5
check "  ... its memory in bytes (and words), as the list shows it" \
	contains "$(screen_text | grep '^memory ')" "iB ("
check "  ... its footer offers a table's keys" contains "$(screen_text | tail -1)" "oObjects"
check "  ... not a process's" eq "$(screen_text | tail -1 | grep -c 'Msgs\|State\|Kill')" 0
keys k
check "  ... and k asks nothing" eq "$(screen_text | grep -c 'kill')" 0

keys o
check "o: its first objects" wait_for "the first 20 of 100000 objects" 5
keys Escape / i t _ s e c r e t Enter Enter o
check "a private table says it cannot be read" wait_for "private table" 5
keys Escape 5 / c a t Enter Enter
check "Enter on a port: its port_info" wait_for "os_pid" 5
check "  ... its owner is a line to follow" contains "$(screen_text)" "it_port_owner"
check "  ... its footer offers no process key" eq "$(screen_text | tail -1 | grep -c 'Msgs\|State\|Kill\|Objects')" 0
tm send-keys -t t "$(printf '\033')"
keys q
check "q exits" wait_for "EXIT=0" 5

it_done
