#!/usr/bin/env bash
# it_safety.sh - beamtop must never harm the node it looks at: no atoms
# made on the node (attach, refresh, every drill-down section, a name
# looked up), a node 60 atoms from its limit survives, copies bounded
# before they are made (a 200 MB dictionary, 1M refc binaries, 1000
# messages of 320 KB, ETS objects of 1M elements, a 200 MB state), no
# system message to a process that is not waiting in a sys loop, node-side
# work ended at its deadline or when we leave, and nothing left behind by
# a beamtop killed with SIGKILL.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target drill
NODE=target@$HOST
export LC_ALL=C.UTF-8
atoms() { node_eval target 'erlang:system_info(atom_count).'; }
# quit: q, and wait for beamtop to have gone: one that is still leaving
# holds its node name, and the next would take beamtop_2 (a new atom,
# once: see selfname.h).
quit() { keys q; wait_for "EXIT=" 10 >/dev/null; }
# Memory and CPU are measured on a node with no load of its own.
erl -sname quiet -setcookie "$COOKIE" -noshell -noinput -pa "$IT_TMP/beams" \
	>"$IT_TMP/quiet.log" 2>&1 &
QUIET_PID=$!
remember $QUIET_PID
QUIET=quiet@$HOST
for i in $(seq 100); do
	node_eval quiet 'ok.' 2>/dev/null | grep -q ok && break
	sleep 0.1
done
mem() { node_eval quiet 'erlang:memory(total).'; }

# plant NAME 'FUN': spawns FUN on the quiet node, which registers itself
# as NAME when it has built what it holds; waits for that, then for the
# node's memory to settle: asked what beamtop asks first, then read until
# two readings agree within 1 MB (on OTP 27 and 29 the memory of the
# mailbox case was seen to move by ~40 MB after a fixed 1 s, with no
# beamtop attached).
plant() {
	local i a b
	node_eval quiet "spawn($2), ok." >/dev/null
	for i in $(seq 300); do
		node_eval quiet "whereis($1)." | grep -q '<' && break
		sleep 0.1
	done
	node_eval quiet "erlang:process_info(whereis($1), [message_queue_len, memory]), ok." >/dev/null
	b=$(mem)
	for i in $(seq 30); do
		sleep 0.3
		a=$b
		b=$(mem)
		[ $(( a > b ? a - b : b - a )) -lt 1000000 ] && return 0
	done
}

# peak_mem SECONDS: the node's highest erlang:memory(total) over that time.
peak_mem() {
	local end=$((SECONDS + $1)) peak=0 m
	while [ $SECONDS -lt "$end" ]; do
		m=$(mem)
		[ "$m" -gt "$peak" ] 2>/dev/null && peak=$m
		sleep 0.3
	done
	echo "$peak"
}

# below A B: A < B (numbers), saying both when not.
below() {
	[ "$1" -lt "$2" ] && return 0
	echo "       $1 is not below $2"
	return 1
}

echo "atoms: none made by attaching, refreshing, drilling, looking a name up"
# The first attach from this host ever makes one atom: our node name,
# which later attaches reuse.
"$BEAMTOP" -b -n 1 "$NODE" >/dev/null 2>&1
a0=$(atoms)
"$BEAMTOP" -b -n 3 -d 0.5 "$NODE" >/dev/null 2>&1
"$BEAMTOP" -b -n 2 -d 0.5 --collector plain --sort heap "$NODE" >/dev/null 2>&1
check "batch attach and refreshes make no atom" eq "$(atoms)" "$a0"
# The state needs sys, which a node loads the first time anything asks a
# process its state; that is the node's own code, not beamtop's atoms.
node_eval target 'sys:get_state(it_gs), ok.' >/dev/null
a0=$(atoms)
screen_start 130x40 "$BEAMTOP" -d 0.5 --pid it_gs "$NODE"
wait_for "registered name      it_gs" 15 >/dev/null
for k in t l d a b m s; do
	keys "$k"
	sleep 0.6
