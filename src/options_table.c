/*
 * options_table.c - the rows of the options table (see options.h): every
 * option of the command line and every name of the settings file, in the
 * order --help and the man page list them.  A row says everything about its
 * setting; the two hooks below are for the values that belong to other
 * modules (the sort keys of the model, the processes pane's columns).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/config.h"
#include "beamtop/fields.h"
#include "beamtop/options.h"
#include "beamtop/opts.h"

static int sort_parse(struct opts *o, const char *val, char *err, size_t n)
{
	int s = proc_sort_parse(val);

	(void)err;
	(void)n;
	if (s < 0)
		return -1;
	o->sort = (enum proc_sort)s;
	return 0;
}

static int sort_format(const struct opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "%s", proc_sort_name(o->sort));
	return 0;
}

static int columns_parse(struct opts *o, const char *val, char *err, size_t n)
{
	int cols[16];

	/* Cut short, the list would name other columns than the ones given. */
	if (strlen(val) >= sizeof o->columns) {
		snprintf(err, n, "the column list is longer than %zu bytes",
			 sizeof o->columns - 1);
		return -1;
	}
	if (config_columns(val, cols, 16, err, n) < 0)
		return -1;
	snprintf(o->columns, sizeof o->columns, "%s", val);
	return 0;
}

static int columns_format(const struct opts *o, char *buf, size_t n)
{
	if (!o->columns[0])
		return -1;
	snprintf(buf, n, "%s", o->columns);
	return 0;
}

/* The sort keys to list: the model knows more, and their aliases. */
static const char *const sort_names[] = {
	"memory", "reductions_per_sec", "message_queue_len", "reductions", "heap",
	"binary", "memory_per_sec", NULL
};
/* The ETS and ports panes' sort keys by their field tables' names (as
 * check_config.c checks). */
static const char *const ets_sort_names[] = {
	"memory", "size", "memory_per_sec", NULL
};
static const unsigned ets_sort_values[] = {
	ETS_SORT_MEMORY, ETS_SORT_SIZE, ETS_SORT_GROWTH
};
static const char *const ports_sort_names[] = {
	"io_per_sec", "input_per_sec", "output_per_sec", "queue_size", "memory", NULL
};
static const unsigned ports_sort_values[] = {
	PORT_SORT_IO, PORT_SORT_IN, PORT_SORT_OUT, PORT_SORT_QUEUE, PORT_SORT_MEMORY
};
static const char *const pane_names[] = {
	"memory", "processes", "schedulers", "ets", "ports", NULL
};
static const char *const collector_names[] = { "auto", "backend", "plain", NULL };
static const unsigned collector_values[] = { PROCS_AUTO, PROCS_BACKEND, PROCS_PLAIN };
static const char *const color_names[] = { "on", "off", NULL }; /* no_color 0, 1 */
static const char *const window_names[] = { "0", "10", "60", NULL };
static const unsigned window_values[] = { 0, 10, 60 };

#define AT(field) offsetof(struct opts, field)

