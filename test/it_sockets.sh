#!/usr/bin/env bash
# it_sockets.sh - a TCP socket's traffic is what inet:getstat counts: an
# active socket that receives megabytes has port_info input 0, and its
# IN/s must not say 0 (batch JSON and the ports pane).
. "$(dirname "$0")/lib.sh"

start_epmd
start_shapes shapes
NODE=shapes@$HOST

# it_tcp receives 64 KB every 50 ms from it_tcp_writer on loopback.
"$BEAMTOP" -b -n 3 -d 1 --json --lines 50 "$NODE" 2>"$IT_TMP/err" | tail -1 >"$IT_TMP/last"
rx=$(jq -r '[.ports[] | select(.connected_name == "it_tcp")] | max_by(.input_per_sec // 0) | .input_per_sec // 0' "$IT_TMP/last")
tx=$(jq -r '.ports[] | select(.connected_name == "it_tcp_writer") | .output_per_sec // 0' "$IT_TMP/last")
check "the receiving socket's input per second (${rx%.*} B/s) is the writer's (${tx%.*} B/s)" \
	within "${rx%.*}" "${tx%.*}" 30
node_in=$(node_eval shapes '[S] = [P || P <- erlang:ports(), erlang:port_info(P, connected) =:= {connected, whereis(it_tcp)}, erlang:port_info(P, name) =:= {name, "tcp_inet"}, case inet:peername(P) of {ok, _} -> true; _ -> false end], {ok, [{recv_oct, N}]} = inet:getstat(S, [recv_oct]), N.')
rx_total=$(jq -r '[.ports[] | select(.connected_name == "it_tcp")] | max_by(.input) | .input' "$IT_TMP/last")
check "its input is getstat's recv_oct (read after: at least beamtop's)" \
	test "$rx_total" -gt 0 -a "$rx_total" -le "$node_in"

echo "the ports pane"
screen_start 130x40 "$BEAMTOP" -d 1 --pane ports "$NODE"
check "the ports pane" wait_for "tcp_inet" 15
check "the receiving socket shows MiB/s coming in" wait_for_re "it_tcp +[0-9.]+ [KM]iB +[0-9.]+ [KM]iB" 10
keys q
check "q exits 0" wait_for "EXIT=0" 5
it_done
