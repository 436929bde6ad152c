#!/usr/bin/env bash
# it_batch.sh - batch mode against a real node with a planted load: every
# list is led by what was planted, with the figures the node itself gives.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST
OUT=$IT_TMP/out.json

echo "batch --json, sorted by memory"
"$BEAMTOP" -b -n 2 -d 1 --json --lines 5 "$NODE" >"$OUT" 2>"$IT_TMP/err"
check "exit status 0" eq "$?" 0
check "two JSON lines" eq "$(wc -l <"$OUT")" 2
LAST=$(tail -1 "$OUT")
j() { printf '%s' "$LAST" | jq -r "$1"; }
check "node name" eq "$(j .node)" "$NODE"
check "top by memory is it_big_heap" eq "$(j '.processes.top[0].name')" it_big_heap
mem_node=$(node_eval target 'element(2, erlang:process_info(whereis(it_big_heap), memory)).')
check "its memory is what the node reports" eq "$(j '.processes.top[0].memory')" "$mem_node"
pid_node=$(node_eval target 'pid_to_list(whereis(it_big_heap)).' | tr -d '"')
check "its pid is the node's" eq "$(j '.processes.top[0].pid')" "$pid_node"
# Our own rpc workers are alive while beamtop counts: a few more.
check "process count matches the node" \
	within "$(j .system.process_count)" "$(node_eval target 'erlang:system_info(process_count).')" 20
check "memory total within 10% of the node's" \
	within "$(j .memory.total)" "$(node_eval target 'erlang:memory(total).')" 10
check "otp_release" eq "$(j .system.otp_release)" "$(node_eval target 'erlang:system_info(otp_release).' | tr -d '"')"
check "schedulers listed with types" eq "$(j '[.schedulers[] | select(.type=="normal")] | length')" \
	"$(node_eval target 'erlang:system_info(schedulers).')"
check "utilization known on the second refresh" eq "$(j '.schedulers[0].utilization | type')" number
check "reductions_per_sec known on the second refresh" eq "$(j '.system.reductions_per_sec | type')" number
check "refresh cost reported" eq "$(j '(.refresh.bytes > 0) and (.refresh.wall_ms >= 0)')" true
check "no query failed" eq "$(j .refresh.errors)" null
check "first refresh: rates unknown" eq "$(head -1 "$OUT" | jq -r '.processes.top[0].reductions_per_sec')" null

echo "ETS and ports"
check "top ETS table is it_big_table" eq "$(j '.ets[0].name')" it_big_table
ets_mem=$(node_eval target 'ets:info(it_big_table, memory) * erlang:system_info(wordsize).')
check "its memory in bytes is the node's" eq "$(j '.ets[0].memory')" "$ets_mem"
check "its size is the node's" eq "$(j '.ets[0].size')" 100000
check "its owner is named" eq "$(j '.ets[0].owner_name')" it_table_owner
LAST=$("$BEAMTOP" -b -n 1 --json --lines 1000 "$NODE")
check "the cat port is listed, with its owner" eq \
	"$(j '[.ports[] | select(.name=="cat")][0].connected_name')" it_port_owner
check "an owner without a name: null, not \"\"" eq \
	"$(j '[.ports[].connected_name, .ets[].owner_name] | map(select(. == "")) | length')" 0
"$BEAMTOP" -b -n 1 "$NODE" >"$IT_TMP/one.txt" 2>/dev/null
check "text, first refresh: reductions n/a, not n/a/s" eq "$(grep -c 'n/a/s' "$IT_TMP/one.txt")" 0
check "the cat port has an os_pid" eq "$(j '[.ports[] | select(.name=="cat")][0].os_pid | type')" number
check "as many ports as the node has" eq "$(j '.ports | length')" \
	"$(node_eval target 'length(erlang:ports()).')"

