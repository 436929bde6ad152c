# lib.sh - what the integration tests share: a private epmd and target
# nodes on loopback with a random cookie, checks, and cleanup by pid.
#
# Sourced by test/it_*.sh.  Needs: erl, erlc, epmd, erl_call, jq (and
# elixir for start_shapes NAME elixir).
set -u

BEAMTOP=${BEAMTOP:-$(cd "$(dirname "$0")/.." && pwd)/beamtop}
IT_DIR=$(cd "$(dirname "$0")" && pwd)
IT_TMP=$(mktemp -d /tmp/beamtop-it-XXXXXX)
# A node the tests drive into a limit (atoms, processes) dumps there, not
# into the checkout.
export ERL_CRASH_DUMP="$IT_TMP/erl_crash.dump"
IT_PIDS=""
IT_FAILS=0
IT_CHECKS=0
HOST=$(hostname -s)
export ERL_EPMD_ADDRESS=127.0.0.1
# A port of our own, so that a user's epmd is never touched.
export ERL_EPMD_PORT=$(( 20000 + ($$ % 20000) ))
COOKIE=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Node-name locks of our own: a beamtop of another run on this host (a
# user's, or another make check) would push ours to beamtop_2, a new atom
# on our nodes, which the atom checks count.
export BEAMTOP_LOCK_DIR=$IT_TMP
# beamtop reads ~/.erlang.cookie by default: give it a private HOME.
export HOME=$IT_TMP/home
mkdir -p "$HOME"
printf '%s\n' "$COOKIE" > "$HOME/.erlang.cookie"
chmod 400 "$HOME/.erlang.cookie"

it_cleanup() {
	local p
	[ -n "${TMUX_SOCK:-}" ] && screen_end
	for p in $IT_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.3
	for p in $IT_PIDS; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$IT_TMP"
}
trap it_cleanup EXIT

# remember PID: stopped by pid at exit
remember() { IT_PIDS="$IT_PIDS $1"; }

start_epmd() {
	epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 >/dev/null 2>&1 &
	remember $!
	local i
	for i in $(seq 50); do
		epmd -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "epmd did not start on port $ERL_EPMD_PORT" >&2
	exit 1
}

# start_node NAME [drill|huge|shapes]: a -sname node with the planted load
# (and the drill-down's planted processes), or with what packaged
# applications have (shapes: test/it_shapes.erl); waits until ready.
start_node() {
	if [ "${2:-}" = shapes ]; then
		start_shapes "$1"
	else
		start_planted "$1" it_load "${2:-}"
	fi
}

# start_planted NAME MODULE [VARIANT]: a node that runs MODULE:start([Ready,
# VARIANT]); waits until MODULE writes Ready.
start_planted() {
	local name=$1 mod=$2 variant=${3:-} ready="$IT_TMP/$1.ready" i
	mkdir -p "$IT_TMP/beams"
	[ -f "$IT_TMP/beams/$mod.beam" ] ||
		erlc -o "$IT_TMP/beams" "$IT_DIR/$mod.erl" || exit 1
	# (huge: atoms up to 200k, so that 185k of them are near the limit)
	erl -sname "$name" -setcookie "$COOKIE" -noshell -noinput \
		$( [ "$variant" = huge ] && echo "+t 200000" ) \
		-pa "$IT_TMP/beams" -s "$mod" start "$ready" $variant \
		>"$IT_TMP/$name.log" 2>&1 &
	node_started "$name" $!
}

# node_started NAME PID: remembers the node's pid and waits until it has
# written its ready file (60 s at most; the test ends if it never does).
node_started() {
	local i
	remember "$2"
	eval "NODE_PID_$1=$2"
	for i in $(seq 600); do
		[ -f "$IT_TMP/$1.ready" ] && return 0
		sleep 0.1
	done
	echo "node $1 did not start:" >&2
	cat "$IT_TMP/$1.log" >&2
	exit 1
}

# start_shapes NAME [elixir]: a -sname node with it_shapes.erl's planted
# shapes, an Erlang node or, with elixir, an Elixir one (the elixir
# command: its runtime started, as in a mix project); waits until ready.
start_shapes() {
	local name=$1 ready="$IT_TMP/$1.ready"
	mkdir -p "$IT_TMP/beams"
	[ -f "$IT_TMP/beams/it_shapes.beam" ] ||
		erlc -o "$IT_TMP/beams" "$IT_DIR/it_shapes.erl" || exit 1
	if [ "${2:-}" = elixir ]; then
		elixir --sname "$name" --cookie "$COOKIE" \
			--erl "-noinput -pa $IT_TMP/beams" \
			-e ":it_shapes.start([:\"$ready\"]); Process.sleep(:infinity)" \
			>"$IT_TMP/$name.log" 2>&1 &
	else
		erl -sname "$name" -setcookie "$COOKIE" -noshell -noinput \
			-pa "$IT_TMP/beams" -s it_shapes start "$ready" \
			>"$IT_TMP/$name.log" 2>&1 &
	fi
	node_started "$name" $!
}

# node_eval NAME 'Expr.': the value Expr has on the node, as erl prints it.
node_eval() {
	local out
	out=$(printf '%s\n' "$2" | erl_call -sname "$1" -c "$COOKIE" -e 2>&1)
	out=${out#\{ok, }
	printf '%s\n' "${out%\}}"
}

# node_procs NAME: the node's processes, leaving out the connection
# handlers of erl_call's own short connections (they linger a moment).
node_procs() {
	node_eval "$1" 'length([P || P <- erlang:processes(), erlang:process_info(P, initial_call) =/= {initial_call, {inet_tcp_dist, do_accept, 7}}]).'
}

# procs_back NAME BEFORE: the node's processes are back to at most BEFORE
# within 5 s (processes end asynchronously after a disconnect).
procs_back() {
	local i n
	for i in $(seq 25); do
		n=$(node_procs "$1")
		[ "$n" -le "$2" ] && return 0
		sleep 0.2
	done
	echo "       $n processes, $2 before; new since:"
	# (Not the tests' own planted processes, which run it_ modules.)
	node_eval "$1" '[{P, erlang:process_info(P, registered_name), C} || P <- erlang:processes(), {current_function, {M, _, _} = C} <- [erlang:process_info(P, current_function)], M =/= inet_tcp_dist, lists:prefix("it_", atom_to_list(M)) =:= false].' | tail -c 1500
	return 1
}

# dropped NAME: the node NAME has no connection from a beamtop within 10 s
# (a node notices a peer that left only when it next reads its socket).
dropped() {
	local i
	for i in $(seq 50); do
		node_eval "$1" 'nodes(hidden).' | grep -q beamtop || return 0
		sleep 0.2
	done
	echo "       still connected: $(node_eval "$1" 'nodes(hidden).')"
	return 1
}

check() {
	local what=$1
	shift
	IT_CHECKS=$((IT_CHECKS + 1))
	if "$@"; then
		echo "  ok   $what"
	else
		echo "  FAIL $what"
		IT_FAILS=$((IT_FAILS + 1))
	fi
}

# eq A B: numbers or strings equal (prints both when not).
eq() {
	[ "$1" = "$2" ] && return 0
	echo "       expected '$2', got '$1'"
	return 1
}

# within A B PCT: |A-B| <= PCT% of B.
# near A B PCT FLOOR: like within, with differences up to FLOOR (bytes
# that come and go on any node) always near enough.
near() {
	awk -v a="$1" -v b="$2" -v p="$3" -v f="$4" 'BEGIN {
		d = a - b; if (d < 0) d = -d;
		if (d <= b * p / 100 || d <= f) exit 0;
		printf "       %s is not within %s%% (or %s) of %s\n", a, p, f, b; exit 1 }'
}

within() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		d = a - b; if (d < 0) d = -d;
		if (d <= b * p / 100) exit 0;
		printf "       %s is not within %s%% of %s\n", a, p, b; exit 1 }'
}

