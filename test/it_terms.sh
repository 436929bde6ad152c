#!/usr/bin/env bash
# it_terms.sh - terms in the drill-down as the node's own shell prints
# them, against it_shapes.erl's planted shapes.  On an Erlang node: a
# state, a message, an ETS object, a dictionary value, the GC info and a
# socket's counters shown whole and equal to what the node's ~p prints
# (nothing lost at a line break or at the screen's edge), wrapped on a
# narrow screen and scrolled with the keys, the node's cuts said;
# references and funs as erl prints them; Elixir aliases named as Elixir
# writes them, --pid by the alias and by the atom, and no atom made.  On
# an Elixir node (the elixir command, its runtime started): the same
# terms as IEx prints them.
. "$(dirname "$0")/lib.sh"

start_epmd
start_shapes shapes
NODE=shapes@$HOST
export LC_ALL=C.UTF-8
W="whereis('Elixir.MyApp.Worker')"
# The state's first characters as the node prints it: which key comes
# first is the node's map order (sorted before OTP 26, not after).
FIRST=$(node_eval shapes "lists:sublist(lists:flatten(io_lib:format(\"~p\", [sys:get_state($W)])), 14)." | sed 's/^"//; s/"$//')
atoms() { node_eval shapes 'erlang:system_info(atom_count).'; }
pid_on() { node_eval "$1" "pid_to_list($2)." | tr -d '"'; }

# squeeze: the text without its whitespace (the layout), to compare.
squeeze() { tr -d ' \n\t'; }
# printed NODE 'Expr': Expr's value as the node's shell prints it (~p,
# or IEx's inspect with ex), written by the node, squeezed.
printed() {
	local f=$IT_TMP/printed
	if [ "${3:-}" = ex ]; then
		node_eval "$1" "file:write_file(\"$f\", 'Elixir.Kernel':inspect($2, [{pretty, true}, {limit, infinity}, {printable_limit, infinity}]))." >/dev/null
	else
		node_eval "$1" "file:write_file(\"$f\", io_lib:format(\"~p\", [$2]))." >/dev/null
	fi
	squeeze <"$f"
}
# whole TEXT: the screen, squeezed, holds TEXT squeezed: the whole term
# is on it, in order, whatever the lines it was laid out in.
whole() {
	local want
	want=$(printf '%s' "$1" | squeeze)
	[ -n "$want" ] || { echo "       nothing to look for"; return 1; }
	case "$(screen_text | squeeze)" in
	*"$want"*) return 0 ;;
	esac
	echo "       not on the screen, whole: $want"
	screen_text | sed 's/^/       | /'
	return 1
}
quit() { keys q; wait_for "EXIT=" 10 >/dev/null; }
# message_shown NODE N [ex]: it_tables's last message (planted by the
# caller, its Nth) in the drill-down, whole, as the node's shell prints
# it (IEx's inspect with ex).
message_shown() {
	screen_start 120x60 "$BEAMTOP" -d 1 --pid it_tables "$1@$HOST"
	check "on it_tables" wait_for "registered name      it_tables" 15
	keys m
	check "m: the message" wait_for "planted_message" 5
	check "  ... whole, as the node's shell prints it" \
		whole "$2  $(printed "$1" "lists:last(element(2, erlang:process_info(whereis(it_tables), messages)))" "${3:-}")"
}

WORKER=$(pid_on shapes "$W")

echo "an Erlang node: a state, whole, as erl prints it"
screen_start 120x100 "$BEAMTOP" -d 1 --pid Elixir.MyApp.Worker "$NODE"
check "--pid Elixir.MyApp.Worker (the atom) finds the worker" \
	wait_for "registered name      MyApp.Worker" 15
check "  ... the process registered as 'Elixir.MyApp.Worker'" contains "$(row 4)" "$WORKER"
keys s
check "s: the state, to its last field" wait_for "tags => [a,b]}" 5
check "  ... every character of it as the node's ~p prints it" \
	whole "$(printed shapes "sys:get_state($W)")"
check "  ... quoted atoms quoted" contains "$(screen_text)" "cast => '\$gen_cast'"
check "  ... and '%2F_rw_qq1'" contains "$(screen_text)" "queue => '%2F_rw_qq1'"
check "  ... a reserved word quoted" contains "$(screen_text)" "'cond' => 16"
check "  ... the float 1.0" contains "$(screen_text)" "ratio => 1.0"
check "  ... binaries and maps in Erlang's syntax" contains "$(screen_text)" \
	"meta => #{},name => <<\"s929\">>"
check "  ... the reference as erl prints it" contains "$(screen_text)" \
	"ref => $(node_eval shapes "erlang:ref_to_list(maps:get(ref, sys:get_state($W)))." | tr -d '"')"
check "  ... the export fun" contains "$(screen_text)" "ext => fun lists:seq/2"
check "  ... the closure" contains "$(screen_text)" \
	"f => $(node_eval shapes "erlang:fun_to_list(maps:get(f, sys:get_state($W)))." | tr -d '"')"
