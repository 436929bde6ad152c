#!/usr/bin/env bash
# it_limits.sh - a node at its process limit answers every rpc with
# {badrpc, {'EXIT', system_limit}}: beamtop keeps reporting, and a value
# whose call failed is null (JSON) or "?" (text), never a made-up 0 or "".
. "$(dirname "$0")/lib.sh"

start_epmd
# +P 1024: the smallest limit there is, quickly filled.
erl -sname lim -setcookie "$COOKIE" -noshell -noinput +P 1024 \
	>"$IT_TMP/lim.log" 2>&1 &
remember $!
for i in $(seq 100); do
	[ "$(node_eval lim 'ok.' 2>/dev/null)" = ok ] && break
	sleep 0.2
done
NODE=lim@$HOST
OUT=$IT_TMP/out.json
LIMIT=$(node_eval lim 'erlang:system_info(process_limit).')

# Attached while the node still has room; then it is filled.
"$BEAMTOP" -b -d 1 --json --lines 3 "$NODE" >"$OUT" 2>"$IT_TMP/err" &
BT=$!
remember $BT
"$BEAMTOP" -b -d 1 --lines 3 "$NODE" >"$IT_TMP/out.txt" 2>&1 &
BTT=$!
remember $BTT
# wait_json JQ SECONDS: until a report matches JQ (status 1 if never).
wait_json() {
	local i
	for i in $(seq $(( $2 * 5 ))); do
		[ -n "$(jq -c "select($1)" "$OUT" 2>/dev/null | head -1)" ] && return 0
		sleep 0.2
	done
	echo "       no report matched $1; the last:"
	tail -1 "$OUT" | cut -c1-400 | sed 's/^/       | /'
	return 1
}
check "a first report, with the node's own limit" wait_json ".system.process_limit == $LIMIT" 15
node_eval lim 'spawn(fun() -> F = fun Fill(N) -> try spawn(fun() -> receive _ -> ok end end) of _ -> Fill(N + 1) catch _:_ -> N end end, F(0), receive _ -> ok end end), ok.' >/dev/null
check "at the limit: reports go on, saying system_limit" \
	wait_json '(.refresh.errors // "") | contains("system_limit")' 20
kill -TERM $BT $BTT 2>/dev/null
wait $BT $BTT 2>/dev/null

bad() { jq -c "select($1)" "$OUT" | head -1 | cut -c1-300; }
check "process_count: null or the node's, never 0" eq \
	"$(bad '.system.process_count == 0 or .processes.count == 0')" ""
check "process_limit: null or $LIMIT" eq \
	"$(bad ".system.process_limit != null and .system.process_limit != $LIMIT")" ""
check "otp_release: null or the node's, never \"\"" eq \
	"$(bad '.system.otp_release == ""')" ""
check "uptime_ms: null or more than 0" eq "$(bad '.system.uptime_ms == 0')" ""
check "a failed system_info is null" eq \
	"$(jq -c 'select((.refresh.errors // "") | contains("system_info failed")) | .system.process_limit' "$OUT" | sort -u)" null
check "text: never 'Processes: 0/0'" eq "$(grep -c 'Processes: 0/0' "$IT_TMP/out.txt")" 0
check "text: unknown is '?'" grep -q 'Processes: ?/?' "$IT_TMP/out.txt"

it_done
