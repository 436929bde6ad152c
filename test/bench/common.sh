# common.sh - sourced by the benchmark scripts: a process's CPU time, and
# how soon a process that becomes the top by reductions/s or by memory is
# shown first.

# cpu_ms PID: user+system CPU of a process so far, in ms.
cpu_ms() {
	awk -v t="$((1000 / $(getconf CLK_TCK)))" '{ print ($14 + $15) * t }' "/proc/$1/stat"
}

#
# newcomer_latency NODE NAME KIND: KIND reds (burns reductions flat out)
# or mem (grows to 64 MiB); prints the seconds from its start on NAME
# (the node's -sname) until beamtop's batch output puts it first, or
# "never" within 40 refreshes.  Needs BEAMTOP, IT_TMP and node_eval.
newcomer_latency() {
	local node=$1 name=$2 kind=$3 sort t0 t1 bt
	sort=$([ "$kind" = mem ] && echo memory || echo reds)
	"$BEAMTOP" -b -n 40 -d 1 --json --lines 3 --sort "$sort" --timeout 60 "$node" \
		>"$IT_TMP/nc.json" 2>/dev/null &
	bt=$!
	sleep 4
	t0=$(date +%s)
	node_eval "$name" "register(bench_newcomer, spawn(bench_load, newcomer, [$kind])), ok." >/dev/null
	while kill -0 $bt 2>/dev/null; do
		if tail -1 "$IT_TMP/nc.json" | jq -e '.processes.top[0].name == "bench_newcomer"' >/dev/null 2>&1; then
			t1=$(date +%s)
			kill $bt 2>/dev/null; wait $bt 2>/dev/null
			node_eval "$name" 'exit(whereis(bench_newcomer), kill).' >/dev/null
			echo $((t1 - t0))
			return
		fi
		sleep 0.2
	done
	node_eval "$name" 'exit(whereis(bench_newcomer), kill).' >/dev/null
	echo "never"
}
