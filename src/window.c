/*
 * window.c - joins by identity and rates (see window.h).
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/window.h"

void keymap_init(struct keymap *m)
{
	memset(m, 0, sizeof *m);
}

void keymap_free(struct keymap *m)
{
	free(m->keys);
	free(m->vals);
	keymap_init(m);
}

int keymap_reset(struct keymap *m, size_t n)
{
	size_t cap = 64;

	while (cap < 2 * n + 1)
		cap *= 2;
	if (cap != m->cap) {
		uint64_t *k = malloc(cap * sizeof *k);
		uint32_t *v = malloc(cap * sizeof *v);

		if (!k || !v) {
			free(k);
			free(v);
			return -1;
		}
		free(m->keys);
		free(m->vals);
		m->keys = k;
		m->vals = v;
		m->cap = cap;
	}
	memset(m->vals, 0, m->cap * sizeof *m->vals);
	return 0;
}

static size_t slot(uint64_t key, size_t cap)
{
	/* Pid numbers are dense and sequential: mix them before masking. */
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

void keymap_put(struct keymap *m, uint64_t key, size_t idx)
{
	size_t j = slot(key, m->cap);

	while (m->vals[j] && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	m->keys[j] = key;
	m->vals[j] = (uint32_t)idx + 1;
}

long keymap_get(const struct keymap *m, uint64_t key)
{
	size_t j;

	if (!m->cap)
		return -1;
	j = slot(key, m->cap);
	while (m->vals[j]) {
		if (m->keys[j] == key)
			return (long)m->vals[j] - 1;
		j = (j + 1) & (m->cap - 1);
	}
	return -1;
}

uint64_t ets_key(const struct ets_tab *e)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	/* A table id is a reference of up to five words. */
	for (i = 0; i < e->id.len && i < 5; i++)
		h = (h ^ e->id.n[i]) * 1099511628211ULL;
	return e->id.len ? h : ((uint64_t)e->name << 1) | 1;
}

uint64_t port_key(const struct port_rec *p)
{
	return p->id.id;
}

static double rate(uint64_t now, uint64_t then, double dt)
{
	return ((double)now - (double)then) / dt;
}

typedef uint64_t (*row_key_fn)(const struct snapshot *s, size_t i);
/* Sets out[i] for cur's row i against base's row j (-1: not in base). */
typedef void (*pair_fn)(const struct snapshot *base, const struct snapshot *cur,
			size_t i, long j, double dt, void *out);

/* Pairs every row of cur with the row of base that has the same key.
 * Without a base (or time) every row is unpaired. */
static int join(const struct snapshot *base, size_t nb,
		const struct snapshot *cur, size_t nc, double dt,
		struct keymap *map, row_key_fn key, pair_fn pair, void *out)
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
		keymap_put(map, key(base, i), i);
	for (i = 0; i < nc; i++)
		pair(base, cur, i, keymap_get(map, key(cur, i)), dt, out);
	return 0;
}

static uint64_t proc_row_key(const struct snapshot *s, size_t i)
{
	return bt_pid_key(&s->procs[i].pid);
}

static void proc_pair(const struct snapshot *base, const struct snapshot *cur,
		      size_t i, long j, double dt, void *out)
{
	struct proc_delta *d = (struct proc_delta *)out + i;
	const struct proc *p = &cur->procs[i], *b;

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	b = &base->procs[j];
	/* Reductions only grow; a smaller count is a reused pid. */
	if (p->reductions >= b->reductions)
		d->reds_rate = rate(p->reductions, b->reductions, dt);
	else
		d->is_new = 1;
	d->mem_rate = rate(p->memory, b->memory, dt);
	d->mq_rate = rate(p->mq, b->mq, dt);
}

int window_procs(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct proc_delta *out)
{
	return join(base, base ? base->n_procs : 0, cur, cur->n_procs, dt, map,
		    proc_row_key, proc_pair, out);
}

static uint64_t ets_row_key(const struct snapshot *s, size_t i)
{
	return ets_key(&s->ets[i]);
}

static void ets_pair(const struct snapshot *base, const struct snapshot *cur,
		     size_t i, long j, double dt, void *out)
{
	struct ets_delta *d = (struct ets_delta *)out + i;
	const struct ets_tab *e = &cur->ets[i];

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	d->size_rate = rate(e->size, base->ets[j].size, dt);
	d->mem_rate = rate(e->memory, base->ets[j].memory, dt);
}

int window_ets(const struct snapshot *base, const struct snapshot *cur,
	       double dt, struct keymap *map, struct ets_delta *out)
{
	return join(base, base ? base->n_ets : 0, cur, cur->n_ets, dt, map,
		    ets_row_key, ets_pair, out);
}

static uint64_t port_row_key(const struct snapshot *s, size_t i)
{
	return port_key(&s->ports[i]);
}

static void port_pair(const struct snapshot *base, const struct snapshot *cur,
		      size_t i, long j, double dt, void *out)
{
	struct port_delta *d = (struct port_delta *)out + i;
	const struct port_rec *p = &cur->ports[i], *b;

	memset(d, 0, sizeof *d);
	if (j < 0) {
		d->is_new = 1;
		return;
	}
	b = &base->ports[j];
	d->in_rate = p->input >= b->input ? rate(p->input, b->input, dt) : 0;
	d->out_rate = p->output >= b->output ? rate(p->output, b->output, dt) : 0;
}

int window_ports(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct port_delta *out)
{
	return join(base, base ? base->n_ports : 0, cur, cur->n_ports, dt, map,
		    port_row_key, port_pair, out);
}
