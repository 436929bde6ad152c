/*
 * opts.c - the command line (see opts.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/opts.h"

enum {
	OPT_JSON = 256, OPT_COOKIE, OPT_COOKIE_FILE, OPT_NAME, OPT_PORT,
	OPT_TIMEOUT, OPT_LINES, OPT_DEMO, OPT_PANE, OPT_PID, OPT_NO_COLOR,
	OPT_READ_ONLY, OPT_COLLECTOR, OPT_RECONNECT, OPT_BUDGET, OPT_AGENT,
	OPT_ADDRESS
};

static const struct option long_opts[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "sort", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "lines", required_argument, NULL, OPT_LINES },
	{ "cookie", required_argument, NULL, OPT_COOKIE },
	{ "cookie-file", required_argument, NULL, OPT_COOKIE_FILE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "address", required_argument, NULL, OPT_ADDRESS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "pane", required_argument, NULL, OPT_PANE },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "collector", required_argument, NULL, OPT_COLLECTOR },
	{ "reconnect", no_argument, NULL, OPT_RECONNECT },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "agent", no_argument, NULL, OPT_AGENT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

void opts_usage(FILE *f)
{
	fputs("usage: beamtop [OPTIONS] NAME@HOST\n"
	      "       beamtop --demo [OPTIONS]\n"
	      "A top for Erlang/Elixir nodes: joins NAME@HOST as a hidden node.\n"
	      "\n"
	      "  -b, --batch            print reports instead of the screen\n"
	      "  -n, --iterations N     stop after N refreshes (default: run on)\n"
	      "  -d, --delay SECONDS    time between refreshes (default 2)\n"
	      "  -s, --sort KEY         memory, reductions_per_sec, message_queue_len,\n"
	      "                         reductions, heap, binary, memory_per_sec\n"
	      "      --lines N          rows in each list (default 20)\n"
	      "      --json             batch: one JSON object per refresh\n"
	      "      --reconnect        batch: when the node goes away, keep trying\n"
	      "      --cookie-file FILE read the cookie from FILE\n"
	      "      --cookie COOKIE    the cookie itself (visible in ps: avoid)\n"
	      "      --name NAME        our node name (default: beamtop, else beamtop_2...16)\n"
	      "      --port PORT        the node's distribution port (skip epmd)\n"
	      "      --address HOST     connect to HOST, not NAME's host (tunnels,\n"
	      "                         containers)\n"
	      "      --timeout SECONDS  deadline for connecting and for each call (5)\n"
	      "      --collector WHICH  process list source: auto, backend, plain\n"
	      "      --budget PERCENT   of one scheduler for full process scans (10);\n"
	      "                         100 scans every refresh\n"
	      "      --agent            load a small collector into the node (opt-in)\n"
	      "      --demo             start a throwaway demo node and watch it\n"
	      "      --pane NAME        first pane: memory, processes, schedulers, ets,\n"
	      "                         ports\n"
	      "      --pid PID          open the drill-down of PID (or a name)\n"
	      "      --read-only        no actions that change the node\n"
	      "      --no-color         no colours (also $NO_COLOR)\n"
	      "  -h, --help             this text\n"
	      "  -V, --version          version, and the OTP it was built with\n"
	      "\n"
	      "Cookie: --cookie-file, else $ERLANG_COOKIE, else ~/.erlang.cookie.\n"
	      "Exit status: 0 done, 1 connection lost, 2 bad usage or cannot connect.\n",
	      f);
}

static int bad(char *err, size_t errlen, const char *opt, const char *val,
	       const char *want)
{
	snprintf(err, errlen, "%s: '%s' is not %s", opt, val, want);
	return -1;
}

void opts_init(struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->delay_ms = 2000;
	o->timeout_ms = 5000;
	o->lines = 20;
	o->sort = SORT_MEMORY;
	o->iterations = -1;
	o->source = PROCS_AUTO;
	o->budget = 10;
}

int opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	opts_init(o);
	return opts_args(o, argc, argv, err, errlen);
}

/* getopt_long says '?' both for an unknown option and for a value given
 * to a flag (--json=1), with optopt then holding the flag's code, not a
 * letter: tell the two apart from the argument itself. */
static void unknown(const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	const struct option *lo;

	if (strncmp(arg, "--", 2) == 0 && eq) {
		for (lo = long_opts; lo->name; lo++)
			if (lo->has_arg == no_argument &&
			    strlen(lo->name) == (size_t)(eq - arg - 2) &&
			    strncmp(lo->name, arg + 2, (size_t)(eq - arg - 2)) == 0) {
				snprintf(err, errlen, "option --%s takes no value",
					 lo->name);
				return;
			}
	}
	if (arg[0] == '-' && arg[1] != '-' && optopt > 0 && optopt < 128)
		snprintf(err, errlen, "unknown option -%c", optopt);
	else
		snprintf(err, errlen, "unknown option %s", arg);
}

