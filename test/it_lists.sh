#!/usr/bin/env bash
# it_lists.sh - the lists against a node with what packaged applications
# have (test/it_shapes.erl): columns as wide as what they show, ids never
# cut where they differ, batch text never cut, the sort key's column always
# there; and the small things around the lists: JSON's exact flags before
# there is a rate, F2 keeping every pane's sort, a group listed in the
# group view's order, links selected past their heading, a cookie file
# named on purpose whatever its mode.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node shapes shapes
NODE=shapes@$HOST
export LC_ALL=C.UTF-8

# The three anonymous tables' ids, as the node prints them.
REFS=$(node_eval shapes '[erlang:ref_to_list(T) || T <- ets:all(), ets:info(T, name) =:= anon].' |
	grep -o '#Ref<[0-9.]*>')
check "the node has three anonymous tables" eq "$(printf '%s\n' "$REFS" | wc -l)" 3

echo "batch text: nothing cut"
"$BEAMTOP" -b -n 1 --lines 40 "$NODE" >"$IT_TMP/text" 2>"$IT_TMP/err"
check "exit status 0" eq "$?" 0
ets=$(sed -n '/^ETS by/,/^$/p' "$IT_TMP/text")
check "an owner's name whole (ac_tab's)" contains \
	"$(printf '%s\n' "$ets" | grep -w ac_tab)" application_controller
check "  ... and global_name_server" contains \
	"$(printf '%s\n' "$ets" | grep -w global_names)" global_name_server
for r in $REFS; do
	check "anonymous table $r: its id whole" contains "$ets" "$r"
done
# Every row's cells line up under the titles: a cell never pushes the
# next column out of place (the OWNER column starts where its title does).
col=$(printf '%s\n' "$ets" | sed -n 2p | awk '{ print index($0, "OWNER") }')
check "columns line up under their titles" eq \
	"$(printf '%s\n' "$ets" | awk -v c="$col" 'NR > 2 && NF && substr($0, c - 1, 1) != " " { n++ } END { print n + 0 }')" 0

echo "the sort key's column is always shown"
"$BEAMTOP" -b -n 1 --lines 3 --sort heap "$NODE" >"$IT_TMP/heap" 2>/dev/null
check "-b --sort heap: a HEAP column" contains \
	"$(sed -n '/^PROCESSES by heap/{n;p}' "$IT_TMP/heap")" HEAP
"$BEAMTOP" -b -n 1 --lines 3 --sort binary "$NODE" >"$IT_TMP/bin" 2>/dev/null
check "-b --sort binary: a BINARY column" contains \
	"$(sed -n '/^PROCESSES by binary/{n;p}' "$IT_TMP/bin")" BINARY
screen_start 100x30 "$BEAMTOP" -d 1 --sort binary "$NODE"
check "the screen, --sort binary: the BINARY column, marked" wait_for "BINARY▼" 15

echo "the screen: columns as wide as what they show"
screen_start 160x40 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the ETS pane" wait_for "anon" 15
for r in $REFS; do
	check "160 columns: $r whole" wait_for "$r" 5
done
check "  ... and the owner's name whole" wait_for "application_controller" 5
screen_start 100x40 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the ETS pane at 100 columns" wait_for "anon" 15
ids=$(screen_text | grep -w anon | awk '{ print $NF }' | sort -u)
check "100 columns: three different ids for the three anonymous tables" \
	eq "$(printf '%s\n' "$ids" | grep -c .)" 3