contains() {
	case "$1" in
	*"$2"*) return 0 ;;
	esac
	echo "       '$2' not in: $1"
	return 1
}

# Screen tests: a private tmux server (its own socket), never the user's.
TMUX_SOCK=""
TMUX_N=0
tm() { tmux -L "$TMUX_SOCK" "$@"; }

# screen_start COLSxROWS CMD...: runs CMD in a fresh tmux window; when it
# ends, the window shows EXIT=<status>.
screen_start() {
	local size=$1
	shift
	# A fresh server each time: reusing a socket that is shutting down
	# races with its exit.
	screen_end
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK=beamtop-it-$$-$TMUX_N
	tm -f /dev/null new-session -d -s t -x "${size%x*}" -y "${size#*x}" \
		"$* ; echo EXIT=\$?; sleep 600"
}

screen_text() { tm capture-pane -t t -p; }

# screen_end: the command that screen_start ran is ended (q, then at most
# 5 s, then SIGKILL by its pid), and its tmux server.  Killing the server
# alone leaves it a SIGHUP, and a sanitizer build's leak check at exit can
# then spin for good (seen under gVisor): no beamtop may outlive its test.
screen_end() {
	local i pid
	[ -n "$TMUX_SOCK" ] || return 0
	pid=$(screen_pid 2>/dev/null)
	if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != sleep ]; then
		tm send-keys -t t q 2>/dev/null
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	tm kill-server 2>/dev/null
}

