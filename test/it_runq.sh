#!/usr/bin/env bash
# it_runq.sh - the run queue shown is the node's, not beamtop's: each of
# beamtop's calls is a process on the node, and read while the others of
# its refresh wait to run, the run queues counted them (4 on an idle node
# on every full scan).
. "$(dirname "$0")/lib.sh"

start_epmd
start_shapes shapes
NODE=shapes@$HOST

"$BEAMTOP" -b -n 16 -d 0.3 --json "$NODE" 2>"$IT_TMP/err" |
	jq -r '.run_queue.total' >"$IT_TMP/rq"
echo "run queue totals: $(tr '\n' ' ' <"$IT_TMP/rq")"
check "16 refreshes" eq "$(wc -l <"$IT_TMP/rq")" 16
check "never more than 1 on an idle node" eq "$(awk '$1 > 1' "$IT_TMP/rq" | wc -l)" 0
check "0 in at least 12 of 16" test "$(awk '$1 == 0' "$IT_TMP/rq" | wc -l)" -ge 12
it_done
