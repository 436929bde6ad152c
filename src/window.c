/*
 * window.c - joins by identity and rates (see window.h).
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/keymap.h"
#include "beamtop/snapshot.h"
#include "beamtop/window.h"

static double rate(uint64_t now, uint64_t then, double dt)
{
	return ((double)now - (double)then) / dt;
}

/* The key of row i of some rows (a snapshot's, or a sample set's). */
typedef uint64_t (*row_key_fn)(const void *rows, size_t i);
/* Sets out[i] for cur's row i against base's row j (-1: not in base). */
typedef void (*pair_fn)(const void *base, const struct snapshot *cur,
			size_t i, long j, double dt, void *out);

/* Pairs every row of cur with the row of base that has the same key.
 * Without a base (or time) every row is unpaired. */
static int join(const void *base, size_t nb, row_key_fn base_key,
		const struct snapshot *cur, size_t nc, row_key_fn cur_key,
		double dt, struct keymap *map, pair_fn pair, void *out)
{
	size_t i;
	int rc = 0;

	if (!base || dt <= 0 || keymap_reset(map, nb) < 0) {
		rc = base && dt > 0 ? -1 : 0;
		for (i = 0; i < nc; i++)
			pair(base, cur, i, -1, dt, out);
		return rc;
	}
	for (i = 0; i < nb; i++)
		keymap_put(map, base_key(base, i), i);
	for (i = 0; i < nc; i++)
		pair(base, cur, i, keymap_get(map, cur_key(cur, i)), dt, out);
	return 0;
}

static uint64_t proc_row_key(const void *s, size_t i)
{
	return bt_pid_key(&((const struct snapshot *)s)->procs[i].pid);
}

static uint64_t sample_row_key(const void *set, size_t i)
{
	return ((const struct sample_set *)set)->v[i].key;
}

/* The rates of process p against what it had (reds, mem, mq) dt ago. */
static void proc_rates(struct proc_delta *d, const struct proc *p, uint64_t reds,
		       uint64_t mem, uint32_t mq, double dt)
{
	/* Reductions only grow; a smaller count is a reused pid. */
	if (p->reductions >= reds) {
		d->reds_rate = (float)rate(p->reductions, reds, dt);
		d->span = 1;
	} else {
		d->is_new = 1;
	}
	d->mem_rate = (float)rate(p->memory, mem, dt);
	d->mq_rate = (float)rate(p->mq, mq, dt);
}

static void proc_pair(const void *base, const struct snapshot *cur, size_t i,
		      long j, double dt, void *out)
{
	struct proc_delta *d = (struct proc_delta *)out + i;
	const struct proc *b;

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	b = &((const struct snapshot *)base)->procs[j];
	proc_rates(d, &cur->procs[i], b->reductions, b->memory, b->mq, dt);
}

static void sample_pair(const void *base, const struct snapshot *cur, size_t i,
			long j, double dt, void *out)
{
	struct proc_delta *d = (struct proc_delta *)out + i;
	const struct proc_sample *b;

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	b = &((const struct sample_set *)base)->v[j];
	proc_rates(d, &cur->procs[i], b->reds, b->mem, b->mq, dt);
}

int window_procs(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct proc_delta *out)
{
	return join(base, base ? base->n_procs : 0, proc_row_key, cur,
		    cur->n_procs, proc_row_key, dt, map, proc_pair, out);
}

int window_procs_mapped(const struct snapshot *base, const struct pidmap *base_map,
			const struct snapshot *cur, double dt, struct proc_delta *out)
{
	/* A base row carried over from a full scan holds what that scan read:
	 * its rate spans the time since then. */
	double stale_dt = base ? (double)(cur->t_ms - base->stale_t_ms) / 1000.0 : 0;
	double span = dt > 0 && stale_dt > dt ? stale_dt / dt : 1;
	size_t i;

	for (i = 0; i < cur->n_procs; i++) {
		long j = base && dt > 0 ?
			 pidmap_get(base_map, base, bt_pid_key(&cur->procs[i].pid)) : -1;
		int old = j >= 0 && (base->procs[j].have & PF_STALE) && stale_dt > 0;

		proc_pair(base, cur, i, j, old ? stale_dt : dt, out);
		if (old && out[i].span)
			out[i].span = (uint8_t)(span > 254 ? 255 : (int)span + 1);
	}
	return 0;
}

int window_procs_since(const struct sample_set *base, const struct snapshot *cur,
		       double dt, struct keymap *map, struct proc_delta *out)
{
	const struct sample_set *b = base && base->valid ? base : NULL;

	return join(b, b ? b->n : 0, sample_row_key, cur, cur->n_procs,
		    proc_row_key, dt, map, sample_pair, out);
}

int sample_set_take(struct sample_set *set, const struct snapshot *s)
{
	size_t i;

	set->valid = 0;
	if (s->n_procs > set->cap) {
		struct proc_sample *v = realloc(set->v, s->n_procs * sizeof *v);

		if (!v)
			return -1;
		set->v = v;
		set->cap = s->n_procs;
	}
	for (i = 0; i < s->n_procs; i++) {
		const struct proc *p = &s->procs[i];

		set->v[i].key = bt_pid_key(&p->pid);
		set->v[i].reds = p->reductions;
		set->v[i].mem = p->memory;
		set->v[i].mq = p->mq;
	}
	set->n = s->n_procs;
	set->t_ms = s->t_ms;
	set->valid = 1;
	return 0;
}

void sample_set_free(struct sample_set *set)
{
	free(set->v);
	memset(set, 0, sizeof *set);
}

static uint64_t ets_row_key(const void *s, size_t i)
{
	return ets_key(&((const struct snapshot *)s)->ets[i]);
}

static void ets_pair(const void *base, const struct snapshot *cur, size_t i,
		     long j, double dt, void *out)
{
	struct ets_delta *d = (struct ets_delta *)out + i;
	const struct ets_tab *e = &cur->ets[i], *b;

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	b = &((const struct snapshot *)base)->ets[j];
	d->size_rate = rate(e->size, b->size, dt);
	d->mem_rate = rate(e->memory, b->memory, dt);
}

int window_ets(const struct snapshot *base, const struct snapshot *cur,
	       double dt, struct keymap *map, struct ets_delta *out)
{
	return join(base, base ? base->n_ets : 0, ets_row_key, cur, cur->n_ets,
		    ets_row_key, dt, map, ets_pair, out);
}

static uint64_t port_row_key(const void *s, size_t i)
{
	return port_key(&((const struct snapshot *)s)->ports[i]);
}

static void port_pair(const void *base, const struct snapshot *cur, size_t i,
		      long j, double dt, void *out)
{
	struct port_delta *d = (struct port_delta *)out + i;
	const struct port_rec *p = &cur->ports[i], *b;

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	b = &((const struct snapshot *)base)->ports[j];
	d->in_rate = p->input >= b->input ? rate(p->input, b->input, dt) : 0;
	d->out_rate = p->output >= b->output ? rate(p->output, b->output, dt) : 0;
}

int window_ports(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct port_delta *out)
{
	return join(base, base ? base->n_ports : 0, port_row_key, cur,
		    cur->n_ports, port_row_key, dt, map, port_pair, out);
}
