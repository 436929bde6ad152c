#!/usr/bin/env bash
# it_huge.sh - huge data: 100k ETS tables, 10k ports, atoms near the limit
# and a process with a 1 GB heap.  beamtop lists them all, in chunks (no
# message grows with the node), and stays small itself.
. "$(dirname "$0")/lib.sh"

ulimit -n 20000 2>/dev/null || true
if [ "$(ulimit -n)" -lt 12000 ]; then
	echo "it_huge.sh: skipped: cannot open 10k sockets (ulimit -n $(ulimit -n))"
	exit 0
fi
start_epmd
start_node target huge
NODE=target@$HOST

# peak_rss CMD...: runs CMD, prints its peak resident set in kB.
peak_rss() {
	local peak=0 r
	"$@" >"$IT_TMP/out" 2>"$IT_TMP/err" &
	local pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		r=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r
		sleep 0.05
	done
	wait "$pid"
	echo $? >"$IT_TMP/status"
	echo "$peak"
}

peak=$(peak_rss "$IT_DIR/../beamtop" -b -n 2 -d 1 --json "$NODE")
check "two refreshes of the huge node: exit 0" eq "$(cat "$IT_TMP/status")" 0
LAST=$(tail -1 "$IT_TMP/out")
j() { printf '%s' "$LAST" | jq -r "$1"; }
check "every ETS table listed" test "$(j .system.ets_count)" -ge 100000
check "  ... as many as the node has" eq "$(j .system.ets_count)" \
	"$(node_eval target 'length(ets:all()).')"
check "the 10k ports counted" test "$(j .system.port_count)" -ge 10000
check "atoms near the limit" eq "$(j '.system.atom_count > 0.9 * .system.atom_limit')" true
check "the 1 GB heap leads by memory" eq "$(j '.processes.top[0].name')" it_huge_heap
check "  ... with the memory the node reports" eq "$(j '.processes.top[0].memory')" \
	"$(node_eval target 'element(2, erlang:process_info(whereis(it_huge_heap), memory)).')"
check "no part failed" eq "$(j .refresh.errors)" null
echo "       refresh: $(j .refresh.wall_ms) ms, $(j .refresh.bytes) bytes; beamtop's peak RSS ${peak} kB"
check "beamtop's own memory stays under 200 MB" test "$peak" -lt 204800

it_done
