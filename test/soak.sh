#!/usr/bin/env bash
# soak.sh [REFRESHES] [PROCESSES] - beamtop's memory over a long batch run
# against a node with PROCESSES idle processes: prints its RSS every 500
# refreshes, and the first and last figures.  Not part of `make check`
# (10,000 refreshes take about 25 minutes); the README quotes its result.
. "$(dirname "$0")/lib.sh"

N=${1:-10000}
P=${2:-10000}
start_epmd
start_node target
NODE=target@$HOST
node_eval target "[spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, $P)], ok." >/dev/null
"$IT_DIR/../beamtop" -b -n "$N" -d 0.1 --json --lines 5 "$NODE" >"$IT_TMP/out" 2>"$IT_TMP/err" &
BT=$!
remember $BT
next=1
echo "refreshes  rss_kB"
while kill -0 $BT 2>/dev/null; do
	n=$(wc -l <"$IT_TMP/out")
	if [ "$n" -ge "$next" ]; then
		echo "$n $(awk '/VmRSS/ { print $2 }' /proc/$BT/status)"
		next=$(( next == 1 ? 500 : next + 500 ))
	fi
	sleep 0.5
done
wait $BT
echo "exit $? after $(wc -l <"$IT_TMP/out") refreshes; $(head -c 300 "$IT_TMP/err")"
