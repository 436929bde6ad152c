/*
 * opts.c - the command line (see opts.h): getopt_long over the rows of the
 * options table (options_table.c), then the rules that tie options and the
 * node operand together.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/fields.h"
#include "beamtop/options.h"
#include "beamtop/opts.h"

/* getopt_long answers a row's long option with OPT_ROW + the row's index,
 * its short one with the letter. */
#define OPT_ROW 256

void opts_usage(FILE *f)
{
	fputs("usage: beamtop [OPTIONS] NAME@HOST\n"
	      "       beamtop --demo [OPTIONS]\n"
	      "A top for Erlang/Elixir nodes: joins NAME@HOST as a hidden node.\n"
	      "\n", f);
	options_help(f);
	fputs("\n"
	      "Cookie: --cookie-file, else $ERLANG_COOKIE, else ~/.erlang.cookie.\n"
	      "Exit status: 0 done, 1 connection lost, 2 bad usage or cannot connect.\n",
	      f);
}

void opts_init(struct opts *o)
{
	memset(o, 0, sizeof *o);
	options_defaults(o);
}

int opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	opts_init(o);
	return opts_args(o, argc, argv, err, errlen);
}

/* getopt_long's two tables from the rows that have a long name; shorts
 * starts with ':' so that a missing value is told from an unknown option. */
static void getopt_tables(struct option *lo, char *shorts)
{
	const struct options_def *d;
	size_t i, k = 0, s = 0;

	shorts[s++] = ':';
	for (i = 0; i < options_count; i++) {
		d = &options_table[i];
		if (!d->name)
			continue;
		lo[k].name = d->name;
		lo[k].has_arg = d->type == OPTIONS_FLAG ? no_argument
							: required_argument;
		lo[k].flag = NULL;
		lo[k].val = OPT_ROW + (int)i;
		k++;
		if (d->short_name) {
			shorts[s++] = d->short_name;
			if (d->type != OPTIONS_FLAG)
				shorts[s++] = ':';
		}
	}
	memset(&lo[k], 0, sizeof lo[k]);
	shorts[s] = '\0';
}

/* getopt_long says '?' both for an unknown option and for a value given
 * to a flag (--json=1), with optopt then holding the flag's code, not a
 * letter: tell the two apart from the argument itself. */
static void unknown(const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	const struct options_def *d;
	size_t i, len;

	if (strncmp(arg, "--", 2) == 0 && eq) {
		len = (size_t)(eq - arg - 2);
		for (i = 0; i < options_count; i++) {
			d = &options_table[i];
			if (d->name && d->type == OPTIONS_FLAG &&
			    strlen(d->name) == len && strncmp(d->name, arg + 2, len) == 0) {
				snprintf(err, errlen, "option --%s takes no value",
					 d->name);
				return;
			}
		}
	}
	if (arg[0] == '-' && arg[1] != '-' && optopt > 0 && optopt < 128)
		snprintf(err, errlen, "unknown option -%c", optopt);
	else
		snprintf(err, errlen, "unknown option %s", arg);
}

/* val into o for row d.  Returns 0, or -1 with err naming the option by its
 * long name (also when it was given by its short one). */
static int take(struct opts *o, const struct options_def *d, const char *val,
		char *err, size_t errlen)
{
	char why[200], want[300];

	if (options_set(o, d, val, why, sizeof why) == 0)
		return 0;
	if (why[0])
		snprintf(err, errlen, "--%s: %s", d->name, why);
	else
		snprintf(err, errlen, "--%s: '%s' is not %s", d->name, val,
			 options_want(d, want, sizeof want));
	return -1;
}

/* What no single option can check: the node operand, and the options that
 * exclude each other. */
static int rules(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
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
	return 0;
}

int opts_args(struct opts *o, int argc, char **argv, char *err, size_t errlen)
{
	struct option lo[OPTIONS_MAX + 1];
	char shorts[2 * OPTIONS_MAX + 2];
	const struct options_def *d;
	int c;

	getopt_tables(lo, shorts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == ':') {
			snprintf(err, errlen, "%s needs a value", argv[optind - 1]);
			return -1;
		}
		d = c >= OPT_ROW ? &options_table[c - OPT_ROW] : options_by_short(c);
		if (!d) {
			unknown(argv[optind - 1], err, errlen);
			return -1;
		}
		if (take(o, d, optarg, err, errlen) < 0)
			return -1;
		if (d->stop)
			return 0;
	}
	return rules(o, argc, argv, err, errlen);
}