done
wait_for "planted_state" 5 >/dev/null
quit
screen_start 130x40 "$BEAMTOP" -d 0.5 "$NODE"
wait_for "Memory" 15 >/dev/null
keys 4 / i t _ b i g _ t a b l e Enter
sleep 1
keys Enter
wait_for "ETS table it_big_table" 10 >/dev/null
keys o
sleep 1
keys Escape 5 / t c p Enter
sleep 1
keys Enter
sleep 1
keys n
sleep 1
quit
check "every section of a drill-down makes no atom" eq "$(atoms)" "$a0"
screen_start 130x40 "$BEAMTOP" -d 0.5 --pid MyApp.NoSuchName "$NODE"
check "--pid with a name nobody registered says so" wait_for \
	"no process is registered as MyApp.NoSuchName on $NODE" 15
check "  ... and exits 2, having opened nothing" wait_for "EXIT=2" 5
screen_start 130x40 "$BEAMTOP" -d 0.5 --pid no_such_name_either "$NODE"
wait_for "EXIT=2" 15 >/dev/null
check "and looking names up makes no atom" eq "$(atoms)" "$a0"
# (after the atom count: this check's own expression makes atoms)
check "  ... and nothing was sent to any process" eq \
	"$(node_eval target 'lists:sum([element(2, erlang:process_info(P, message_queue_len)) || P <- [whereis(init), whereis(it_gs)]]).')" 0

echo "a node 60 atoms from its limit"
# (+t 20000: OTP 29 makes 10,341 atoms to boot, more than +t 10000 allows)
erl -sname tight -setcookie "$COOKIE" -noshell -noinput +t 20000 -eval '
	Left = fun() -> erlang:system_info(atom_limit) - erlang:system_info(atom_count) end,
	_ = [list_to_atom("filler_" ++ integer_to_list(I)) || I <- lists:seq(1, Left() - 60)],
	register(tight_ready, self()),
	receive stop -> ok end.' >"$IT_TMP/tight.log" 2>&1 &
TIGHT=$!
remember $TIGHT
for i in $(seq 100); do
	node_eval tight 'whereis(tight_ready).' 2>/dev/null | grep -q '<' && break
	sleep 0.2
done
t0=$(node_eval tight 'erlang:system_info(atom_count).')
"$BEAMTOP" -b -n 2 -d 0.5 --json "tight@$HOST" >"$IT_TMP/tight.json" 2>"$IT_TMP/tight.err"
check "beamtop reads it" eq "$(tail -1 "$IT_TMP/tight.json" | jq '.processes.listed > 10')" true
check "  ... memory included" eq "$(tail -1 "$IT_TMP/tight.json" | jq '.memory.total > 0')" true
"$BEAMTOP" -b -n 2 -d 0.5 --collector plain "tight@$HOST" >/dev/null 2>&1
screen_start 130x40 "$BEAMTOP" -d 0.5 --pid tight_ready "tight@$HOST"
wait_for "registered name      tight_ready" 15 >/dev/null
for k in t l d a b m s; do
	keys "$k"
	sleep 0.5
done
keys q
sleep 0.5
check "the node is alive" kill -0 $TIGHT
t1=$(node_eval tight 'erlang:system_info(atom_count).')
check "and has at most one atom more (our name, made once)" below "$t1" $((t0 + 2))

echo "copies are bounded before they are made"
# bounded NAME KEY SECONDS WHAT [TEXT]: with NAME's drill-down open on the
# quiet node, KEY pressed: the node's memory stays within 40 MB of where
# it was for SECONDS, and the screen says TEXT.
bounded() {
	local base peak
	base=$(mem)
	screen_start 130x40 "$BEAMTOP" -d 0.5 --pid "$1" "$QUIET"
	wait_for "registered name      $1" 15 >/dev/null
	[ -n "$2" ] && keys "$2"
	peak=$(peak_mem "$3")
	check "$4: the node's memory stays within 40 MB" below "$peak" $((base + 40000000))
	[ -n "${5:-}" ] && check "  ... and the screen says why: $5" wait_for "$5" 5
	keys q
	node_eval quiet "exit(whereis($1), kill)." >/dev/null
}
plant it_big_dict 'fun() -> [put(I, lists:seq(1, 1000)) || I <- lists:seq(1, 12500)], register(it_big_dict, self()), receive stop -> ok end end'
bounded it_big_dict d 4 "a 200 MB dictionary" "not read: the process uses"

