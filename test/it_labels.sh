#!/usr/bin/env bash
# it_labels.sh - process labels (OTP 27+, proc_lib:set_label/1) name a
# process in every collector and in the drill-down, as observer_backend
# names it; on an older node, asking makes no atom.  make check runs the
# nodes of the build's OTP; make check-otp those of OTP 27 and newer.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST
OTP=$(node_eval target 'erlang:system_info(otp_release).' | tr -d '"')
# Not an atom on a node without labels: beamtop must not make it.
has_label_atom() {
	node_eval target 'try list_to_existing_atom("$process_label") of _ -> yes catch _:_ -> no end.'
}

if [ "$OTP" -lt 27 ]; then
	echo "OTP $OTP has no process labels"
	check "the node lacks the label atom" eq "$(has_label_atom)" no
	for c in "" "--collector plain" "--agent"; do
		"$BEAMTOP" -b -n 2 -d 0.5 $c "$NODE" >/dev/null 2>&1
		check "after beamtop ${c:-(default)}: still no label atom" eq "$(has_label_atom)" no
	done
	it_done
	exit
fi

# A labelled process with a heap big enough to be on the first lines.
PID=$(node_eval target 'P = spawn(fun() -> proc_lib:set_label(<<"it labelled worker">>), L = lists:seq(1, 400000), receive stop -> length(L) end end), pid_to_list(P).' | tr -d '"')
named() {
	"$BEAMTOP" -b -n 1 --json --lines 10 "$@" "$NODE" 2>"$IT_TMP/err" |
		jq -r --arg p "$PID" '.processes.top[] | select(.pid == $p) | .name'
}
echo "OTP $OTP: the label names the process"
check "default collector" eq "$(named)" "it labelled worker"
check "--collector plain" eq "$(named --collector plain)" "it labelled worker"
check "--agent" eq "$(named --agent)" "it labelled worker"

echo "the drill-down shows it"
# (by a name: the list above has checked the unregistered process)
node_eval target "register(it_labelled, list_to_pid(\"$PID\"))." >/dev/null
screen_start 130x40 "$BEAMTOP" -d 1 --pid it_labelled "$NODE"
check "a label line" wait_for "label                it labelled worker" 15
keys q
check "q exits 0" wait_for "EXIT=0" 5
it_done
