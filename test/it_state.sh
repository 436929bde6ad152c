#!/usr/bin/env bash
# it_state.sh - s (sys:get_state) on the shapes that packaged applications
# put on a node (test/it_shapes.erl): read wherever a sys-aware loop will
# answer (a proc_lib loop of its own, awake or hibernating as every idle
# gen_server2 does; a gen_server hibernating), refused with nothing sent
# where none would (a server waiting inside its callback in a module that
# has a loop of its own; a hibernating process whose loop is a plain
# receive); no atom made.  RabbitMQ's own are in it_rabbit.sh.
. "$(dirname "$0")/lib.sh"

start_epmd
start_shapes shapes
NODE=shapes@$HOST
export LC_ALL=C.UTF-8
atoms() { node_eval shapes 'erlang:system_info(atom_count).'; }
# pid_of EXPR: the pid EXPR gives on the node, as --pid takes it (0.N.0).
pid_of() { node_eval shapes "$1" | tr -d '"<>'; }
# mailbox PID: its message queue's length.
mailbox() {
	node_eval shapes "element(2, erlang:process_info(list_to_pid(\"<$1>\"), message_queue_len))."
}

# The planted ones, each waiting as described above.
AWAKE=$(pid_of 'pid_to_list(hd([P || P <- erlang:processes(), erlang:process_info(P, current_function) =:= {current_function, {it_shapes, loop, 2}}])).')
HIB=$(pid_of 'pid_to_list(proc_lib:spawn(it_shapes, hib_init, [1])).')
erlc -o "$IT_TMP/beams" "$IT_DIR/it_load.erl" || exit 1
GS=$(pid_of '{ok, P} = gen_server:start(it_load, planted, [{hibernate_after, 0}]), pid_to_list(P).')
INCB=$(pid_of '{ok, P} = gen_server:start(it_shapes, plain, []), gen_server:cast(P, wait_in_callback), pid_to_list(P).')
PLAIN=$(pid_of 'pid_to_list(proc_lib:spawn(fun() -> erlang:hibernate(erlang, apply, [fun() -> receive Any -> receive never -> Any end end end, []]) end)).')
# hibernating PID: it hibernates within 5 s: its current function is
# erlang:hibernate/3, or (erlang:hibernate/0 of OTP 28, which keeps the
# stack, as the newest gen_server uses it) the function that hibernated.
hibernating() {
	local i
	for i in $(seq 50); do
		node_eval shapes "erlang:process_info(list_to_pid(\"<$1>\"), current_function)." |
			grep -q 'hibernate' && return 0
		sleep 0.1
	done
	echo "       <$1> never hibernated"
	return 1
}
check "the loop of its own hibernates" hibernating "$HIB"
check "the gen_server hibernates" hibernating "$GS"
check "the plain loop hibernates" hibernating "$PLAIN"
# Looked at once before counting: our node name is one atom, once a host;
# and sys loaded, the node's own code (beamtop-safety(7)).
"$BEAMTOP" -b -n 1 "$NODE" >/dev/null 2>&1
node_eval shapes 'code:ensure_loaded(sys).' >/dev/null
mailbox "$AWAKE" >/dev/null
a0=$(atoms)

# state PID: the drill-down of PID, and s; the screen's text once the state
# section has answered, in $IT_TMP/state.
state() {
	screen_start 150x40 "$BEAMTOP" -d 1 --pid "$1" "$NODE"
	wait_for_row 5 "<$1>" 15 >/dev/null
	keys s
	wait_for "$2" 8
	local rc=$?
	screen_text >"$IT_TMP/state"
	keys q
	wait_for "EXIT=" 5 >/dev/null
	return $rc
}

echo "read where a sys-aware loop answers"
check "an awake loop of its own: its state" state "$AWAKE" "qstate"
check "  ... the queue's" contains "$(cat "$IT_TMP/state")" "rw_backlog"
check "the same loop hibernating (as an idle gen_server2): its state" \
	state "$HIB" "rw_idle1"
check "a gen_server hibernating: its state" state "$GS" "planted_state"

echo "refused, and nothing sent, where nothing would answer"
check "a server waiting in its callback is not asked" state "$INCB" "not asked: the process"
check "  ... and the screen says why" contains "$(tr -d '\n' <"$IT_TMP/state")" \
	"inside the loop of gen_server"
check "a hibernating plain loop is not asked" state "$PLAIN" "not asked: the process"
check "  ... and the screen says why" contains "$(tr -d '\n' <"$IT_TMP/state")" \
	"hibernates"
check "no atom made on the node" eq "$(atoms)" "$a0"
for p in "$AWAKE" "$HIB" "$GS" "$INCB" "$PLAIN"; do
	check "<$p>: nothing left in its mailbox" eq "$(mailbox "$p")" 0
done
check "the plain loop still hibernates (nothing woke it)" hibernating "$PLAIN"

it_done
