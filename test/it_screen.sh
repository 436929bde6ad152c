#!/usr/bin/env bash
# it_screen.sh - the real screen in tmux against a node with a planted
# load: each pane's leader, sorting, filter, selection by identity,
# grouping, resizing, help, and quitting with the terminal restored.
. "$(dirname "$0")/lib.sh"

start_epmd
start_node target
NODE=target@$HOST
export LC_ALL=C.UTF-8

screen_start 120x40 "$BEAMTOP" -d 1 "$NODE"
check "the processes pane comes up" wait_for "processes  sorted by memory" 15
# Row 7 is the first process: title, memory, cpu, tabs, summary, header.
check "it_big_heap leads by memory" wait_for "it_big_heap" 5
check "  ... in the first row" contains "$(row 7)" it_big_heap
check "the sorted column is marked" contains "$(row 6)" "MEMORY▼"
check "the header names the node" contains "$(row 1)" "$NODE"
check "the header shows the OTP release" contains "$(row 1)" "OTP "
check "the function keys are listed" contains "$(row 40)" "Help"

keys R
check "R: it_busy leads reductions/s" wait_for_row 7 it_busy 5
check "R: the REDS/s column is marked" contains "$(row 6)" "REDS/s▼"
keys Q
check "Q: it_mailbox leads the queues" wait_for_row 7 it_mailbox 5
check "Q: its queue is shown" contains "$(row 7)" "50.0k"
keys I
check "I: inverted, the mark turns" wait_for_row 6 "MSGQ▲" 5
keys I M
check "M: it_big_heap first again" wait_for_row 7 it_big_heap 5
keys H
check "H: heap sort shows the heap column" wait_for_row 6 "HEAP▼" 5
check "H: it_big_heap has the biggest heap" wait_for_row 7 it_big_heap 8
keys '>'
check "> moves the sort to the next column" wait_for_row 6 "MEM/s▼" 5
keys M


echo "filter"
keys / i t _ m a i l
check "the filter narrows to one process" wait_for_row 5 "1 of" 5
check "  ... it_mailbox" contains "$(row 7)" it_mailbox
check "the status line shows what is typed" contains "$(row 40)" "Filter: it_mail"
keys Escape
check "Esc clears the filter" wait_not_row 5 "^1 of" 5

echo "a new sort shows the top of the new order (as htop)"
keys Home
check "the first row is it_big_heap" wait_for_row 7 it_big_heap 5
keys R
check "after R, the top by reductions/s is the first row" wait_for_row 7 it_busy 5
before=$(screen_text)
keys Enter
check "Enter opens a process" wait_for "memory" 5
opened=$(screen_text | sed -n 5p | awk '{ print $1 }')
check "  ... one that was on the screen (the selection stays on the first page)" \
	contains "$before" "$opened"
check "  ... the top row's: after Home the selection stays on the top row" \
	contains "$(screen_text | sed -n 1,8p)" it_busy
check "its info is shown" wait_for "total heap size" 5
keys Escape
check "Esc goes back to the list" wait_for_row 5 "processes" 5
keys M

echo "other panes"
keys 4
check "4: the ETS pane, it_big_table first" wait_for_row 7 it_big_table 5
check "  ... owned by it_table_owner" contains "$(row 7)" it_table_owner
keys 5
check "5: the ports pane lists cat" wait_for "cat" 5
check "  ... connected to it_port_owner" contains "$(screen_text | grep ' cat ')" it_port_owner
keys 1
check "1: the memory pane lists binary" wait_for "binary" 5
check "  ... and the limits" contains "$(screen_text)" "LIMITS"
keys 3
check "3: the schedulers pane" wait_for "dirty_cpu" 5
check "  ... says whether CPU bound" contains "$(row 5)" "CPU bound"
keys Tab
check "Tab goes to the next pane" wait_for_row 5 "tables" 5
keys 2 G
check "G groups by initial call" wait_for_row 5 "groups of" 5
keys Enter
check "Enter on a group lists its processes" wait_for_row 5 "in group" 5
keys Escape G
sleep 1

