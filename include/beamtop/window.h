/*
 * window.h - deltas between two snapshots, keyed by identity, as rates.
 *
 * Rows are joined by pid (table id, port id), never by position.  A row
 * that is not in the base snapshot appeared inside the window: it is marked
 * new and given no rate, because its lifetime total is not a rate over the
 * window.  A row that died in the window is simply not in the current
 * snapshot, so it is never reported.
 */
#ifndef BEAMTOP_WINDOW_H
#define BEAMTOP_WINDOW_H

#include <stddef.h>
#include <stdint.h>

struct keymap;
struct pidmap;
struct snapshot;

/* Floats: a million of them are kept twice, and rates need no more. */
struct proc_delta {
	float reds_rate;    /* reductions per second */
	float mem_rate;     /* bytes per second, signed */
	float mq_rate;      /* messages per second, signed */
	uint8_t is_new;
	/* Over how long the rates were measured, in refresh intervals
	 * rounded up: 1 for a process read now and at the last refresh; more
	 * when its last read is older (a row carried from a full scan), and
	 * then what it did in this interval alone may be up to span times
	 * its rate; 0 without a rate. */
	uint8_t span;
};

struct ets_delta {
	double size_rate;   /* objects per second, signed */
	double mem_rate;    /* bytes per second, signed */
	uint8_t is_new;
};

struct port_delta {
	double in_rate, out_rate;  /* bytes per second */
	uint8_t is_new;
};

/* What a window base keeps of each process: just enough for its rates. */
struct proc_sample {
	uint64_t key;        /* bt_pid_key() */
	uint64_t reds, mem;
	uint32_t mq;
};

struct sample_set {
	struct proc_sample *v;
	size_t n, cap;
	uint64_t t_ms;       /* when the snapshot it came from began */
	int valid;
};

/* Fills set from s's processes.  Returns 0, or -1 (set invalid) when out
 * of memory. */
int sample_set_take(struct sample_set *set, const struct snapshot *s);
/* Frees set's rows and leaves it empty (not valid). */
void sample_set_free(struct sample_set *set);

/* Fills out[i] for every row of cur against base, over dt seconds (dt <= 0
 * or base NULL: every row new).  map is scratch space.  Return 0, or -1
 * when out of memory (then every row is marked new). */
int window_procs(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct proc_delta *out);
/* As window_procs(), with base_map already mapping base's pids to rows
 * (the model keeps one for its current snapshot). */
int window_procs_mapped(const struct snapshot *base, const struct pidmap *base_map,
			const struct snapshot *cur, double dt, struct proc_delta *out);

/* As window_procs(), against a window base taken earlier. */
int window_procs_since(const struct sample_set *base, const struct snapshot *cur,
		       double dt, struct keymap *map, struct proc_delta *out);
int window_ets(const struct snapshot *base, const struct snapshot *cur,
	       double dt, struct keymap *map, struct ets_delta *out);
int window_ports(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct port_delta *out);

#endif
