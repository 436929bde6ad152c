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
sleep 2.5
check "R: it_busy leads reductions/s" contains "$(row 7)" it_busy
check "R: the REDS/s column is marked" contains "$(row 6)" "REDS/s▼"
keys Q
sleep 1.2
check "Q: it_mailbox leads the queues" contains "$(row 7)" it_mailbox
check "Q: its queue is shown" contains "$(row 7)" "50.0k"
keys I
sleep 1.2
check "I: inverted, the mark turns" contains "$(row 6)" "MSGQ▲"
keys I M
sleep 1.2
check "M: it_big_heap first again" contains "$(row 7)" it_big_heap
keys H
sleep 3.5
check "H: heap sort shows the heap column" contains "$(row 6)" "HEAP▼"
check "H: it_big_heap has the biggest heap" contains "$(row 7)" it_big_heap
keys '>'
sleep 1.2
check "> moves the sort to the next column" contains "$(row 6)" "MEM/s▼"
keys M

echo "filter"
keys / i t _ m a i l
sleep 1.2
check "the filter narrows to one process" contains "$(row 5)" "1 of"
check "  ... it_mailbox" contains "$(row 7)" it_mailbox
check "the status line shows what is typed" contains "$(row 40)" "Filter: it_mail"
keys Escape
sleep 1.2
check "Esc clears the filter" eq "$(row 5 | grep -c '^1 of')" 0

echo "a new sort shows the top of the new order (as htop)"
keys Home
sleep 1.2
check "the first row is it_big_heap" contains "$(row 7)" it_big_heap
keys R
check "after R, the top by reductions/s is the first row" wait_for_row 7 it_busy 5
before=$(screen_text)
keys Enter
check "Enter opens a process" wait_for "memory" 5
opened=$(screen_text | sed -n 5p | awk '{ print $1 }')
check "  ... one that was on the screen (the selection stays on the first page)" \
	contains "$before" "$opened"
check "its info is shown" wait_for "total heap size" 5
keys Escape
sleep 1
check "Esc goes back to the list" contains "$(row 5)" "processes"
keys M

echo "other panes"
keys 4
sleep 1.2
check "4: the ETS pane, it_big_table first" contains "$(row 7)" it_big_table
check "  ... owned by it_table_owner" contains "$(row 7)" it_table_owner
keys 5
sleep 1.2
check "5: the ports pane lists cat" contains "$(screen_text)" "cat"
check "  ... connected to it_port_owner" contains "$(screen_text | grep ' cat ')" it_port_owner
keys 1
sleep 1.2
check "1: the memory pane lists binary" contains "$(screen_text)" "binary"
check "  ... and the limits" contains "$(screen_text)" "LIMITS"
keys 3
sleep 1.2
check "3: the schedulers pane" contains "$(screen_text)" "dirty_cpu"
check "  ... says whether CPU bound" contains "$(row 5)" "CPU bound"
keys Tab
sleep 1.2
check "Tab goes to the next pane" contains "$(row 5)" "tables"
keys 2 G
sleep 1.2
check "G groups by initial call" contains "$(row 5)" "groups of"
keys Enter
sleep 1.2
check "Enter on a group lists its processes" contains "$(row 5)" "in group"
keys Escape G
sleep 1

echo "htop's function keys"
keys F4 i t _ m a
sleep 1.2
check "F4 filters, as in htop" contains "$(row 40)" "Filter: it_ma"
keys Escape Home F9
sleep 0.5
check "F9 on the list asks before killing the selected process" \
	contains "$(row 40)" "Kill <"
keys n
sleep 0.5
check "  ... and n sends nothing" contains "$(row 40)" "cancelled: nothing was sent"

echo "keys of the whole screen"
keys w
sleep 1.5
check "w: rates over windows" contains "$(screen_text)" "rates over windows of 10 s"
keys w w p
sleep 1.5
check "p: paused, and says so" contains "$(row 1)" "PAUSED"
keys p
sleep 1.2
check "p again: running" eq "$(row 1 | grep -c PAUSED)" 0
keys +
sleep 1.2
check "+: refresh less often" contains "$(row 1)" "every 2.0s"
keys -
sleep 4.5
check "the note goes, the function keys come back" contains "$(row 40)" "Help"
keys '?'
sleep 1
check "?: the help, made from the key table" contains "$(row 1)" "beamtop keys"
check "  ... which lists the group key" contains "$(screen_text)" "group by initial call"
keys x
sleep 1

echo "resizing"
tm resize-window -t t -x 80 -y 24
sleep 1.5
check "80x24: the header is there" contains "$(row 1)" "$NODE"
check "80x24: the tabs are there" contains "$(row 4)" "Processes"
check "80x24: the current function column fits" contains "$(row 6)" "CURRENT"
check "80x24: the function keys are on the last line" contains "$(row 24)" "Help"
tm resize-window -t t -x 40 -y 10
sleep 1.2
check "40x10: says it is too small" contains "$(screen_text)" "too small: need 60x15"
tm resize-window -t t -x 20 -y 5
check "20x5: names the whole minimum size" wait_for "need 60x15" 5
tm resize-window -t t -x 120 -y 40
keys Home
sleep 1.2
check "back to 120x40: the list again" contains "$(row 7)" it_big_heap

echo "the node dies and comes back"
{ kill -KILL "$NODE_PID_target"; wait "$NODE_PID_target"; } 2>/dev/null
check "the header says DISCONNECTED" wait_for "DISCONNECTED" 5
check "the last data stays on screen" contains "$(row 7)" it_big_heap
check "the status line says why" contains "$(row 40)" "$NODE"
rm -f "$IT_TMP/target.ready"
start_node target
check "beamtop reconnects by itself" wait_for "0.0s old" 15
check "  ... and shows the new node's data" eq "$(row 1 | grep -c DISCONNECTED)" 0
keys Home
sleep 1.2
check "  ... with the planted leader again" contains "$(row 7)" it_big_heap

keys q
check "q exits with status 0" wait_for "EXIT=0" 5
check "the terminal left the alternate screen" eq "$(tm display -p -t t '#{alternate_on}')" 0
check "the cursor is visible again" eq "$(tm display -p -t t '#{cursor_flag}')" 1

echo "no terminal"
out=$("$BEAMTOP" "$NODE" </dev/null 2>&1 >/dev/null)
check "not a tty: one line, exit 2" contains "$out" "needs a terminal"
screen_start 100x30 env TERM=dumb "$BEAMTOP" "$NODE"
check "TERM=dumb: refused with a clear line" wait_for "TERM is dumb" 5
check "  ... and exit 2" wait_for "EXIT=2" 5

it_done
