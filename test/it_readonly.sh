#!/usr/bin/env bash
# it_readonly.sh - runs it_readonly (read-only enforced where calls are
# sent) against a real node and checks that nothing reached the node.
. "$(dirname "$0")/lib.sh"

IT_READONLY=${IT_READONLY:-$(dirname "$BEAMTOP")/it_readonly}
start_epmd
start_node target
NODE=target@$HOST
export BEAMTOP_CALL_LOG=$IT_TMP/calls.log
V=$(node_eval target 'pid_to_list(whereis(it_busy)).' | tr -d '"')
bin=$(node_eval target 'erlang:memory(binary).')

"$IT_READONLY" "$NODE" "$COOKIE" "$V"
check "every refusal held" eq "$?" 0
check "the process is alive" eq "$(node_eval target 'is_pid(whereis(it_busy)).')" true
check "the call log has no call that changes the node" eq \
	"$(grep -c 'mutating\|erlang:exit\|erlang:garbage_collect\|erlang:halt' "$BEAMTOP_CALL_LOG")" 0
check "  ... but has the reading calls" eq "$(grep -c 'erlang:whereis\|is_process_alive' "$BEAMTOP_CALL_LOG")" 2

# The messages section: sampling a long queue traces the process, which
# its query declares as a change to the node; read-only, the section says
# why there is no sample instead, and a short queue still shows its head.
echo "the messages section, read-only"
export LC_ALL=C.UTF-8
node_eval target 'register(it_short_mq, spawn(fun() -> receive never_sent -> ok end end)), [whereis(it_short_mq) ! {planted_message, N} || N <- [1, 2, 3]], ok.' >/dev/null
: >"$BEAMTOP_CALL_LOG"
screen_start 200x40 "$BEAMTOP" -d 1 --read-only --pid it_short_mq "$NODE"
check "on a process with 3 messages" wait_for "registered name      it_short_mq" 15
keys m
check "m: its head is copied and shown" wait_for "3 messages in the queue; the first ones shown" 5
check "  ... the messages themselves" contains "$(screen_text)" "{planted_message,3}"
screen_start 200x40 "$BEAMTOP" -d 1 --read-only --pid it_mailbox "$NODE"
check "on a process with 50000 messages" wait_for "registered name      it_mailbox" 15
keys m
check "m: not copied, and not sampled: tracing is not read-only" \
	wait_for "sampling traces the process, which --read-only forbids" 5
check "  ... with its length" contains "$(screen_text)" "50000 messages"
screen_end
check "the heads were asked" eq "$(grep -c 'proc_messages' "$BEAMTOP_CALL_LOG")" 2
check "  ... but no sample, and nothing that changes the node" eq \
	"$(grep -c 'proc_sample\|mutating' "$BEAMTOP_CALL_LOG")" 0

it_done