echo "other sorts"
LAST=$("$BEAMTOP" -b -n 2 -d 1 --json --lines 3 --sort reductions_per_sec "$NODE" | tail -1)
check "it_busy leads reductions_per_sec" eq "$(j '.processes.top[0].name')" it_busy
check "its rate is positive" eq "$(j '.processes.top[0].reductions_per_sec > 1000')" true
LAST=$("$BEAMTOP" -b -n 1 --json --lines 3 --sort mq "$NODE")
check "it_mailbox leads message_queue_len" eq "$(j '.processes.top[0].name')" it_mailbox
check "with the node's queue length" eq "$(j '.processes.top[0].message_queue_len')" 50000
LAST=$("$BEAMTOP" -b -n 1 --json --lines 3 --sort heap "$NODE")
heap=$(node_eval target 'element(2, erlang:process_info(whereis(it_big_heap), total_heap_size)) * erlang:system_info(wordsize).')
check "heap sort: it_big_heap first" eq "$(j '.processes.top[0].name')" it_big_heap
check "with the node's total_heap_size in bytes" eq "$(j '.processes.top[0].heap')" "$heap"
LAST=$("$BEAMTOP" -b -n 1 --json --lines 3 --sort binary "$NODE")
check "binary sort: it_bins first" eq "$(j '.processes.top[0].name')" it_bins
check "holding 20 MiB of binaries" within "$(j '.processes.top[0].binary')" 20971520 1
check "Elixir names read as Elixir" eq \
	"$("$BEAMTOP" -b -n 1 --json --lines 100000 "$NODE" | jq -r '[.processes.top[] | select(.name=="It.Worker")] | length')" 1

echo "plain collector (no observer_backend)"
LAST=$("$BEAMTOP" -b -n 1 --json --lines 3 --collector plain "$NODE")
check "source is plain" eq "$(j .refresh.source)" plain
check "same top by memory" eq "$(j '.processes.top[0].name')" it_big_heap
check "same memory figure" eq "$(j '.processes.top[0].memory')" "$mem_node"

echo "a node without runtime_tools"
start_node bare
node_eval bare 'code:del_path(runtime_tools).' >/dev/null
check "observer_backend is gone from bare" eq \
	"$(node_eval bare 'code:which(observer_backend).')" non_existing
LAST=$("$BEAMTOP" -b -n 1 --json --lines 3 "bare@$HOST")
check "auto falls back to plain" eq "$(j .refresh.source)" plain
check "and still finds the big heap" eq "$(j '.processes.top[0].name')" it_big_heap
check "without an error note" eq "$(j .refresh.errors)" null

echo "text report"
TEXT=$("$BEAMTOP" -b -n 1 --lines 3 "$NODE")
check "has the process table" contains "$TEXT" "PROCESSES by memory"
check "names the big heap" contains "$TEXT" "it_big_heap"
check "has the ETS table" contains "$TEXT" "it_big_table"

echo "hidden, and leaves nothing behind"
sw_before=$(node_eval target 'erlang:statistics(scheduler_wall_time).')
procs_before=$(node_procs target)
"$BEAMTOP" -b -d 1 --json "$NODE" >/dev/null 2>"$IT_TMP/bg.err" &
BT=$!
remember $BT
sleep 2.5
check "the node's nodes() stays empty while attached" eq "$(node_eval target 'nodes().')" "[]"
# A stable name (beamtop, beamtop_2 ... beamtop_16), not one per run: a
# node name is an atom on the node, and atoms are never freed.
stable_name() { echo "$1" | grep -Eq "'?beamtop(_([2-9]|1[0-6]))?@"; }
check "but it sees a hidden node, with a stable name" stable_name \
	"$(node_eval target 'nodes(hidden).')"
check "scheduler_wall_time is on while attached" eq \
	"$(node_eval target 'is_list(erlang:statistics(scheduler_wall_time)).')" true
kill -INT $BT
wait $BT
check "SIGINT ends a batch run with status 0" eq "$?" 0
sleep 1
check "the flag is back to what it was" eq \
	"$(node_eval target 'erlang:statistics(scheduler_wall_time).')" "$sw_before"
check "no process left behind" procs_back target "$procs_before"

it_done
