#!/usr/bin/env bash
# it_busy.sh - a node whose schedulers are all busy (4000 processes that
# spin forever, on every core) must still get a process list: partial,
# and marked as such, rather than "0 processes" until the load goes.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST
OUT=$IT_TMP/out.json
DEADLINE_S=40

node_eval target 'F = fun Spin(X) -> Spin((X * 7 + 3) rem 1000003) end, [spawn(fun() -> F(1) end) || _ <- lists:seq(1, 4000)], ok.' >/dev/null
check "the node is busy: 4000 more processes" \
	test "$(node_eval target 'erlang:system_info(process_count).')" -gt 4000

echo "batch --json (and text) against the busy node"
t0=$(date +%s)
"$BEAMTOP" -b -d 1 --json --lines 5 "$NODE" >"$OUT" 2>"$IT_TMP/err" &
BT=$!
remember $BT
"$BEAMTOP" -b -n 1 --lines 3 "$NODE" >"$IT_TMP/out.txt" 2>&1 &
BTT=$!
remember $BTT
# The first report that lists processes, within the deadline.
first_listed() { jq -c 'select(.processes.listed > 0)' "$OUT" 2>/dev/null | head -1; }
LINE=""
while [ $(( $(date +%s) - t0 )) -lt $DEADLINE_S ]; do
	LINE=$(first_listed)
	[ -n "$LINE" ] && break
	sleep 0.5
done
took=$(( $(date +%s) - t0 ))
echo "  (first list after ${took} s)"
j() { printf '%s' "$LINE" | jq -r "$1"; }
check "processes listed within ${DEADLINE_S} s" test -n "$LINE"
check "  ... the top list is not empty" test "$(j '.processes.top | length')" -gt 0
check "  ... marked incomplete" eq "$(j .processes.complete)" false
# (The node's own count may be null: on a node this busy its
# system_info call can time out too; then what was listed is the count.)
check "  ... read fewer than the node has" \
	test "$(j .processes.read)" -lt \
	"$(j '.system.process_count // (.processes.read + .processes.unread)')"
check "  ... and says how many it could not read" \
	test "$(j '.processes.unread // 0')" -gt 0
check "  ... read by small chunks" test "$(j '.refresh.scan.chunk // 99999')" -lt 1000
# Keep it running until a later report, then look at them all.
while [ $(( $(date +%s) - t0 )) -lt $(( took + 15 )) ] &&
	[ "$(jq -s 'length' "$OUT" 2>/dev/null)" -lt 2 ]; do
	sleep 0.5
done
kill -TERM $BT
wait $BT 2>/dev/null
n_after=$(jq -s '[.[] | select(.processes.listed > 0)] | length' "$OUT")
n_all=$(jq -s 'length' "$OUT")
first=$(jq -s 'map(.processes.listed > 0) | index(true) // length' "$OUT")
check "no empty list once processes were listed" eq "$n_after" "$(( n_all - first ))"
check "rows not read now are marked stale, without a rate" eq \
	"$(jq -s '[.[].processes.top[] | select(.stale and .reductions_per_sec != null)] | length' "$OUT")" 0
check "a partial report's counts add up" eq \
	"$(jq -s '[.[] | select(.processes.complete | not) | select(.processes.read + .processes.stale != .processes.listed)] | length' "$OUT")" 0

echo "text mode says how partial"
wait $BTT
check "  ... 'INCOMPLETE: N of M read'" \
	grep -qE 'INCOMPLETE: [0-9]+ of [0-9]+ read' "$IT_TMP/out.txt"

it_done