# screen_pid: the pid of the command that screen_start ran, the child of
# the shell tmux started: found by that shell's pid, never by a pattern
# (which could match another user's beamtop and signal it).
screen_pid() { pgrep -P "$(tm list-panes -t t -F '#{pane_pid}')" | head -1; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (status 1 if never).
wait_for() {
	local i limit=$(( ${2:-10} * 10 ))
	for i in $(seq "$limit"); do
		screen_text | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "       the screen never showed '$1'; it shows:"
	screen_text | sed 's/^/       | /'
	return 1
}

# ended PID SECONDS: PID has exited within SECONDS (polled: a hang must
# fail the test, not stall it); its exit status is then in $ENDED_RC.  A
# PID still running is killed, ENDED_RC left empty, and the status is 1.
ended() {
	local i
	ENDED_RC=
	for i in $(seq $(( $2 * 10 ))); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			ENDED_RC=$?
			return 0
		fi
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	echo "       still running after $2 s"
	return 1
}

# wait_for_re REGEX [SECONDS]: as wait_for, for an extended regex.
wait_for_re() {
	local i limit=$(( ${2:-10} * 10 ))
	for i in $(seq "$limit"); do
		screen_text | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "       the screen never matched '$1'; it shows:"
	screen_text | sed 's/^/       | /'
	return 1
}

# wait_for_row N TEXT [SECONDS]: until line N of the screen shows TEXT.
wait_for_row() {
	local i limit=$(( ${3:-10} * 10 ))
	for i in $(seq "$limit"); do
		screen_text | sed -n "${1}p" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	echo "       line $1 never showed '$2'; it shows: $(screen_text | sed -n "${1}p")"
	return 1
}

# wait_not_row N REGEX [SECONDS]: until line N of the screen no longer
# matches REGEX (grep -E).
wait_not_row() {
	local i limit=$(( ${3:-10} * 10 ))
	for i in $(seq "$limit"); do
		screen_text | sed -n "${1}p" | grep -qE -- "$2" || return 0
		sleep 0.1
	done
	echo "       line $1 still shows '$2': $(screen_text | sed -n "${1}p")"
	return 1
}

# row N: the N-th line of the screen (1-based).
row() { screen_text | sed -n "${1}p"; }

keys() { tm send-keys -t t "$@"; }

it_done() {
	echo "$(basename "$0"): $IT_CHECKS checks, $IT_FAILS failed"
	[ "$IT_FAILS" -eq 0 ]
}
