#!/usr/bin/env bash
# it_names.sh - every process by its real name: proc_lib's real initial
# call (not proc_lib:init_p/5) and the labels applications keep in the
# dictionary (RabbitMQ's process_name), with every collector and sort, in
# batch and on the screen (the filter finds labels; G groups by the real
# initial call); asking makes no atom.
. "$(dirname "$0")/lib.sh"

start_epmd
start_shapes shapes
NODE=shapes@$HOST

# rows COLLECTOR-AND-SORT...: the processes as batch JSON lists them.
rows() {
	"$BEAMTOP" -b -n 2 -d 0.5 --json --lines 500 "$@" "$NODE" 2>"$IT_TMP/err" |
		tail -1 | jq -c '.processes.top[]'
}

for c in "" "--collector plain" "--agent" "--sort heap" "--collector plain --sort binary"; do
	echo "${c:-default}: names of proc_lib processes"
	rows $c >"$IT_TMP/rows"
	q7=$(jq -r 'select(.label == "rabbit_amqqueue_process /rw_backlog7") |
		[.name, .initial_call, .registered] | @tsv' "$IT_TMP/rows")
	check "a RabbitMQ queue's label names it" eq "$q7" \
		"$(printf 'rabbit_amqqueue_process /rw_backlog7\tit_shapes:loop_init/2\tfalse')"
	# (On OTP 27 and later the first queue also has a proc_lib label,
	# which names it first: "queue rw_backlog1".)
	check "30 queue processes labelled" eq \
		"$(jq -r 'select(.label // "" | test("rw_backlog[0-9]+$")) | .pid' "$IT_TMP/rows" | wc -l)" 30
	check "5 gen_servers by their real initial call" eq \
		"$(jq -r 'select(.name == "it_shapes:init/1") | .pid' "$IT_TMP/rows" | wc -l)" 5
	check "none left as proc_lib:init_p/5" eq \
		"$(jq -r 'select(.name == "proc_lib:init_p/5") | .pid' "$IT_TMP/rows" | wc -l)" 0
	check "registered names stay" eq \
		"$(jq -r 'select(.name == "MyApp.Worker") | .registered' "$IT_TMP/rows")" true
done

no_text() { ! screen_text | grep -qF -- "$1"; }

echo "the screen: the filter matches labels, G groups by the real initial call"
screen_start 150x50 "$BEAMTOP" -d 1 --collector plain --pane processes "$NODE"
check "the list is up" wait_for "processes" 15
keys / ; keys -l "rw_backlog" ; keys Enter
check "the filter finds the 30 labelled queues" wait_for "30 of " 15
check "a labelled row" wait_for "rabbit_amqqueue_process /rw_backlog" 5
keys Escape ; keys G
check "one group of 30 by the real initial call" wait_for " 30 it_shapes:loop_init/2" 15
check "the gen_servers' group" wait_for "  5 it_shapes:init/1" 5
check "no proc_lib:init_p/5 group" no_text "proc_lib:init_p/5"
keys q
check "q exits 0" wait_for "EXIT=0" 5

echo "no atom made: a node without process_name as an atom keeps it so"
start_node target
has_atom() {
	node_eval target 'try list_to_existing_atom("process_name") of _ -> yes catch _:_ -> no end.'
}
check "the target lacks the atom" eq "$(has_atom)" no
"$BEAMTOP" -b -n 3 -d 0.5 --collector plain "$NODE" >/dev/null 2>&1
"$BEAMTOP" -b -n 3 -d 0.5 --collector plain target@$HOST >/dev/null 2>&1
check "after beamtop: still no atom" eq "$(has_atom)" no
it_done