check "  ... a struct's map nested whole" contains "$(screen_text | tr -d ' \n')" \
	"calendar=>'Elixir.Calendar.ISO'"
quit

echo "scrolled with the keys"
screen_start 100x30 "$BEAMTOP" -d 1 --pid "'Elixir.MyApp.Worker'" "$NODE"
check "--pid 'Elixir.MyApp.Worker' (quoted, as erl writes it) finds it" \
	wait_for "registered name      MyApp.Worker" 15
keys s
check "s: the state's first line" wait_for "$FIRST" 5
check "  ... its end below the screen" eval '! screen_text | grep -qF "tags => [a,b]}"'
keys End
check "End: its last line" wait_for "tags => [a,b]}" 3
check "  ... the first one gone up" eval '! screen_text | grep -qF "$FIRST"'
keys Home
check "Home: the first again" wait_for "$FIRST" 3
keys PageDown PageDown
check "PageDown: a page of lines at a time" wait_for "{entry,30," 3
check "  ... the first page gone up" eval '! screen_text | grep -qF "{entry,10,"'
quit

echo "on a narrow screen"
LONG=$(printf 'a_long_atom_%.0s' $(seq 8))
node_eval shapes "erlang:process_info(whereis(it_tables), garbage_collection), it_tables ! {'$LONG', binary:copy(<<\"y\">>, 64)}, ok." >/dev/null
screen_start 60x60 "$BEAMTOP" -d 1 --pid it_tables "$NODE"
check "on it_tables" wait_for "it_tables" 15
check "the GC info, whole, as ~p prints it" \
	whole "garbage collection $(printed shapes "element(2, erlang:process_info(whereis(it_tables), garbage_collection))")"
keys m
check "m: a message with an atom wider than the screen" wait_for "a_long_atom_" 5
check "  ... wrapped at the screen's edge, whole" \
	whole "1  $(printed shapes "hd(element(2, erlang:process_info(whereis(it_tables), messages)))")"
quit
screen_start 60x60 "$BEAMTOP" -d 1 --pid MyApp.Worker "$NODE"
check "--pid MyApp.Worker (the alias as Elixir writes it) finds it" \
	wait_for "MyApp.Worker" 15
check "  ... the same process" wait_for "$WORKER" 5
keys s
check "s: the state" wait_for "$FIRST" 5
keys End
check "End: the state's end, laid out in the screen's width" \
	whole "ref => $(printed shapes "maps:get(ref, sys:get_state($W))"),tags => [a,b]}"
quit

echo "a message, an ETS object, a dictionary value"
node_eval shapes "it_tables ! {planted_message, make_ref(), fun lists:seq/2, self(), lists:seq(1, 60), <<\"text\">>, 1.0, '\$gen_cast'}, ok." >/dev/null
message_shown shapes 2
quit
node_eval shapes "ets:delete_all_objects('Elixir.MyApp.Sessions'), ets:insert('Elixir.MyApp.Sessions', {planted_object, make_ref(), fun lists:seq/2, lists:seq(1, 50)})." >/dev/null
screen_start 120x60 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the ETS pane names the table as Elixir does" wait_for "MyApp.Sessions" 15
check "  ... not by its atom" eval '! screen_text | grep -qF "Elixir.MyApp.Sessions"'
keys / S e s s i o n s Enter Enter
check "Enter: the table, named as Elixir does" wait_for "ETS table MyApp.Sessions" 5
check "  ... in its info too" wait_for "name                   MyApp.Sessions" 5
keys o
check "o: the object" wait_for "planted_object" 5
check "  ... whole, as ~p prints it" \
	whole "$(printed shapes "hd(ets:tab2list('Elixir.MyApp.Sessions'))")"
quit
Q7="hd([P || P <- erlang:processes(), {dictionary, D} <- [erlang:process_info(P, dictionary)], lists:member({process_name, {rabbit_amqqueue_process, {resource, <<\"/\">>, queue, <<\"rw_backlog7\">>}}}, D)])"
node_eval shapes "sys:replace_state($Q7, fun(_) -> put(planted_key, {make_ref(), fun lists:seq/2, lists:seq(1, 40)}), {qstate, binary:copy(<<\"x\">>, 1000), lists:seq(1, 5000)} end), ok." >/dev/null
Q7PID=$(pid_on shapes "$Q7")
screen_start 120x60 "$BEAMTOP" -d 1 --pid "${Q7PID:1:-1}" "$NODE"
check "on the queue process" wait_for "initial call" 15
keys d
check "d: the planted key" wait_for "planted_key =>" 5
check "  ... its value whole, as ~p prints it" \
	whole "planted_key => $(printed shapes "proplists:get_value(planted_key, element(2, erlang:process_info($Q7, dictionary)))")"
keys s
check "s: a state over the size cap says where the node cut the binary" \
	wait_for "…(1000 bytes)" 5
