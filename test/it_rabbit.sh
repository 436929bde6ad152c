#!/usr/bin/env bash
# it_rabbit.sh - a packaged application that nobody here wrote as the
# target: RabbitMQ from Debian (rabbitmq-server), started for this test
# alone, on loopback, in a temporary directory with its own cookie, node
# name, ports and the test's private epmd, holding queues and traffic made
# over a real AMQP connection (test/it_rabbit.erl).  Connect with the
# node's cookie file; every pane on the screen and in batch; --pid by pid
# and by name; s on its gen_server2 processes (file_handle_cache awake, a
# queue and a channel hibernating, as idle ones do) and on ra's
# gen_batch_server, nothing left in their mailboxes; bin_leak's figures
# against the node's own; batch JSON figures against the node's own, read
# at the same moment.  Stopped by its pid, with every OS process it
# started.
#
# Skipped only where rabbitmq-server is not installed and this is not CI
# (CI installs it with test/deps.sh); and under make check-otp, whose
# nodes are another OTP's (Debian 12's RabbitMQ runs on the host's).
. "$(dirname "$0")/lib.sh"

RMQ_SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
if [ ! -x "$RMQ_SERVER" ]; then
	if [ "${CI:-}" = true ]; then
		echo "it_rabbit.sh: FAIL: rabbitmq-server is not installed (test/deps.sh installs it)"
		exit 1
	fi
	echo "it_rabbit.sh: skipped: rabbitmq-server is not installed (sh test/deps.sh installs it)"
	exit 0
fi
if [ -n "${IT_BUILD_OTP:-}" ]; then
	echo "it_rabbit.sh: skipped: Debian 12's RabbitMQ runs on the host's OTP, not on these nodes (make check runs it)"
	exit 0
fi
export LC_ALL=C.UTF-8

# free_port FROM: the first port from FROM up on which nothing listens
# (below Linux's ephemeral range, where our nodes' own ports are).
free_port() {
	local p=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}
AMQP_PORT=$(free_port $((10000 + $$ % 10000 * 2)))
DIST_PORT=$(free_port $((AMQP_PORT + 1)))

RT=$IT_TMP/rabbit
RNODE=rabbit@$HOST
mkdir -p "$RT/home" "$RT/mnesia" "$RT/log" "$RT/ebin"
head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RT/home/.erlang.cookie"
chmod 400 "$RT/home/.erlang.cookie"
RCOOKIE=$(cat "$RT/home/.erlang.cookie")
# The way an operator points beamtop at a packaged node's cookie.
BT=("$BEAMTOP" --cookie-file "$RT/home/.erlang.cookie")
# reval 'Expr.': its value on the RabbitMQ node.
reval() { COOKIE=$RCOOKIE node_eval rabbit "$1"; }

RMQ_HOME=$(cd "$(dirname "$(readlink -f "$RMQ_SERVER")")/.." && pwd)
ERL_LIBS=$RMQ_HOME/plugins erlc -o "$RT/ebin" "$IT_DIR/it_rabbit.erl" "$IT_DIR/it_load.erl" ||
	exit 1
start_epmd
# Its own configuration files, none of which exists: nothing of the
# system's /etc/rabbitmq or /var/lib/rabbitmq is read or written.
t0=$(date +%s%N)
(cd "$RT" && exec env HOME="$RT/home" RABBITMQ_NODENAME="$RNODE" \
	RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" \
	RABBITMQ_DIST_PORT="$DIST_PORT" RABBITMQ_MNESIA_BASE="$RT/mnesia" \
	RABBITMQ_LOG_BASE="$RT/log" RABBITMQ_CONF_ENV_FILE="$RT/rabbitmq-env.conf" \
	RABBITMQ_CONFIG_FILE="$RT/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$RT/advanced.config" \
	RABBITMQ_ENABLED_PLUGINS_FILE="$RT/enabled_plugins" \
	RABBITMQ_PLUGINS_EXPAND_DIR="$RT/plugins" RABBITMQ_PID_FILE="$RT/rabbit.pid" \
	RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} -pa $RT/ebin" \
	"$RMQ_SERVER") >"$RT/out.log" 2>&1 &
RMQ_PID=$!
remember $RMQ_PID
up=""
for i in $(seq 450); do
	kill -0 "$RMQ_PID" 2>/dev/null || break
	[ "$(reval 'rabbit:is_running().' 2>/dev/null)" = true ] && up=yes && break
	sleep 0.2
