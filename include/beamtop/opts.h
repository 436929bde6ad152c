/*
 * opts.h - the command line.  Options are parsed with getopt_long, from the
 * rows of the options table (options.h), into one struct that the settings
 * file fills first; every bad value is refused with a one-line message that
 * names the option.
 */
#ifndef BEAMTOP_OPTS_H
#define BEAMTOP_OPTS_H

#include <stddef.h>
#include <stdio.h>

#include "beamtop/collect_opts.h"
#include "beamtop/model.h"

struct opts {
	const char *node;         /* NAME@HOST, or NULL with --demo */
	int batch;                /* -b */
	long iterations;          /* -n; 0 = forever */
	unsigned delay_ms;        /* -d */
	unsigned timeout_ms;      /* --timeout */
	unsigned long lines;      /* --lines: rows per list */
	enum proc_sort sort;      /* --sort */
	int json;                 /* --json */
	const char *cookie;       /* --cookie (warned about) */
	const char *cookie_file;  /* --cookie-file */
	const char *name;         /* --name */
	int port;                 /* --port; 0 = epmd */
	const char *address;      /* --address; NULL = NAME's host */
	int demo;                 /* --demo */
	const char *pane;         /* --pane */
	const char *pid;          /* --pid */
	int no_color;             /* --no-color, or color = off */
	int read_only;            /* --read-only */
	int reconnect;            /* --reconnect: batch keeps trying */
	int partial;              /* --partial: batch reports of the first
				     full scan while it streams */
	unsigned budget;          /* --budget: % of a scheduler for full scans */
	int agent;                /* --agent: load the streaming collector */
	unsigned window_s;        /* rates over windows of this many s (0: one
				     refresh); from the settings file */
	char columns[256];        /* processes pane columns, or "" */
	int ets_sort;             /* the ETS pane's enum ets_sort, and the */
	int ports_sort;           /* ports pane's enum port_sort: from the
				     settings file */
	enum procs_source source; /* --collector */
	int help, version;
};

/* Sets the built-in defaults (the options table's). */
void opts_init(struct opts *o);

/* Applies argv on top of what o holds (defaults, then the settings file).
 * Returns 0, or -1 with a one-line message in err (which names the option
 * at fault). */
int opts_args(struct opts *o, int argc, char **argv, char *err, size_t errlen);

/* opts_init() then opts_args(). */
int opts_parse(struct opts *o, int argc, char **argv, char *err, size_t errlen);

/* Writes the short --help text. */
void opts_usage(FILE *f);

#endif