keys End
check "  ... and the list" wait_for "more)" 5
check "  ... how much of the list is left out" \
	eval 'screen_text | squeeze | grep -qE "[0-9]+,…\(\+[0-9]+more\)\]\}"'
quit

echo "a socket's counters"
screen_start 120x60 "$BEAMTOP" -d 1 --pid it_tcp "$NODE"
check "on it_tcp" wait_for "registered name      it_tcp" 15
keys l
check "l: its socket" wait_for "#Port<" 5
keys Down Enter n
check "n: inet's counters" wait_for "getstat" 5
check "  ... all of them, to the last" wait_for "send_pend" 5
quit

echo "no atom made"
a0=$(atoms)
screen_start 120x60 "$BEAMTOP" -d 1 --pid MyApp.Nope "$NODE"
check "--pid MyApp.Nope, a name registered to none, is refused" wait_for "EXIT=2" 15
screen_start 120x60 "$BEAMTOP" -d 1 --pid MyApp.Worker "$NODE"
check "--pid MyApp.Worker" wait_for "registered name      MyApp.Worker" 15
keys s
check "s: its state" wait_for "$FIRST" 5
keys d m
check "d, m: its dictionary and messages" wait_for "messages in the queue" 5
quit
check "no atom was made on the node (names looked up, terms read)" eq "$(atoms)" "$a0"
check "batch JSON names the table as Elixir does" eq "$("$BEAMTOP" -b -n 1 --json "$NODE" | jq -r '[.ets[] | select(.name == "MyApp.Sessions")] | length')" 1

echo "an Elixir node: the same terms as IEx prints them"
# (make check-otp runs the nodes of another OTP in a chroot, where
# Debian's Elixir, built for the host's OTP, is not.)
if [ -n "${IT_BUILD_OTP:-}" ]; then
	echo "  skipped: Elixir's node runs on the host's OTP only"
	it_done
	exit
fi
start_shapes ex elixir
EX=ex@$HOST
EXW=$(pid_on ex "$W")
screen_start 120x100 "$BEAMTOP" -d 1 --pid MyApp.Worker "$EX"
check "--pid MyApp.Worker finds the worker" wait_for "registered name      MyApp.Worker" 15
check "  ... the process registered as 'Elixir.MyApp.Worker'" contains "$(row 4)" "$EXW"
keys s
check "s: a struct as IEx prints it" wait_for "%MyApp.State{" 5
check "  ... maps" contains "$(screen_text)" "meta: %{},"
check "  ... strings" contains "$(screen_text)" 'name: "s929",'
check "  ... atoms" contains "$(screen_text)" "tags: [:a, :b]"
check "  ... the float 1.0" contains "$(screen_text)" "ratio: 1.0,"
check "  ... quoted atoms" contains "$(screen_text)" 'cast: :"$gen_cast",'
check "  ... and :\"%2F_rw_qq1\"" contains "$(screen_text)" 'queue: :"%2F_rw_qq1",'
check "  ... a nested struct" contains "$(screen_text)" "last: %DateTime{"
check "  ... an alias" contains "$(screen_text)" "calendar: Calendar.ISO,"
check "  ... the export fun" contains "$(screen_text)" "ext: &:lists.seq/2,"
check "  ... the closure" contains "$(screen_text)" "f: #Function<"
check "  ... the reference" contains "$(screen_text)" \
	"ref: #Reference<$(node_eval ex "erlang:ref_to_list(maps:get(ref, sys:get_state($W)))." | tr -d '"' | sed 's/^#Ref<//')"
check "  ... tuples and lists" contains "$(screen_text)" \
	'{:entry, 60, ["abcdefghij", "abcdefghij", "abcdefghij"]}'
check "  ... one field a line, the closing brace alone" eq "$(screen_text | grep -c '^}')" 1
quit
screen_start 120x60 "$BEAMTOP" -d 1 --pid Elixir.MyApp.Worker "$EX"
check "--pid Elixir.MyApp.Worker finds it too" wait_for "registered name      MyApp.Worker" 15
check "  ... the same process" contains "$(row 4)" "$EXW"
check "info: a status reads as a word" contains "$(screen_text)" "status               waiting"
check "  ... the group leader as IEx prints a pid" contains "$(screen_text)" \
	"group leader         #PID<0."
quit
node_eval ex "it_tables ! {planted_message, self(), make_ref(), fun lists:seq/2, lists:seq(1, 60), <<\"text\">>, 1.0, '\$gen_cast', '%2F_rw_qq1', #{a => 1, <<\"k\">> => [a, b]}, [{key, 'Elixir.MyApp.Worker'}], \"charlist\"}, ok." >/dev/null
message_shown ex 1 ex
check "  ... a pid as IEx prints it" contains "$(screen_text)" "{:planted_message, #PID<0."
quit
screen_start 120x60 "$BEAMTOP" -d 1 --pane ets "$EX"
check "the ETS pane names the table as Elixir does" wait_for "MyApp.Sessions" 15
check "  ... not by its atom" eval '! screen_text | grep -qF "Elixir.MyApp.Sessions"'
quit

it_done