int opts_args(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	unsigned long v;
	int c, s;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":bn:d:s:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = 1;
			break;
		case 'n':
			if (parse_uint(optarg, 1000000000UL, &v) < 0 || v == 0)
				return bad(err, errlen, "--iterations", optarg,
					   "a positive count");
			o->iterations = (long)v;
			break;
		case 'd':
			if (parse_seconds(optarg, &o->delay_ms) < 0 || o->delay_ms < 100)
				return bad(err, errlen, "--delay", optarg,
					   "a number of seconds from 0.1 to 86400");
			break;
		case 's':
			s = proc_sort_parse(optarg);
			if (s < 0)
				return bad(err, errlen, "--sort", optarg,
					   "a sort key (memory, reductions_per_sec, "
					   "message_queue_len, reductions, heap, binary, "
					   "memory_per_sec)");
			o->sort = (enum proc_sort)s;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_LINES:
			if (parse_uint(optarg, 100000, &v) < 0 || v == 0)
				return bad(err, errlen, "--lines", optarg,
					   "a count from 1 to 100000");
			o->lines = v;
			break;
		case OPT_COOKIE:
			o->cookie = optarg;
			break;
		case OPT_COOKIE_FILE:
			o->cookie_file = optarg;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_PORT:
			if (parse_uint(optarg, 65535, &v) < 0 || v == 0)
				return bad(err, errlen, "--port", optarg,
					   "a TCP port (1-65535)");
			o->port = (int)v;
			break;
		case OPT_ADDRESS:
			if (!*optarg)
				return bad(err, errlen, "--address", optarg,
					   "a host name or IPv4 address");
			o->address = optarg;
			break;
		case OPT_TIMEOUT:
			if (parse_seconds(optarg, &o->timeout_ms) < 0 ||
			    o->timeout_ms < 100)
				return bad(err, errlen, "--timeout", optarg,
					   "a number of seconds from 0.1 to 86400");
			break;
		case OPT_DEMO:
			o->demo = 1;
			break;
		case OPT_PANE:
			if (strcmp(optarg, "memory") && strcmp(optarg, "processes") &&
			    strcmp(optarg, "schedulers") && strcmp(optarg, "ets") &&
			    strcmp(optarg, "ports"))
				return bad(err, errlen, "--pane", optarg,
					   "a pane (memory, processes, schedulers, ets, "
					   "ports)");
			o->pane = optarg;
			break;
		case OPT_PID:
			o->pid = optarg;
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_READ_ONLY:
			o->read_only = 1;
			break;
		case OPT_RECONNECT:
			o->reconnect = 1;
			break;
		case OPT_AGENT:
			o->agent = 1;
			break;
		case OPT_BUDGET:
			if (parse_uint(optarg, 100, &v) < 0 || v == 0)
				return bad(err, errlen, "--budget", optarg,
					   "a percentage from 1 to 100");
			o->budget = (unsigned)v;
			break;
		case OPT_COLLECTOR:
			if (strcmp(optarg, "auto") == 0)
				o->source = PROCS_AUTO;
			else if (strcmp(optarg, "backend") == 0)
				o->source = PROCS_BACKEND;
			else if (strcmp(optarg, "plain") == 0)
				o->source = PROCS_PLAIN;
			else
				return bad(err, errlen, "--collector", optarg,
					   "auto, backend or plain");
			break;
		case 'h':
			o->help = 1;
			return 0;
		case 'V':
			o->version = 1;
			return 0;
		case ':':
			snprintf(err, errlen, "%s needs a value", argv[optind - 1]);
			return -1;
		default:
			unknown(argv[optind - 1], err, errlen);
			return -1;
		}
	}
	if (optind < argc)
		o->node = argv[optind++];
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (one node only)",
			 argv[optind]);
		return -1;
	}
	if (!o->node && !o->demo) {
		snprintf(err, errlen, "no node given: beamtop NAME@HOST (or --demo)");
		return -1;
	}
	if (o->node && o->demo) {
		snprintf(err, errlen, "--demo starts its own node: give no NAME@HOST");
		return -1;
	}
	if (o->agent && o->read_only) {
		snprintf(err, errlen, "--agent loads code into the node, which "
			 "--read-only forbids");
		return -1;
	}
	if (o->cookie && o->cookie_file) {
		snprintf(err, errlen, "--cookie and --cookie-file: give one");
		return -1;
	}
	if (o->iterations < 0)
		o->iterations = 0; /* like top -b: until interrupted */
	return 0;
}