echo "htop's function keys"
keys F4 i t _ m a
check "F4 filters, as in htop" wait_for_row 40 "Filter: it_ma" 5
keys Escape Home F9
check "F9 on the list asks before killing the selected process" \
	wait_for_row 40 "Kill <" 5
keys n
check "  ... and n sends nothing" wait_for_row 40 "cancelled: nothing was sent" 5

echo "keys of the whole screen"
keys w
check "w: rates over windows" wait_for "rates over windows of 10 s" 5
keys w w p
check "p: paused, and says so" wait_for_row 1 "PAUSED" 5
keys p
check "p again: running" wait_not_row 1 "PAUSED" 5
keys +
check "+: refresh less often" wait_for_row 1 "every 2.0s" 5
keys -
check "the note goes, the function keys come back" wait_for_row 40 "Help" 10
keys '?'
check "?: the help, made from the key table" wait_for_row 1 "beamtop keys" 5
check "  ... which lists the group key" contains "$(screen_text)" "group by initial call"
keys x
sleep 1

echo "resizing"
tm resize-window -t t -x 80 -y 24
check "80x24: the header is there" wait_for_row 1 "$NODE" 5
check "80x24: the tabs are there" contains "$(row 4)" "Processes"
check "80x24: the current function column fits" contains "$(row 6)" "CURRENT"
check "80x24: the function keys are on the last line" contains "$(row 24)" "Help"
tm resize-window -t t -x 40 -y 10
check "40x10: says it is too small" wait_for "too small: need 60x15" 5
tm resize-window -t t -x 20 -y 5
check "20x5: names the whole minimum size" wait_for "need 60x15" 5
tm resize-window -t t -x 120 -y 40
keys Home
check "back to 120x40: the list again" wait_for_row 7 it_big_heap 5

echo "the node dies and comes back"
{ kill -KILL "$NODE_PID_target"; wait "$NODE_PID_target"; } 2>/dev/null
check "the header says DISCONNECTED" wait_for "DISCONNECTED" 5
check "the last data stays on screen" contains "$(row 7)" it_big_heap
check "the status line says why" contains "$(row 40)" "$NODE"
rm -f "$IT_TMP/target.ready"
start_node target
# (The first refreshes of a node that has just started may be slow on a
# loaded machine: wait for the link and for data that is not stale, not
# for a refresh to land in a given second.)
check "beamtop reconnects by itself" wait_not_row 1 "DISCONNECTED" 30
check "  ... and shows the new node's data" wait_not_row 1 "STALE|data [0-9]{2,}" 20
keys Home
check "  ... with the planted leader again" wait_for_row 7 it_big_heap 5

keys q
check "q exits with status 0" wait_for "EXIT=0" 5
check "the terminal left the alternate screen" eq "$(tm display -p -t t '#{alternate_on}')" 0
check "the cursor is visible again" eq "$(tm display -p -t t '#{cursor_flag}')" 1

echo "the HEAP column while sorted by memory"
screen_start 200x40 "$BEAMTOP" -d 1 "$NODE"
check "the list, with its HEAP column" wait_for_row 6 "HEAP" 15
# it_big_heap holds a list of a million integers: ~16 MB of heap.  Not
# read by the scan (sorted by memory), it is read for the rows shown.
# The MiB figures on it_big_heap's row: its memory, and its heap when known.
mib_on_row() { screen_text | grep it_big_heap | grep -o 'MiB' | wc -l; }
check "  ... shows it_big_heap's heap, not '-'" wait_for_re "it_big_heap .* [0-9.]+ MiB .*[0-9.]+ MiB" 10
check "  ... and keeps it over the next refreshes" \
	test "$(for i in 1 2 3 4 5 6; do mib_on_row; sleep 0.4; done | grep -c '^[01]$')" -eq 0
keys q
wait_for "EXIT=" 5 >/dev/null

echo "no terminal"
out=$("$BEAMTOP" "$NODE" </dev/null 2>&1 >/dev/null)
check "not a tty: one line, exit 2" contains "$out" "needs a terminal"
screen_start 100x30 env TERM=dumb "$BEAMTOP" "$NODE"
check "TERM=dumb: refused with a clear line" wait_for "TERM is dumb" 5
check "  ... and exit 2" wait_for "EXIT=2" 5

it_done