for r in $REFS; do
	tail=${r##*.}
	check "  ... $r cut, if at all, before its end .$tail" \
		eq "$(printf '%s\n' "$ids" | grep -c -- "\.$tail\$")" 1
done
check "  ... a cut marked" eval 'printf "%s\n" "$ids" | grep -q "…"'
screen_start 80x30 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the ETS pane at 80 columns" wait_for "anon" 15
check "80 columns: the ids are still shown" eq \
	"$(screen_text | grep -w anon | awk '{ print $NF }' | sort -u | grep -c '>$')" 3
check "  ... an owner cut is marked" eval \
	'screen_text | grep -w ac_tab | grep -Eq "application(_controller|[a-z_]*…)"'
screen_end

echo "JSON before there is a rate"
LAST=$("$BEAMTOP" -b -n 1 --json "$NODE")
check "refresh 1: no rate, so reductions_per_sec is not exact" eq \
	"$(printf '%s' "$LAST" | jq -r '.processes.exact.reductions_per_sec')" null
check "  ... while every rate is null" eq \
	"$(printf '%s' "$LAST" | jq -r '[.processes.top[].reductions_per_sec] | map(select(. != null)) | length')" 0
LAST=$("$BEAMTOP" -b -n 2 -d 0.5 --json "$NODE" | tail -1)
check "refresh 2: a rate, and whether its top is exact" eq \
	"$(printf '%s' "$LAST" | jq -r '.processes.exact.reductions_per_sec | type')" boolean

echo "F2 keeps the ETS and ports sorts"
export XDG_CONFIG_HOME=$IT_TMP/xdg
screen_start 120x30 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the ETS pane" wait_for "sorted by MEMORY" 15
keys S
check "S: sorted by size" wait_for "sorted by SIZE" 5
keys 5
check "the ports pane" wait_for "sorted by IO/s" 5
keys '>'
check ">: sorted by IN/s" wait_for "sorted by IN/s" 5
keys F2
check "F2 saves" wait_for "settings saved to" 5
cfg=$(cat "$XDG_CONFIG_HOME/beamtop/config" 2>/dev/null)
check "  ... the ETS sort by name" contains "$cfg" "ets_sort = size"
check "  ... the ports sort by name" contains "$cfg" "ports_sort = input_per_sec"
screen_start 120x30 "$BEAMTOP" -d 1 --pane ets "$NODE"
check "the saved ETS sort comes back" wait_for "sorted by SIZE" 15
keys 5
check "  ... and the ports sort" wait_for "sorted by IN/s" 5
screen_end
rm -rf "$XDG_CONFIG_HOME"
unset XDG_CONFIG_HOME

echo "a group is listed in the group view's order"
screen_start 120x30 "$BEAMTOP" -d 1 --sort mq "$NODE"
check "the processes pane by queue" wait_for "sorted by message_queue_len" 15
keys G
check "G: groups" wait_for "groups of" 5
keys M
check "M: groups by memory" wait_for_row 6 "MEMORY▼" 5
keys Enter
check "Enter lists the group" wait_for "in group" 5
check "  ... sorted by memory, as the groups were" wait_for "sorted by memory" 5
check "  ... the MEMORY column marked" wait_for_row 6 "MEMORY▼" 5
screen_end

echo "links: the selection is on a link, never on the heading"
read -r first second < <(node_eval shapes '{links, [A, B | _]} = erlang:process_info(whereis(kernel_sup), links), pid_to_list(A) ++ " " ++ pid_to_list(B).' | tr -d '"')
# back_to_links: Esc, back on kernel_sup, then its links again.
back_to_links() {
	keys Escape
	check "Esc: back to kernel_sup" wait_for_row 5 "kernel_sup  memory" 5
	keys l
	wait_for "links (" 5 >/dev/null
}
screen_start 120x40 "$BEAMTOP" -d 1 --pid kernel_sup "$NODE"
check "the drill-down of kernel_sup" wait_for "kernel_sup  memory" 15
keys l
check "l: its links" wait_for "links (" 5
check "  ... the first is $first" wait_for "  $first" 5
keys Enter
check "Enter at once follows the first link" wait_for_row 5 "$first  " 5
back_to_links
keys Down Enter
check "Down, Enter: the second link, $second" wait_for_row 5 "$second  " 5
back_to_links
keys Down Up Up Enter
check "Down, Up, Up, Enter: the first link (Up stops there)" wait_for_row 5 "$first  " 5
screen_end

echo "one refc binary is a binary"
node_eval shapes 'register(it_one_bin, spawn(fun() -> B = erlang:list_to_binary(lists:duplicate(100000, 1)), receive stop -> B end end)), ok.' >/dev/null
screen_start 120x30 "$BEAMTOP" -d 1 --pid it_one_bin "$NODE"
check "the drill-down of it_one_bin" wait_for "it_one_bin  memory" 15
keys b
check "b: 1 refc binary, not binaries" wait_for "1 refc binary referred to" 10
screen_end
# A process that dropped its only binary: bin_leak frees it.
node_eval shapes 'Self = self(), P = spawn(fun() -> _ = erlang:list_to_binary(lists:duplicate(400000, 2)), Self ! made, receive stop -> ok end end), receive made -> ok end, register(it_drop_bin, P), ok.' >/dev/null
DROP=$(node_eval shapes 'pid_to_list(whereis(it_drop_bin)).' | tr -d '"')
screen_start 130x40 "$BEAMTOP" -d 1 "$NODE"
check "the processes pane" wait_for "sorted by memory" 15
keys B
check "B asks first" wait_for "bin_leak garbage-collects all" 5
keys y
check "bin_leak reports" wait_for "node's binary memory" 60
check "  ... it_drop_bin held its one binary: 'in 1 binary'" \
	contains "$(screen_text | grep -F "$DROP ")" "in 1 binary"
check "  ... and says nothing of 1 binaries" eq "$(screen_text | grep -c ' 1 binaries')" 0
screen_end

echo "a cookie file named on purpose"
printf '%s\n' "$COOKIE" >"$IT_TMP/COOKIE"
chmod 644 "$IT_TMP/COOKIE"
"$BEAMTOP" -b -n 1 --cookie-file "$IT_TMP/COOKIE" "$NODE" >/dev/null 2>"$IT_TMP/err"
check "mode 644 (as mix release writes it): read, exit 0" eq "$?" 0
check "  ... one line on stderr" eq "$(wc -l <"$IT_TMP/err")" 1
check "  ... a warning that names the file and its mode" contains \
	"$(cat "$IT_TMP/err")" "warning: cookie file $IT_TMP/COOKIE can be read by others (mode 644"
check "  ... without the cookie" eq "$(grep -c "$COOKIE" "$IT_TMP/err")" 0
# (~/.erlang.cookie open to others is still refused: it_errors.sh.)

it_done
