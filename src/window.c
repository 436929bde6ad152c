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

int window_procs(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct proc_delta *out)
{
	size_t i;

	memset(out, 0, cur->n_procs * sizeof *out);
	if (!base || dt <= 0 || keymap_reset(map, base->n_procs) < 0) {
		for (i = 0; i < cur->n_procs; i++)
			out[i].is_new = 1;
		return base && dt > 0 ? -1 : 0;
	}
	for (i = 0; i < base->n_procs; i++)
		keymap_put(map, bt_pid_key(&base->procs[i].pid), i);
	for (i = 0; i < cur->n_procs; i++) {
		const struct proc *p = &cur->procs[i], *b;
		long j = keymap_get(map, bt_pid_key(&p->pid));

		if (j < 0) {
			out[i].is_new = 1;
			continue;
		}
		b = &base->procs[j];
		/* Reductions only grow; a smaller count is a reused pid. */
		if (p->reductions >= b->reductions)
			out[i].reds_rate = rate(p->reductions, b->reductions, dt);
		else
			out[i].is_new = 1;
		out[i].mem_rate = rate(p->memory, b->memory, dt);
		out[i].mq_rate = rate(p->mq, b->mq, dt);
	}
	return 0;
}

int window_ets(const struct snapshot *base, const struct snapshot *cur,
	       double dt, struct keymap *map, struct ets_delta *out)
{
	size_t i;

	memset(out, 0, cur->n_ets * sizeof *out);
	if (!base || dt <= 0 || keymap_reset(map, base->n_ets) < 0) {
		for (i = 0; i < cur->n_ets; i++)
			out[i].is_new = 1;
		return base && dt > 0 ? -1 : 0;
	}
	for (i = 0; i < base->n_ets; i++)
		keymap_put(map, ets_key(&base->ets[i]), i);
	for (i = 0; i < cur->n_ets; i++) {
		const struct ets_tab *e = &cur->ets[i];
		long j = keymap_get(map, ets_key(e));

		if (j < 0) {
			out[i].is_new = 1;
			continue;
		}
		out[i].size_rate = rate(e->size, base->ets[j].size, dt);
		out[i].mem_rate = rate(e->memory, base->ets[j].memory, dt);
	}
	return 0;
}

int window_ports(const struct snapshot *base, const struct snapshot *cur,
		 double dt, struct keymap *map, struct port_delta *out)
{
	size_t i;

	memset(out, 0, cur->n_ports * sizeof *out);
	if (!base || dt <= 0 || keymap_reset(map, base->n_ports) < 0) {
		for (i = 0; i < cur->n_ports; i++)
			out[i].is_new = 1;
		return base && dt > 0 ? -1 : 0;
	}
	for (i = 0; i < base->n_ports; i++)
		keymap_put(map, port_key(&base->ports[i]), i);
	for (i = 0; i < cur->n_ports; i++) {
		const struct port_rec *p = &cur->ports[i], *b;
		long j = keymap_get(map, port_key(p));

		if (j < 0) {
			out[i].is_new = 1;
			continue;
		}
		b = &base->ports[j];
		out[i].in_rate = p->input >= b->input ? rate(p->input, b->input, dt) : 0;
		out[i].out_rate = p->output >= b->output ?
				  rate(p->output, b->output, dt) : 0;
	}
	return 0;
}