const struct options_def options_table[] = {
	{ .name = "batch", .short_name = 'b', .type = OPTIONS_FLAG,
	  .off = AT(batch), .store = OPTIONS_INT,
	  .help = "print reports instead of the screen",
	  .man = "Print reports on standard output instead of the screen, like\n"
		".BR \"top \\-b\" .\n"
		"See\n"
		".BR \"BATCH MODE\" .\n" },
	{ .name = "iterations", .short_name = 'n', .type = OPTIONS_COUNT,
	  .arg = "N", .min = 1, .max = 1000000000, .off = AT(iterations),
	  .store = OPTIONS_LONG, .want = "a positive count",
	  .help = "stop after N refreshes (default: run on)",
	  .man = "Stop after\n"
		".I N\n"
		"refreshes (default: run until interrupted).\n" },
	{ .name = "delay", .short_name = 'd', .key = "interval",
	  .type = OPTIONS_SECONDS, .arg = "SECONDS", .min = 100,
	  .off = AT(delay_ms), .store = OPTIONS_UINT, .def = "2",
	  .want = "a number of seconds from 0.1 to 86400",
	  .help = "time between refreshes",
	  .man = "Time between refreshes, fractions allowed, at least 0.1 (default 2).\n"
		"A refresh that takes longer than this stretches the interval; requests\n"
		"never pile up.\n" },
	{ .name = "sort", .short_name = 's', .key = "sort", .type = OPTIONS_CUSTOM,
	  .arg = "KEY", .names = sort_names, .def = "memory",
	  .parse = sort_parse, .format = sort_format, .want = "a sort key",
	  .help = "sort key",
	  .man = "Sort processes by\n"
		".B memory\n"
		"(the default),\n"
		".B reductions_per_sec\n"
		".RB ( reds ),\n"
		".B message_queue_len\n"
		".RB ( mq ),\n"
		".BR reductions ,\n"
		".B heap\n"
		"(total heap size),\n"
		".B binary\n"
		"(bytes of refc binaries referenced) or\n"
		".BR memory_per_sec .\n"
		".B heap\n"
		"and\n"
		".B binary\n"
		"make\n"
		".B beamtop\n"
		"read every process with\n"
		".BR process_info/2 ,\n"
		"which costs the node more.\n" },
	{ .name = "lines", .key = "lines", .type = OPTIONS_COUNT, .arg = "N",
	  .min = 1, .max = 100000, .off = AT(lines), .store = OPTIONS_ULONG,
	  .def = "20", .want = "a count from 1 to 100000",
	  .help = "rows in each list",
	  .man = "Rows in each list of a batch report (default 20).\n" },
	{ .name = "json", .type = OPTIONS_FLAG, .off = AT(json),
	  .store = OPTIONS_INT,
	  .help = "batch: one JSON object per refresh",
	  .man = "In batch mode, one JSON object per refresh, one per line.\n" },
	{ .name = "partial", .type = OPTIONS_FLAG, .off = AT(partial),
	  .store = OPTIONS_INT,
	  .help = "batch: reports of the first full scan while it streams",
	  .man = "In batch mode, while the first full scan streams (seconds at a million\n"
		"processes), also print partial reports of what it has read so far:\n"
		"the first as soon as the node-wide figures are in, then one every\n"
		".B \\-d\n"
		"seconds while rows come.  They are marked (JSON:\n"
		".B processes.partial\n"
		"is true,\n"
		".B processes.complete\n"
		"and\n"
		".B processes.exact.memory\n"
		"false), hold no rates, and are not counted by\n"
		".BR \\-n .\n" },
	{ .name = "reconnect", .type = OPTIONS_FLAG, .off = AT(reconnect),
	  .store = OPTIONS_INT,
	  .help = "batch: when the node goes away, keep trying",
	  .man = "In batch mode, keep trying when the node goes away or stops answering,\n"
		"and resume the reports when it is back (the screen always does).\n"
		"When the node refuses our cookie, the next try is 15 s later, then\n"
		"twice as late each time up to 60 s, each said on standard error.\n" },
	{ .name = "cookie-file", .type = OPTIONS_STRING, .arg = "FILE",
	  .off = AT(cookie_file), .store = OPTIONS_STR,
	  .help = "read the cookie from FILE",
	  .man = "Read the cookie from\n"
		".IR FILE ,\n"
		"a regular file holding printable ASCII (a trailing newline is ignored),\n"
		"as\n"
		".BR erl (1)\n"
		"wants it.\n"
		"A file that group or others can read (a\n"
		".B mix release\n"
		"writes\n"
		".I releases/COOKIE\n"
		"with mode 644) is read all the same, with a one-line warning on\n"
		"standard error; only\n"
		".I ~/.erlang.cookie\n"
		"is refused then, as\n"
		".BR erl (1)\n"
		"refuses it.\n" },
	{ .name = "cookie", .type = OPTIONS_STRING, .arg = "COOKIE",
	  .off = AT(cookie), .store = OPTIONS_STR,
	  .help = "the cookie itself (visible in ps: avoid)",
	  .man = "The cookie itself.\n"
		"Other users can see it in\n"
		".BR ps (1),\n"
		"so\n"
		".B beamtop\n"
		"warns; prefer\n"
		".B \\-\\-cookie\\-file\n"
		"or\n"
		".BR ERLANG_COOKIE .\n" },
	{ .name = "name", .type = OPTIONS_STRING, .arg = "NAME",
	  .off = AT(name), .store = OPTIONS_STR,
	  .help = "our node name (default: beamtop, else beamtop_2...16)",
	  .man = "Our own node name,\n"
		".I alive\n"
		"or\n"
		".IR alive@host\n"
		"(default\n"
		".BR beamtop ,\n"
		"or\n"
		".B beamtop_2\n"
		"\\&...\n"
		".B beamtop_16\n"
		"while other beamtops on this host hold those: a node name is an atom on\n"
		"the target, so the same few are reused; short or long as the target's\n"
		"name is).\n" },
	{ .name = "port", .type = OPTIONS_COUNT, .arg = "PORT", .min = 1,
	  .max = 65535, .off = AT(port), .store = OPTIONS_INT,
	  .want = "a TCP port (1-65535)",
	  .help = "the node's distribution port (skip epmd)",
	  .man = "Connect to the node's distribution port directly, without asking epmd\n"
		"(a node started with a fixed\n"
		".B inet_dist_listen_min\n"
		"and\n"
		".BR inet_dist_listen_max ,\n"
		"a container, an ssh tunnel).\n" },
	{ .name = "address", .type = OPTIONS_STRING, .arg = "HOST", .min = 1,
	  .off = AT(address), .store = OPTIONS_STR,
	  .want = "a host name or IPv4 address",
	  .help = "connect to HOST, not NAME's host (tunnels, containers)",
	  .man = "Connect to\n"
		".I HOST\n"
		"instead of the host part of\n"
		".IR NAME@HOST ,\n"
		"which is still the node's name in the handshake: for an ssh tunnel or a\n"
		"container's published port, where the node's own host name does not\n"
		"resolve or does not lead to it.\n"
		"Whatever the way there, the node that answers is asked its name: one\n"
		"that is not\n"
		".I NAME@HOST\n"
		"(epmd on localhost found another host's node of that name) is refused\n"
		"with exit status 2, unless\n"
		".B \\-\\-address\n"
		"or\n"
		".B \\-\\-port\n"
		"was given: then the node's own name is shown, and said on stderr.\n" },
	{ .name = "timeout", .type = OPTIONS_SECONDS, .arg = "SECONDS",
	  .min = 100, .off = AT(timeout_ms), .store = OPTIONS_UINT, .def = "5",
	  .want = "a number of seconds from 0.1 to 86400",
	  .help = "deadline for connecting and for each call",
	  .man = "Deadline for connecting and for each call to the node (default 5).\n"
		"A node that does not answer within it is reported, never waited for.\n" },
	{ .name = "collector", .type = OPTIONS_CHOICE, .arg = "WHICH",
	  .names = collector_names, .values = collector_values,
	  .off = AT(source), .store = OPTIONS_INT, .def = "auto",
	  .want = "a collector",
	  .help = "process list source",
	  .man = "Where the process list comes from:\n"
		".B auto\n"
		"(the default: observer_backend where the node has loaded it, from\n"
		"runtime_tools, which beamtop never loads; else plain: see NOTES),\n"
		".B backend\n"
		".RB ( observer_backend:procs_info ,\n"
		"streamed in chunks) or\n"
		".B plain\n"
		".RB ( erlang:processes\n"
		"and\n"
		".B process_info\n"
		"in chunks).\n" },
	{ .name = "budget", .key = "budget", .type = OPTIONS_COUNT,
	  .arg = "PERCENT", .min = 1, .max = 100, .off = AT(budget),
	  .store = OPTIONS_UINT, .def = "10",
	  .want = "a percentage from 1 to 100",
	  .help = "of one scheduler for full process scans, 100: scan every "
		  "refresh",
	  .man = "The share of one scheduler that full process scans may cost the node,\n"
		"1 to 100 (default 10).\n"
		"Between full scans only the candidates for the top of each list are read\n"
		"again; the node's global counters tell when the lists could be wrong,\n"
		"and a scan is made then.\n"
		"100 scans every process on every refresh.\n" },
	{ .name = "agent", .type = OPTIONS_FLAG, .off = AT(agent),
	  .store = OPTIONS_INT,
	  .help = "load a small collector into the node (opt-in)",
	  .man = "Load a small streaming collector module,\n"
		".BR beamtop_agent ,\n"
		"into the node with\n"
		".BR code:load_binary/3 ,\n"
		"for the cheapest full scans (numbers only; names are asked for the rows\n"
		"shown).\n"
		"It is loaded once, used as it is when already there, and never purged\n"
		"(purging scans every process).\n"
		"Refused with\n"
		".B \\-\\-read\\-only\n"
		"and on a node older than the OTP\n"
		".B beamtop\n"
		"was built with.\n" },
	{ .name = "demo", .type = OPTIONS_FLAG, .off = AT(demo),
	  .store = OPTIONS_INT,
	  .help = "start a throwaway demo node and watch it",
	  .man = "Start a throwaway demo node on loopback (busy workers, a growing heap, a\n"
		"mailbox backlog, refc binaries, a growing ETS table, a port) and watch\n"
		"it.\n"
		"Needs\n"
		".BR erl (1)\n"
		"where\n"
		".B beamtop\n"
		"runs.\n"
		"The node stops when\n"
		".B beamtop\n"
		"exits.\n" },
	{ .name = "pane", .key = "pane", .type = OPTIONS_CHOICE, .arg = "NAME",
	  .names = pane_names, .off = AT(pane), .store = OPTIONS_STR,
	  .def = "processes", .want = "a pane",
	  .help = "first pane",
	  .man = "The pane to start on:\n"
		".BR memory ,\n"
		".B processes\n"
		"(the default),\n"
		".BR schedulers ,\n"
		".B ets\n"
		"or\n"
		".BR ports .\n" },
	{ .name = "pid", .type = OPTIONS_STRING, .arg = "PID", .off = AT(pid),
	  .store = OPTIONS_STR,
	  .help = "open the drill-down of PID (or a name)",
	  .man = "Open the drill-down of\n"
		".I PID\n"
		"at once:\n"
		".B <0.123.0>\n"
		"or a registered name\n"
		".RB ( my_server ,\n"
		".BR MyApp.Worker ),\n"
		"also as either shell writes the atom\n"
		".RB ( Elixir.MyApp.Worker ,\n"
		".BR \\(aqElixir.MyApp.Worker\\(aq ,\n"
		".BR :my_server ).\n"
		"The name is looked up among the atoms the node has, never made one.\n" },
	{ .name = "read-only", .type = OPTIONS_FLAG, .off = AT(read_only),
	  .store = OPTIONS_INT,
	  .help = "no actions that change the node",
	  .man = "No action that changes the node: kill, garbage collection, bin_leak and\n"
		".B \\-\\-agent\n"
		"are refused by the connection itself, whatever asks.\n" },
	{ .name = "no-color", .type = OPTIONS_FLAG, .off = AT(no_color),
	  .store = OPTIONS_INT,
	  .help = "no colours (also $NO_COLOR)",
	  .man = "No colours; the memory bar shows letters instead.\n" },
	{ .name = "help", .short_name = 'h', .type = OPTIONS_FLAG, .stop = 1,
	  .off = AT(help), .store = OPTIONS_INT,
	  .help = "this text",
	  .man = "Print a short help and exit.\n" },
	{ .name = "version", .short_name = 'V', .type = OPTIONS_FLAG, .stop = 1,
	  .off = AT(version), .store = OPTIONS_INT,
	  .help = "version, and the OTP it was built with",
	  .man = "Print the version and the OTP and erl_interface it was built with, and\n"
		"exit.\n" },
	/* The settings file only: what the screen changes and F2 keeps.
	 * (--no-color's file form: $NO_COLOR is not a setting, see main.c.) */
	{ .key = "color", .type = OPTIONS_CHOICE, .names = color_names,
	  .off = AT(no_color), .store = OPTIONS_INT, .def = "on" },
	{ .key = "window", .type = OPTIONS_CHOICE, .names = window_names,
	  .values = window_values, .off = AT(window_s), .store = OPTIONS_UINT,
	  .def = "0" },
	{ .key = "columns", .type = OPTIONS_CUSTOM, .parse = columns_parse,
	  .format = columns_format },
	{ .key = "ets_sort", .type = OPTIONS_CHOICE, .names = ets_sort_names,
	  .values = ets_sort_values, .off = AT(ets_sort), .store = OPTIONS_INT,
	  .def = "memory", .want = "a sort key of the ETS pane" },
	{ .key = "ports_sort", .type = OPTIONS_CHOICE, .names = ports_sort_names,
	  .values = ports_sort_values, .off = AT(ports_sort), .store = OPTIONS_INT,
	  .def = "io_per_sec", .want = "a sort key of the ports pane" },
};

const size_t options_count = sizeof options_table / sizeof options_table[0];

_Static_assert(sizeof options_table / sizeof options_table[0] <= OPTIONS_MAX,
	       "OPTIONS_MAX is too small for the table");
