#!/usr/bin/env bash
# it_errors.sh - every way of failing to connect gives one clear line on
# stderr and exit status 2, within the timeout.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST


# expect_fail WHAT NEEDLE ARGS...: exit 2, one line naming NEEDLE, quickly.
expect_fail() {
	local what=$1 needle=$2 start end rc
	shift 2
	start=$(date +%s%N)
	"$BEAMTOP" "$@" >"$IT_TMP/out" 2>"$IT_TMP/err" </dev/null &
	ended $! 10
	rc=$ENDED_RC
	end=$(date +%s%N)
	check "$what: exit 2" eq "$rc" 2
	check "$what: says '$needle'" contains "$(cat "$IT_TMP/err")" "$needle"
	check "$what: one line on stderr" eq "$(wc -l <"$IT_TMP/err")" 1
	check "$what: nothing on stdout" eq "$(wc -c <"$IT_TMP/out")" 0
	check "$what: within 3 s" eq "$(( (end - start) / 1000000 < 3000 ))" 1
}

printf 'not-the-cookie\n' >"$IT_TMP/wrong"
chmod 400 "$IT_TMP/wrong"
expect_fail "wrong cookie" "check the cookie" -b --cookie-file "$IT_TMP/wrong" "$NODE"
check "the cookie is not printed" eq "$(grep -c "$COOKIE\|not-the-cookie" "$IT_TMP/err")" 0
expect_fail "unknown node" "node nosuch@$HOST is not registered with epmd on $HOST" -b "nosuch@$HOST"
ERL_EPMD_PORT=1 expect_fail "epmd down (ERL_EPMD_PORT)" "epmd is not running" -b "$NODE"
# localhost's epmd knows a "target" too: the node that answers is
# target@$HOST, and what beamtop would show is not of the node asked for.
expect_fail "a name the node does not have" \
	"target@localhost answered as target@$HOST: not the node asked for" -b target@localhost
# Connected by --address on purpose: the node's own name is shown.
answered=$("$BEAMTOP" -b -n 1 --json --address 127.0.0.1 target@localhost 2>"$IT_TMP/err" | jq -r .node)
check "--address: the node's own name in JSON" eq "$answered" "target@$HOST"
check "--address: said on stderr" contains "$(cat "$IT_TMP/err")" "answered as target@$HOST"
expect_fail "unresolvable host" "cannot resolve host no-such-host.invalid" -b "x@no-such-host.invalid"
expect_fail "closed port" "connection refused" -b --port 1 "$NODE"
expect_fail "bad node name" "expected name@host" -b "just-a-name"
# erl's rule, for ~/.erlang.cookie (a file named with --cookie-file is
# read with a warning: it_lists.sh).
mkdir -p "$IT_TMP/openhome"
printf '%s\n' "$COOKIE" >"$IT_TMP/openhome/.erlang.cookie"
chmod 644 "$IT_TMP/openhome/.erlang.cookie"
HOME=$IT_TMP/openhome expect_fail "~/.erlang.cookie open to others" "owner only" -b "$NODE"
expect_fail "missing cookie file" "cannot read cookie file" -b --cookie-file "$IT_TMP/none" "$NODE"
mkfifo "$IT_TMP/fifo"
expect_fail "FIFO as cookie file" "is not a regular file (a FIFO)" -b --cookie-file "$IT_TMP/fifo" "$NODE"
expect_fail "directory as cookie file" "is not a regular file (a directory)" -b --cookie-file "$IT_TMP" "$NODE"
mkdir -p "$IT_TMP/fifohome"
mkfifo "$IT_TMP/fifohome/.erlang.cookie"
HOME=$IT_TMP/fifohome expect_fail "FIFO as ~/.erlang.cookie" "(a FIFO)" -b "$NODE"
printf 'SECRET\nPART\n' >"$IT_TMP/twolines"
printf 'SECRET\0PART\n' >"$IT_TMP/nul"
chmod 400 "$IT_TMP/twolines" "$IT_TMP/nul"
expect_fail "newline inside the cookie" "bad characters in cookie (from $IT_TMP/twolines)" \
	-b --cookie-file "$IT_TMP/twolines" "$NODE"
