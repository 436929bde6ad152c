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

it_done
