/*
 * input.c - the key table (see input.h).
 */
#include "beamtop/input.h"
#include "beamtop/term.h"

const struct binding input_bindings[] = {
	{ K_F1, "F1 ?  h", A_HELP, IN_ALL, "show this help", "Help" },
	{ '?', NULL, A_HELP, IN_ALL, NULL, NULL },
	{ 'h', NULL, A_HELP, IN_ALL, NULL, NULL },
	{ '1', "1-5", A_PANE1, IN_ALL, "Memory, Processes, Schedulers, ETS, Ports", NULL },
	{ '2', NULL, A_PANE2, IN_ALL, NULL, NULL },
	{ '3', NULL, A_PANE3, IN_ALL, NULL, NULL },
	{ '4', NULL, A_PANE4, IN_ALL, NULL, NULL },
	{ '5', NULL, A_PANE5, IN_ALL, NULL, NULL },
	{ K_TAB, "Tab S-Tab", A_NEXT_PANE, IN_ALL, "next / previous pane", NULL },
	{ K_BTAB, NULL, A_PREV_PANE, IN_ALL, NULL, NULL },
	{ K_UP, "Up Down", A_UP, IN_ALL, "move the selection", NULL },
	{ K_DOWN, NULL, A_DOWN, IN_ALL, NULL, NULL },
	{ K_PGUP, "PgUp PgDn", A_PGUP, IN_ALL, "a page up / down", NULL },
	{ K_PGDN, NULL, A_PGDN, IN_ALL, NULL, NULL },
	{ K_HOME, "Home End", A_HOME, IN_ALL, "first / last row", NULL },
	{ K_END, NULL, A_END, IN_ALL, NULL, NULL },
	{ K_ENTER, "Enter", A_ENTER, IN_LISTS | IN_DRILL,
	  "look into the process, table or port; a group: list it; "
	  "a line naming a pid or port: go there", "Info" },
	{ K_BACKSPACE, "Esc Bksp", A_BACK, IN_DRILL | IN_PROCS,
	  "back (clears the filter or leaves the group)", NULL },
	{ K_ESC, NULL, A_BACK, IN_DRILL | IN_LISTS, NULL, NULL },
	{ '/', "/ F3 F4", A_FILTER, IN_LISTS, "filter by name, pid or function", "Filter" },
	{ K_F3, NULL, A_FILTER, IN_LISTS, NULL, NULL },
	{ K_F4, NULL, A_FILTER, IN_LISTS, NULL, NULL },
	{ 'M', "M", A_SORT_MEM, IN_PROCS | IN_ETS | IN_PORTS, "sort by memory", "Mem" },
	{ 'S', "S", A_SORT_SIZE, IN_ETS, "sort tables by size", "Size" },
	{ 'g', "g", A_SORT_GROWTH, IN_ETS, "sort tables by growth", "Growth" },
	{ 'R', "R", A_SORT_REDS, IN_PROCS, "sort by reductions per second", "Reds" },
	{ 'Q', "Q", A_SORT_MQ, IN_PROCS, "sort by message queue", "MsgQ" },
	{ 'H', "H", A_SORT_HEAP, IN_PROCS, "sort by heap size (reads every process)", NULL },
	{ '<', "< > F6", A_SORT_LEFT, IN_LISTS, "sort by the column to the left / right", NULL },
	{ '>', NULL, A_SORT_RIGHT, IN_LISTS, NULL, NULL },
	{ K_F6, NULL, A_SORT_RIGHT, IN_LISTS, NULL, NULL },
	{ 'I', "I", A_INVERT, IN_LISTS, "invert the sort order", NULL },
	{ 'G', "G", A_GROUP, IN_PROCS, "group by initial call", "Group" },
	{ 'w', "w", A_WINDOW, IN_PROCS, "rates over: one refresh, 10 s, 60 s", "Window" },
	{ 'i', "i t l d a", A_SECTION, IN_PROC,
	  "info, stack, links and monitors, dictionary, ancestors (the last "
	  "three read when the drill-down opens; Enter reads them again)", NULL },
	{ 't', NULL, A_SECTION, IN_PROC, NULL, NULL },
	{ 'l', NULL, A_SECTION, IN_PROC, NULL, NULL },
	{ 'd', NULL, A_SECTION, IN_PROC, NULL, NULL },
	{ 'a', NULL, A_SECTION, IN_PROC, NULL, NULL },
	{ 'b', "b", A_SECTION, IN_PROC, "binaries the process refers to, on request", NULL },
	{ 'm', "m", A_SECTION, IN_PROC, "messages, read on request (bounded)", "Msgs" },
	{ 's', "s", A_SECTION, IN_PROC, "state via sys:get_state, on request", "State" },
	{ 'o', "o", A_SECTION, IN_TABLE, "a table's first objects, on request", "Objects" },
	{ 'n', "n", A_SECTION, IN_PORT, "a socket's peer, address and counters", "Socket" },
	{ 'C', "C", A_RAISE_CAP, IN_PROC | IN_TABLE, "let the node copy up to 64 MB (not 8) for "
	  "this drill-down's dictionary, messages, state, objects (asks first)", NULL },
	{ 'k', "k F9", A_KILL, IN_PROC | IN_PROCS, "kill the process (asks first)", "Kill" },
	{ K_F9, NULL, A_KILL, IN_PROC | IN_PROCS, NULL, NULL },
	{ 'g', "g", A_GC, IN_PROC, "garbage-collect the process (asks first)", NULL },
	{ 'B', "B", A_BINLEAK, IN_PROCS,
	  "bin_leak: collect every process, top by binary freed (asks first)", NULL },
	{ 'p', "p Space", A_PAUSE, IN_ALL, "pause the display (data keeps coming)", "Pause" },
	{ ' ', NULL, A_PAUSE, IN_ALL, NULL, NULL },
	{ '+', "+ -", A_SLOWER, IN_ALL, "refresh less / more often", NULL },
	{ '-', NULL, A_FASTER, IN_ALL, NULL, NULL },
	{ 12, "^L", A_REDRAW, IN_ALL, "redraw the screen", NULL },
	{ 'r', "r", A_RETRY, IN_ALL, "reconnect now, after the node refused our cookie",
	  NULL },
	{ K_F2, "F2", A_SAVE, IN_ALL, "save settings (interval, pane, sorts, window, "
	  "columns, colours) to ~/.config/beamtop/config", NULL },
	{ 'q', "q F10", A_QUIT, IN_ALL, "quit", "Quit" },
	{ K_F10, NULL, A_QUIT, IN_ALL, NULL, NULL },
};