check "  ... the cookie is not printed" eq "$(grep -c "SECRET\|PART" "$IT_TMP/err")" 0
expect_fail "NUL inside the cookie" "bad characters in cookie (from $IT_TMP/nul)" \
	-b --cookie-file "$IT_TMP/nul" "$NODE"
expect_fail "negative delay" "--delay" -b -d -1 "$NODE"
expect_fail "unknown sort key" "--sort" -b --sort colour "$NODE"
expect_fail "non-numeric count" "--iterations" -b -n many "$NODE"

"$BEAMTOP" -b -n 1 --cookie "$COOKIE" "$NODE" >/dev/null 2>"$IT_TMP/err"
check "--cookie works" eq "$?" 0
check "--cookie warns that ps shows it" contains "$(cat "$IT_TMP/err")" "visible to other users in ps"
check "the warning does not print it" eq "$(grep -c "$COOKIE" "$IT_TMP/err")" 0
ERLANG_COOKIE=$COOKIE HOME=/nonexistent "$BEAMTOP" -b -n 1 "$NODE" >/dev/null 2>&1
check "\$ERLANG_COOKIE works" eq "$?" 0
"$BEAMTOP" -b -n 1 --name watcher "$NODE" --json | jq -e . >/dev/null
check "--name works" eq "$?" 0
PORT=$(epmd -port "$ERL_EPMD_PORT" -names | awk '/^name target /{print $5}')
ERL_EPMD_PORT=1 "$BEAMTOP" -b -n 1 --port "$PORT" "$NODE" >/dev/null 2>&1
check "--port skips epmd" eq "$?" 0

echo "each refused handshake gets its own reason"
"$BEAMTOP" -b -d 1 --name taken "$NODE" >"$IT_TMP/bg.out" 2>&1 &
BG=$!
remember $BG
for i in $(seq 50); do
	[ -s "$IT_TMP/bg.out" ] && break
	sleep 0.2
done
expect_fail "--name already connected" "a node with that name is already connected" \
	-b --name taken "$NODE"
check "  ... the check did not cut the connected one off" \
	eq "$(node_eval target 'lists:member(list_to_atom("taken@" ++ net_adm:localhost()), nodes(hidden)).')" true
check "  ... and it still runs" kill -0 $BG
kill -TERM $BG
wait $BG 2>/dev/null
expect_fail "--name is the node's own" "that is the node's own name" -b --name target "$NODE"
check "  ... not the cookie" eq "$(grep -c cookie "$IT_TMP/err")" 0
# A node at its process limit cannot start the process that handles a
# connection.  (+P 1024: the smallest limit, quickly filled.)
erl -sname lim -setcookie "$COOKIE" -noshell -noinput +P 1024 >"$IT_TMP/lim.log" 2>&1 &
remember $!
for i in $(seq 100); do
	[ "$(node_eval lim 'ok.' 2>/dev/null)" = ok ] && break
	sleep 0.2
done
# The filler keeps every slot taken (one freed, by erl_call's own
# connection ending, is taken again within 20 ms) and says when the node
# is first full (prim_file: writing through the file server would need
# a process).
node_eval lim "spawn(fun() -> F = fun Fill(Said) -> try spawn(fun() -> receive _ -> ok end end) of _ -> Fill(Said) catch _:_ -> Said orelse prim_file:write_file(\"$IT_TMP/lim.full\", <<\"full\">>), receive after 20 -> Fill(true) end end end, F(false) end), ok." >/dev/null
for i in $(seq 300); do
	[ -f "$IT_TMP/lim.full" ] && break
	sleep 0.1
done
sleep 0.5
expect_fail "node at its process limit" "could not start a process for it (process limit reached?)" \
	-b "lim@$HOST"
check "  ... not the cookie" eq "$(grep -c cookie "$IT_TMP/err")" 0

it_done