done
if [ -z "$up" ]; then
	echo "RabbitMQ did not start within 90 s:"
	tail -20 "$RT/out.log" "$RT"/log/*.log
	exit 1
fi
BEAM_PID=$(reval 'os:getpid().' | tr -d '"')
remember "$BEAM_PID"
echo "RabbitMQ $(reval 'element(3, lists:keyfind(rabbit, 1, application:which_applications())).') up in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
check "its VM is the server script's child (stopped by its pid at the end)" \
	eq "$(ps -o ppid= -p "$BEAM_PID" | tr -d ' ')" "$RMQ_PID"
# listening PORT: the local addresses listening on PORT (hex, as the
# kernel lists them: 0100007F is 127.0.0.1).
listening() {
	awk -v p="$(printf '%04X' "$1")" '$4 == "0A" { split($2, a, ":"); if (a[2] == p) print a[1] }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u | tr '\n' ' '
}
check "its distribution listens on loopback only" eq "$(listening "$DIST_PORT")" "0100007F "
check "  ... and AMQP too" eq "$(listening "$AMQP_PORT")" "0100007F "
check "queues, traffic and a leaker planted" eq "$(reval "it_rabbit:start($AMQP_PORT).")" ok

# pid_of EXPR: a pid on the node, as --pid takes it (0.N.0).
pid_of() { reval "pid_to_list($1)." | tr -d '"<>'; }
# hibernating LIST: the first of the pids LIST gives on the node that
# hibernates, within 20 s (idle queues and channels do after a second or
# more), as --pid takes it.
hibernating() {
	local i p
	for i in $(seq 100); do
		p=$(reval "[pid_to_list(P) || P <- $1, erlang:process_info(P, current_function) =:= {current_function, {erlang, hibernate, 3}}]." |
			grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1)
		[ -n "$p" ] && echo "$p" && return 0
		sleep 0.2
	done
	return 1
}
QUEUE='[amqqueue:get_pid(element(2, rabbit_amqqueue:lookup(rabbit_misc:r(<<"/">>, queue, <<"it_idle">>))))]'
IDLE_Q=$(hibernating "$QUEUE")
IDLE_CH=$(hibernating 'rabbit_channel:list()')
check "an idle queue hibernates" test -n "$IDLE_Q"
check "an idle channel hibernates" test -n "$IDLE_CH"

echo "batch"
out=$("${BT[@]}" -b -n 2 -d 0.5 --lines 300 "$RNODE" 2>&1)
check "connects with the node's cookie file, two reports" eq "$(grep -c '^beamtop - ' <<<"$out")" 2
check "  ... naming the node" contains "$out" "beamtop - $RNODE - OTP"
for s in "Memory: total" "Processes: " "Schedulers: " "PROCESSES by memory" "ETS by memory" "PORTS by I/O"; do
	check "  ... $s" contains "$out" "$s"
done
check "  ... RabbitMQ's processes" contains "$out" "file_handle_cache"
check "  ... its tables (a Mnesia one)" contains "$out" "rabbit_queue "
check "  ... the AMQP connection's sockets" contains "$out" "tcp_inet"

echo "batch JSON against the node's own figures, read at the same moment"
"${BT[@]}" -b --json -n 1 "$RNODE" >"$IT_TMP/rabbit.json" 2>&1 &
jpid=$!
own=$(reval '{erlang:memory(total), erlang:memory(processes), erlang:memory(ets), erlang:memory(binary), erlang:system_info(process_count), length(ets:all()), erlang:system_info(port_count)}.' | tr -d '{} ')
check "  ... beamtop answered" ended "$jpid" 15
IFS=, read -r m_total m_procs m_ets m_bin n_procs n_ets n_ports <<<"$own"
j() { jq -r "$1" "$IT_TMP/rabbit.json"; }
# Tolerances: the node's figures move between the two reads (traffic,
# the calls themselves): memory within 5%, binaries (a few messages in
# flight) 10%, counts within 2%.
check "memory total within 5%" within "$(j .memory.total)" "$m_total" 5
check "memory of processes within 5%" within "$(j .memory.processes)" "$m_procs" 5
check "memory of ETS within 5%" within "$(j .memory.ets)" "$m_ets" 5
check "memory of binaries within 10%" within "$(j .memory.binary)" "$m_bin" 10
check "process count within 2%" within "$(j .system.process_count)" "$n_procs" 2
check "ETS table count within 2%" within "$(j .system.ets_count)" "$n_ets" 2
check "port count within 20% (a connection is a port: erl_call's too)" within "$(j .system.port_count)" "$n_ports" 20

echo "names, sockets and the run queue as RabbitMQ has them"
"${BT[@]}" -b --json -n 5 -d 0.5 --lines 1000 "$RNODE" >"$IT_TMP/rabbit5.json" 2>"$IT_TMP/err"
last() { tail -1 "$IT_TMP/rabbit5.json" | jq -r "$1"; }
check "a queue process named by its label (process_name), not rabbit_prequeue:init/1" eq \
	"$(last '[.processes.top[] | select(.label == "rabbit_amqqueue_process /it_idle")] | length')" 1
check "  ... its real initial call beside it" eq \
	"$(last '.processes.top[] | select(.label == "rabbit_amqqueue_process /it_idle") | .initial_call')" \
	"rabbit_prequeue:init/1"
# (Before OTP 26.2 a dictionary is read only whole, and only that of a
# process of at most 1 MB.)
check "no row of at most 1 MB left as proc_lib:init_p/5" eq \
	"$(last '[.processes.top[] | select(.name == "proc_lib:init_p/5" and .memory <= 1048576)] | length')" 0
check "the AMQP traffic comes in on a socket (getstat, not port_info's 0)" test \
	"$(last '[.ports[] | select(.name == "tcp_inet" and .connected_name == null) | .input_per_sec // 0] | add | floor')" -gt 0
check "the run queue is the broker's, not beamtop's calls (0 or 1 in 4 of 5)" test \
	"$(jq -r '.run_queue.total' "$IT_TMP/rabbit5.json" | awk '$1 <= 1' | wc -l)" -ge 4

echo "every pane on the screen"
screen_start 150x45 "${BT[@]}" -d 1 "$RNODE"
check "the processes pane comes up" wait_for "processes  sorted by memory" 20
check "the header names the node" contains "$(row 1)" "$RNODE"
keys 1
check "1: memory, binary among the kinds" wait_for "binary" 5
check "  ... and the limits" wait_for "LIMITS" 5
keys 3
check "3: the schedulers" wait_for "dirty_cpu" 5
keys 4 / r a b b i t _ q u e u e Enter
check "4: ETS, RabbitMQ's queue table found by the filter" wait_for "rabbit_queue" 5
keys Escape 5
check "5: ports, the AMQP connection's sockets" wait_for "tcp_inet" 5
keys 2 / f i l e _ h a n d l e _ c a c h e Enter
check "2: processes, file_handle_cache found by the filter" wait_for_row 7 "file_handle_cache" 5
keys Enter
check "Enter opens it" wait_for "registered name      file_handle_cache" 5
keys q
check "q: exit 0" wait_for "EXIT=0" 5

# state PID: --pid PID, then s (once PID hibernates, when $HIB is set: an
# idle queue or channel wakes now and then); waits for the drill-down to
# show $WANT, keeps the screen in $IT_TMP/state.
state() {
	local rc
	screen_start 150x45 "${BT[@]}" -d 1 --pid "$1" "$RNODE"
	wait_for_row 5 "memory" 20 >/dev/null
	[ -z "${HIB:-}" ] || hibernating "[list_to_pid(\"<$1>\")]" >/dev/null
	keys s
	wait_for "$WANT" 10
	rc=$?
	screen_text >"$IT_TMP/state"
	keys q
	wait_for "EXIT=" 5 >/dev/null
	return $rc
}
mailbox() {
	reval "element(2, erlang:process_info(list_to_pid(\"<$1>\"), message_queue_len))."
}

echo "--pid and s on RabbitMQ's gen_server2 processes and ra's gen_batch_server"
WANT="fhc_state" check "--pid by name: file_handle_cache, awake: s reads its state" \
	state file_handle_cache
check "  ... the drill-down names it" contains "$(sed -n 5p "$IT_TMP/state")" \
	"file_handle_cache"
# (What each state holds is looked for below the summary line, which
# names the process: its registered name, its label.)
HIB=1 WANT="amqqueue" check "--pid by pid: the idle queue, hibernating: s reads its state" \
	state "$IDLE_Q"
check "  ... the queue's own" contains "$(sed -n '8,$p' "$IT_TMP/state")" "it_idle"
check "  ... nothing left in its mailbox" eq "$(mailbox "$IDLE_Q")" 0
HIB=1 WANT=rabbit_framing_amqp_0_9_1 check "the idle channel, hibernating: s reads its state (its protocol's)" \
	state "$IDLE_CH"
check "  ... nothing left in its mailbox" eq "$(mailbox "$IDLE_CH")" 0
WANT="mem_tables" check "ra's WAL (gen_batch_server): s reads its state" state ra_log_wal
check "  ... nothing left in its mailbox" eq "$(mailbox "$(pid_of 'whereis(ra_log_wal)')")" 0

echo "bin_leak against the node's own figures"
LEAKER=$(pid_of 'whereis(it_leaker)')
held=$(reval '{binary, Bins} = erlang:process_info(whereis(it_leaker), binary), {lists:sum([S || {_, S, _} <- Bins]), length(Bins)}.' | tr -d '{} ')
screen_start 150x45 "${BT[@]}" -d 1 "$RNODE"
wait_for "processes  sorted by memory" 20 >/dev/null
keys B
check "B warns of the cost first" wait_for "bin_leak garbage-collects all" 5
# The node's figure, once two readings 0.3 s apart agree within 2% (our
# own refreshes and the broker's traffic move it for a moment), within 10 s.
bin_before=$(reval 'erlang:memory(binary).')
for i in $(seq 30); do
	sleep 0.3
	b=$(reval 'erlang:memory(binary).')
	within "$b" "$bin_before" 2 >/dev/null && break
	bin_before=$b
done
keys y
check "bin_leak reports" wait_for "node's binary memory" 60
line=$(screen_text | grep -F "<$LEAKER>")
# bytes TEXT WORD: the size after WORD in TEXT ("freed 5.00 MiB"), in bytes.
bytes() {
	awk -v w="$2" '{ for (i = 1; i < NF; i++) if ($i == w) {
		u = $(i + 2); m = u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 1;
		printf "%d", $(i + 1) * m; exit } }' <<<"$1"
}
check "the leaker is listed" contains "$line" "freed"
check "  ... holding what the node says it held (process_info binary)" \
	within "$(bytes "$line" held)" "${held%,*}" 1
check "  ... in as many binaries" contains "$line" "in ${held#*,} binaries"
check "  ... all of it freed (it was garbage)" within "$(bytes "$line" freed)" "${held%,*}" 1
check "the node line's before figure is the node's erlang:memory(binary)" \
	within "$(bytes "$(screen_text | grep -F "node's binary memory")" memory:)" "$bin_before" 10
bin_after=$(reval 'erlang:memory(binary).')
check "  ... and its after figure what the node says now (10%, 256 KiB)" \
	near "$(screen_text | grep -F "node's binary memory" | awk '{
		for (i = 3; i <= NF; i++) if ($i == "after") { u = $(i - 1);
		m = u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 1;
		printf "%d", $(i - 2) * m; exit } }')" "$bin_after" 10 262144
keys q
wait_for "EXIT=" 5 >/dev/null

echo "stopped by its pid, with everything it started"
# tree PID: PID and its descendants.
tree() {
	local c
	echo "$1"
	for c in $(pgrep -P "$1"); do
		tree "$c"
	done
}
procs=$(tree "$RMQ_PID")
check "it started no epmd of its own (ours serves it)" eq \
	"$(for p in $procs; do cat "/proc/$p/comm" 2>/dev/null; done | grep -c '^epmd$')" 0
check "  ... and is registered with ours" contains "$(epmd -port "$ERL_EPMD_PORT" -names)" "name rabbit at port $DIST_PORT"
kill -TERM "$BEAM_PID"
check "SIGTERM to its VM stops it, and the server script ends" ended "$RMQ_PID" 60
left=""
for i in $(seq 50); do
	left=$(for p in $procs; do kill -0 "$p" 2>/dev/null && echo "$p"; done)
	[ -z "$left" ] && break
	sleep 0.1
done
check "every OS process it started has ended" eq "$left" ""

it_done
