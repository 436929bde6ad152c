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

#include "beamtop/snapshot.h"

/* Floats: a million of them are kept twice, and rates need no more. */
struct proc_delta {
	float reds_rate;    /* reductions per second */
	float mem_rate;     /* bytes per second, signed */
	float mq_rate;      /* messages per second, signed */
	uint8_t is_new;
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
void sample_set_free(struct sample_set *set);

/* An open-addressing map from 64-bit keys to row indices. */
struct keymap {
	uint64_t *keys;
	uint32_t *vals;   /* index + 1; 0 marks a free slot */
	size_t cap;
};

void keymap_init(struct keymap *m);
void keymap_free(struct keymap *m);
/* Makes room for n keys and empties the map.  Returns 0 or -1. */
int keymap_reset(struct keymap *m, size_t n);
void keymap_put(struct keymap *m, uint64_t key, size_t idx);
/* Index stored for key, or -1. */
long keymap_get(const struct keymap *m, uint64_t key);

/* Pid -> row of one snapshot's processes, 4 bytes a slot: the key is read
 * back from the row, which matters at a million processes. */
struct pidmap {
	uint32_t *slot;   /* row + 1; 0 marks a free slot */
	size_t cap;
};

void pidmap_init(struct pidmap *m);
void pidmap_free(struct pidmap *m);
/* Maps every process of s.  Returns 0, or -1 when out of memory. */
int pidmap_build(struct pidmap *m, const struct snapshot *s);
/* Row of the process with this key in s (the snapshot m was built for),
 * or -1. */
long pidmap_get(const struct pidmap *m, const struct snapshot *s, uint64_t key);

uint64_t ets_key(const struct ets_tab *e);
uint64_t port_key(const struct port_rec *p);

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
