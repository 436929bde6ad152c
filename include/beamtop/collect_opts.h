/*
 * collect_opts.h - how the collector is told to work: where the process
 * list comes from, what it reads, its budget for full scans, and its
 * owner's stop flag and hook.  Apart from collect.h so that the command
 * line (opts.h) and the engine can hold these settings without knowing
 * the collector or the connection.
 */
#ifndef BEAMTOP_COLLECT_OPTS_H
#define BEAMTOP_COLLECT_OPTS_H

#include <stdatomic.h>

struct collector;

enum procs_source {
	PROCS_AUTO,      /* observer_backend when present, else plain */
	PROCS_BACKEND,   /* observer_backend:procs_info/1, streamed in chunks */
	PROCS_PLAIN      /* erlang:processes/0 then process_info/2 by chunks */
};

struct collect_opts {
	enum procs_source source;
	unsigned extra;          /* PF_HEAP, PF_BIN: fields beyond the basics */
	int no_procs, no_ets, no_ports;
	unsigned chunk;          /* pids per plain chunk; 0: default */
	int agent;               /* --agent: full scans by the loaded agent */
	/* Share of one scheduler's time that full process scans may take on
	 * the node, in percent; between them only the candidates (see
	 * collect_set_candidates) are read.  100 or more: a full scan every
	 * refresh. */
	unsigned budget;
	/* When set (by a signal handler), a refresh gives up at once. */
	const atomic_int *stop;
	/* Called about every 50 ms while a refresh or collect_idle() waits,
	 * so that the owner can start side calls (see collect_side()). */
	void (*hook)(void *ctx, struct collector *col);
	void *hook_ctx;
};

#endif