const int input_nbindings = (int)(sizeof input_bindings / sizeof input_bindings[0]);

enum action input_action(int key, unsigned where)
{
	int i;

	for (i = 0; i < input_nbindings; i++)
		if (input_bindings[i].key == key && (input_bindings[i].where & where))
			return input_bindings[i].act;
	return A_NONE;
}

const struct binding_doc input_docs[] = {
	{ K_F1, IN_ALL, "show the help, made from this same table (Up and Down scroll it)" },
	{ '1', IN_ALL, "change pane: memory, processes, schedulers, ETS, ports" },
	{ K_UP, IN_ALL, "move the selection; once moved it stays on the same process, "
	  "table or port across refreshes and sorts; until then, and after Home, it "
	  "is the top row, whoever is on it" },
	{ 'p', IN_ALL, "pause the display; data keeps coming and shows on resume" },
	{ K_F2, IN_ALL, "save the settings (interval, pane, the sort of each list, rate "
	  "window, colours, scan budget, the processes pane's columns) by name, to "
	  "$XDG_CONFIG_HOME/beamtop/config (see FILES)" },
	{ K_ENTER, IN_LISTS, "look into the selected process, table (its ets:info) or port "
	  "(its port_info); on a group, list its processes in the groups' order; "
	  "on a line of a drill-down that names a process or port, go there" },
	{ K_BACKSPACE, IN_DRILL, "back: clear the filter, leave the group, or go back "
	  "through the places the drill-down followed, then to the list" },
	{ '/', IN_LISTS, "filter as you type: a case-insensitive part of the name, pid or "
	  "current function (tables: name or owner; ports: name, owner or id); "
	  "Enter keeps it, Esc clears it" },
	{ 'H', IN_PROCS, "sort by total heap size; the heap is not in observer_backend's "
	  "stream, so every process is read with process_info/2 each refresh, "
	  "which costs the node more (the status line says so)" },
	{ 'G', IN_PROCS, "group by initial call: count, memory and reductions per second "
	  "of each group; Enter lists a group, Esc leaves it" },
	{ 'w', IN_PROCS, "rates over one refresh, 10 s or 60 s windows (recon's proc_window)" },
	{ 'i', IN_PROC, "the sections of a process's drill-down: i, info, every refresh "
	  "(registered name, initial call (proc_lib's real one), current function, "
	  "status, memory, heap, stack and total heap, message queue, reductions, "
	  "trap_exit, priority, group leader, garbage collection); t, the current "
	  "stacktrace, with file:line; l, links, monitors and monitored-by (Enter on "
	  "one goes there); d, the process dictionary (proc_lib's $initial_call and "
	  "$ancestors said as such), only of a process that uses at most 8 MB; a, the "
	  "ancestors (supervisor) chain, each one followable. l, d and a are read "
	  "when the drill-down opens (Enter reads them again), not every refresh" },
	{ 'b', IN_PROC, "the refc binaries the process refers to (count and bytes), only "
	  "on request" },
	{ 'm', IN_PROC, "messages, only on request, at most 20; a long mailbox is never "
	  "copied (see NOTES)" },
	{ 's', IN_PROC, "state with sys:get_state, only on request, with a 2 s timeout, "
	  "and only of a process that uses at most 8 MB and waits, awake or "
	  "hibernating, in a loop that handles system messages (a module that "
	  "exports system_continue/3: gen_server, gen_statem, gen_event, "
	  "gen_server2, gen_batch_server, p1_server, or a loop of its own); any "
	  "other is not asked, and the section says why (see The drill-down)" },
	{ 'o', IN_TABLE, "for an ETS table: its first 20 objects (ets:match_object/3, "
	  "never the whole table; a private table says it cannot be read)" },
	{ 'n', IN_PORT, "for an inet port: peer, local address and inet:getstat counters" },
	{ 'k', IN_PROC, "kill the process (exit(Pid, kill)), after a y/N prompt that names "
	  "the pid and the call; refused with --read-only" },
	{ 'g', IN_PROC, "garbage-collect the process, after a y/N prompt that names the "
	  "pid and the call; refused with --read-only" },
	{ 'B', IN_PROCS, "recon's bin_leak: after a y/N prompt that says what it costs, "
	  "measure every process's refc binaries, garbage-collect every process, "
	  "measure again, and list the processes by binary memory freed, with the "
	  "node's erlang:memory(binary) before and after, showing which step it is "
	  "on; refused with --read-only" },
};

const int input_ndocs = (int)(sizeof input_docs / sizeof input_docs[0]);