node_eval quiet '{ok, P} = gen_server:start({local, it_big_state}, it_load, planted, []), sys:replace_state(P, fun(_) -> [lists:seq(1, 1000) || _ <- lists:seq(1, 12500)] end), ok.' >/dev/null
sleep 1
bounded it_big_state s 3 "a 200 MB state" "over the 8.00 MiB"

# Sent by another process, so that each message is a copy of its own (a
# process's memory then counts its queue).
plant it_big_msgs 'fun() -> Me = self(), spawn(fun() -> L = lists:seq(1, 20000), [Me ! {msg, I, L} || I <- lists:seq(1, 1000)], Me ! sent end), receive sent -> ok end, register(it_big_msgs, self()), receive never -> ok end end'
bounded it_big_msgs m 5 "1000 messages of 320 KB" "too big to copy"

plant it_big_objects_owner 'fun() -> T = ets:new(it_big_objects, [named_table, public]), L = lists:seq(1, 1000000), [ets:insert(T, {I, L}) || I <- lists:seq(1, 20)], register(it_big_objects_owner, self()), receive stop -> ok end end'
base=$(mem)
screen_start 130x40 "$BEAMTOP" -d 0.5 "$QUIET"
wait_for "Memory" 15 >/dev/null
keys 4
wait_for "it_big_objects" 10 >/dev/null
keys / i t _ b i g Enter
sleep 1
keys Enter
wait_for "ETS table it_big_objects" 10 >/dev/null
keys o
peak=$(peak_mem 3)
check "ETS objects of 1M elements: the node's memory stays within 40 MB" below "$peak" $((base + 40000000))
check "  ... and none is copied" wait_for "not read: 20 objects" 5
keys q
node_eval quiet 'exit(whereis(it_big_objects_owner), kill).' >/dev/null

plant it_many_bins 'fun() -> B = [binary:copy(<<I:64, 0:512>>) || I <- lists:seq(1, 1000000)], register(it_many_bins, self()), receive stop -> B end end'
bounded it_many_bins "" 4 "1M refc binaries: refreshing the drill-down copies none"

echo "system messages only to processes that will serve them"
node_eval target 'register(it_slow, spawn(fun() -> receive {_, From, _} -> receive never -> From end end end)), register(it_client, spawn(fun() -> R = (catch gen_server:call(it_slow, hello, infinity)), receive Any -> exit({got, Any, R}) end end)), ok.' >/dev/null
node_eval target 'register(it_catchall, spawn(fun() -> receive Any -> register(it_caught, spawn(fun() -> receive never -> Any end end)) end end)), ok.' >/dev/null
for p in it_client it_catchall; do
	screen_start 130x40 "$BEAMTOP" -d 0.5 --pid $p "$NODE"
	wait_for "registered name      $p" 15 >/dev/null
	keys s
	check "$p: the state is not asked" wait_for "not asked" 5
	keys q
	check "  ... and it received nothing" eq \
		"$(node_eval target "element(2, erlang:process_info(whereis($p), message_queue_len))." )" 0
done
check "the catch-all receive took nothing" eq "$(node_eval target 'whereis(it_caught).')" undefined

echo "work on the node ends at its deadline, and when beamtop leaves"
erlc -o "$IT_TMP" "$IT_DIR/it_wrapper.erl" >/dev/null
slow_term=$IT_TMP/slow.term
escript "$IT_DIR/../src/queries/qc.escript" --term "$IT_DIR/it_slow.expr" "$slow_term"
node_cpu() { awk -v t="$((1000 / $(getconf CLK_TCK)))" '{ print ($14 + $15) * t }' "/proc/$1/stat"; }
NPID=$QUIET_PID
procs0=$(node_procs quiet)
# A client node sends the wrapped query through rex as beamtop does, with
# a 400 ms deadline; the query spins until it is killed.
erl -sname wrapper_client -setcookie "$COOKIE" -hidden -noshell -pa "$IT_TMP" \
	-s it_wrapper run "$QUIET" "$slow_term" 400 reply >"$IT_TMP/wrap1.out" 2>&1
