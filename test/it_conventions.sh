#!/usr/bin/env bash
# it_conventions.sh - what users of Unix tools and of Erlang expect:
# --help and --version, the man page in step with the options, cookie
# sources, -sname and -name nodes, --port and --address, ERL_EPMD_PORT,
# top's -b -n -d, NO_COLOR, and the settings file that F2 writes.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$IT_DIR/.." && pwd)

echo "--help and --version"
out=$("$BEAMTOP" --help); rc=$?
check "--help: exit 0" eq "$rc" 0
check "  ... a usage line first" contains "$(printf '%s\n' "$out" | head -1)" "usage: beamtop"
check "  ... short (under 40 lines)" eq "$(( $(printf '%s\n' "$out" | wc -l) < 40 ))" 1
# (IT_BUILD_OTP: make check-otp runs the nodes of another OTP.)
otp=${IT_BUILD_OTP:-}
[ -n "$otp" ] || otp=$(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().')
out=$("$BEAMTOP" --version); rc=$?
check "--version: exit 0" eq "$rc" 0
check "  ... names the OTP it was built with" contains "$out" "OTP $otp"
check "  ... and erl_interface" contains "$out" "erl_interface "
# Every option in --help is in the man page, and the other way round.
help_opts=$("$BEAMTOP" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$ROOT/man/beamtop.1" |
	grep -o -- '\\-\\-[a-z][a-z\\-]*' | sed 's/\\//g' | sort -u)
check "the man page has every option of --help" eq \
	"$(comm -23 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')" ""
check "--help has every option of the man page" eq \
	"$(comm -13 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')" ""

start_epmd
start_node target
NODE=target@$HOST

# quietly CMD...: CMD's status, its output dropped.
quietly() { "$@" >/dev/null 2>&1; }

# works ARGS...: one batch refresh connects and reports the node.
works() {
	"$BEAMTOP" -b -n 1 --json --lines 1 "$@" >"$IT_TMP/w.json" 2>"$IT_TMP/w.err" &&
		[ "$(jq -r .node "$IT_TMP/w.json" 2>/dev/null)" = "${@: -1}" ] && return 0
	echo "       $(head -c 300 "$IT_TMP/w.err")"
	return 1
}

echo "the cookie"
check "~/.erlang.cookie by default" works "$NODE"
mkdir -p "$IT_TMP/other"
printf 'wrong\n' >"$IT_TMP/other/.erlang.cookie"
chmod 400 "$IT_TMP/other/.erlang.cookie"
check "\$ERLANG_COOKIE before ~/.erlang.cookie" quietly \
	env HOME="$IT_TMP/other" ERLANG_COOKIE="$COOKIE" "$BEAMTOP" -b -n 1 "$NODE"
printf '%s\n' "$COOKIE" >"$IT_TMP/cookie"
chmod 600 "$IT_TMP/cookie"
check "--cookie-file before both" quietly \
	env HOME="$IT_TMP/other" ERLANG_COOKIE=wrong "$BEAMTOP" -b -n 1 \
	--cookie-file "$IT_TMP/cookie" "$NODE"
"$BEAMTOP" -b -n 1 --cookie "$COOKIE" "$NODE" >/dev/null 2>"$IT_TMP/err"
check "--cookie works but warns" contains "$(cat "$IT_TMP/err")" "visible to other users"

echo "names, ports and addresses"
erl -name "long@127.0.0.1" -setcookie "$COOKIE" -noshell -noinput \
	>"$IT_TMP/long.log" 2>&1 &
remember $!
erl -sname "far@no-such-host" -setcookie "$COOKIE" -noshell -noinput \
	>"$IT_TMP/far.log" 2>&1 &
remember $!
for i in $(seq 100); do
	epmd -port "$ERL_EPMD_PORT" -names | grep -q "name far " &&
		epmd -port "$ERL_EPMD_PORT" -names | grep -q "name long " && break
	sleep 0.1
done
check "a -name node (long names: a dot in the host)" works "long@127.0.0.1"
check "a -sname node whose host does not resolve: refused" \
	eq "$("$BEAMTOP" -b -n 1 far@no-such-host 2>&1 >/dev/null | grep -c 'cannot resolve')" 1
check "  ... but --address says where it is (a tunnel, a container)" \
	works --address 127.0.0.1 "far@no-such-host"
port=$(epmd -port "$ERL_EPMD_PORT" -names | awk '$2 == "target" { print $5 }')
check "--port connects without epmd (ERL_EPMD_PORT points nowhere)" quietly \
	env ERL_EPMD_PORT=1 "$BEAMTOP" -b -n 1 --port "$port" "$NODE"
check "ERL_EPMD_PORT is where epmd is asked" eq \
	"$(ERL_EPMD_PORT=1 "$BEAMTOP" -b -n 1 "$NODE" 2>&1 | grep -c 'port 1)')" 1

echo "top's -b -n -d"
start=$(date +%s%N)
"$BEAMTOP" -b -n 3 -d 0.5 --json "$NODE" >"$IT_TMP/three.json"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "-n 3: three reports" eq "$(wc -l <"$IT_TMP/three.json")" 3
check "-d 0.5: half a second apart (${ms} ms for three)" \
	eq "$(( ms >= 900 && ms < 2900 ))" 1

echo "NO_COLOR and the settings file"
export XDG_CONFIG_HOME=$IT_TMP/xdg
# colours: an SGR with a foreground or background colour in it
has_colour() { tm capture-pane -t t -e -p | grep -Eq $'\e\\[([0-9]+;)*(3[0-7]|4[0-7]|9[0-7]|38;5)(;[0-9]+)*m'; }
screen_start 100x30 "$BEAMTOP" -d 1 "$NODE"
wait_for "CURRENT FUNCTION" 10 >/dev/null
check "colours by default" has_colour
keys 4 + +
sleep 0.5
check "+ +: every 3 s" contains "$(row 1)" "every 3.0s"
keys F2
check "F2: saved, and says where" wait_for "settings saved to $XDG_CONFIG_HOME/beamtop/config" 5
keys q
sleep 0.5
cfg=$(cat "$XDG_CONFIG_HOME/beamtop/config" 2>/dev/null)
check "  ... the pane by name" contains "$cfg" "pane = ets"
check "  ... the interval" contains "$cfg" "interval = 3"
check "  ... colours" contains "$cfg" "color = on"
check "  ... the columns by name" contains "$cfg" "columns = pid,name,memory"
screen_start 100x30 env NO_COLOR=1 "$BEAMTOP" "$NODE"
check "the saved pane opens first" wait_for "PROT" 10
check "  ... at the saved interval" contains "$(row 1)" "every 3.0s"
check "NO_COLOR: not one colour on the screen" eval '! has_colour'
keys q
sleep 0.5
check "NO_COLOR is not saved as a setting" contains "$(cat "$XDG_CONFIG_HOME/beamtop/config")" "color = on"
screen_start 100x30 "$BEAMTOP" --pane memory -d 1 "$NODE"
check "the command line wins over the file" wait_for "SHARE" 10
check "  ... for the interval too" contains "$(row 1)" "every 1.0s"
keys q
printf 'pane = nowhere\n' >"$XDG_CONFIG_HOME/beamtop/config"
"$BEAMTOP" -b -n 1 "$NODE" >/dev/null 2>"$IT_TMP/err"; rc=$?
check "a bad setting: exit 2" eq "$rc" 2
check "  ... one line naming the file, the line and the value" contains \
	"$(cat "$IT_TMP/err")" "config:1: 'nowhere' is not a valid pane"
it_done