check "a query past its deadline answers {Mark, 6, Deadline}: timed out" contains "$(cat "$IT_TMP/wrap1.out")" ",6,400}"
c0=$(node_cpu "$NPID")
sleep 1
c1=$(node_cpu "$NPID")
check "  ... and the node's CPU is back to idle within a second" below $((c1 - c0)) 300
check "  ... with no process left" procs_back quiet "$procs0"
# The client leaves in the middle: the work must stop at once, and nothing
# may be sent to it afterwards (that would make the node connect back).
erl -sname wrapper_client2 -setcookie "$COOKIE" -hidden -noshell -pa "$IT_TMP" \
	-s it_wrapper run "$QUIET" "$slow_term" 60000 leave >"$IT_TMP/wrap2.out" 2>&1
sleep 1
c0=$(node_cpu "$NPID")
sleep 1
c1=$(node_cpu "$NPID")
check "a query whose caller left stops at once" below $((c1 - c0)) 300
check "  ... with no process left" procs_back quiet "$procs0"
echo "SIGKILL leaves nothing behind"
node_eval quiet '{ok, _} = gen_server:start({local, it_gs_q}, it_load, planted, []), ok.' >/dev/null
procs0=$(node_procs quiet)
before_reg=$(node_eval quiet 'length(registered()).')
before_ets=$(node_eval quiet 'length(ets:all()).')
before_os=$(pgrep -P "$NPID" | wc -l)
screen_start 130x40 "$BEAMTOP" -d 0.5 --pid it_gs_q "$QUIET"
wait_for "registered name      it_gs_q" 15 >/dev/null
keys m
sleep 1
BT=$(screen_pid)
kill -KILL "$BT"
sleep 3
check "the node's processes are as they were" procs_back quiet "$procs0"
check "  ... its registered names" eq "$(node_eval quiet 'length(registered()).')" "$before_reg"
check "  ... its ETS tables" eq "$(node_eval quiet 'length(ets:all()).')" "$before_ets"
check "  ... its OS processes (no resolver started to reach us)" eq \
	"$(pgrep -P "$NPID" | wc -l)" "$before_os"

echo "a plain call's answer when beamtop has gone"
# A plain call that ends after its caller left: relayed (as beamtop
# sends every plain call), its answer is dropped; sent to rex as it is
# (the control, last: it starts the resolver for good), the node tries
# to connect back and starts its resolver.
relay_term=$IT_TMP/relay.term
escript "$IT_DIR/../src/queries/qc.escript" --term "$IT_DIR/../src/queries/relay.expr" "$relay_term"
resolver() { node_eval quiet 'whereis(inet_gethost_native).'; }
resolver_started() {
	local i
	for i in $(seq 50); do
		[ "$(resolver)" != undefined ] && return 0
		sleep 0.2
	done
	return 1
}
procs0=$(node_procs quiet)
check "the node's resolver is not running" eq "$(resolver)" undefined
for how in relay plain; do
	term=$relay_term
	[ "$how" = plain ] && term=plain
	erl -sname "wrapper_$how" -setcookie "$COOKIE" -hidden -noshell -pa "$IT_TMP" \
		-s it_wrapper run "$QUIET" "$term" 1500 leave >"$IT_TMP/wrap3.out" 2>&1
	if [ "$how" = relay ]; then
		# (A connect back would hold a process until it failed, and
		# leave the resolver's for good.)
		check "a relayed call answered after its caller left" procs_back quiet "$procs0"
		check "  ... never made the node connect back" eq "$(resolver)" undefined
	else
		check "  ... the control (a plain call): the node connects back" \
			resolver_started
	fi
done

it_done
