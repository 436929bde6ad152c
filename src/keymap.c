/*
 * keymap.c - the identity maps of keymap.h.  Capacities are powers of two
 * and kept at most half (keymap) or three quarters (pidmap) full, so that
 * a probe stays short; a map keeps its arrays across refreshes and only
 * reallocates when the row count moves to another power of two.
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/keymap.h"
#include "beamtop/snapshot.h"

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

void pidmap_init(struct pidmap *m)
{
	m->slot = NULL;
	m->cap = 0;
}

void pidmap_free(struct pidmap *m)
{
	free(m->slot);
	pidmap_init(m);
}

/* Maps rows from..n_procs of s; the map has room for all of them. */
static void pidmap_put(struct pidmap *m, const struct snapshot *s, size_t from)
{
	size_t i;

	for (i = from; i < s->n_procs; i++) {
		size_t j = slot(bt_pid_key(&s->procs[i].pid), m->cap);

		while (m->slot[j])
			j = (j + 1) & (m->cap - 1);
		m->slot[j] = (uint32_t)i + 1;
	}
}

/* The capacity for n processes: at most three quarters full. */
static size_t pidmap_cap(size_t n)
{
	size_t cap = 64;

	while (cap < n + n / 3 + 1)
		cap *= 2;
	return cap;
}

/* Maps every process of s in a table of cap slots. */
static int build_cap(struct pidmap *m, const struct snapshot *s, size_t cap)
{
	if (cap != m->cap) {
		uint32_t *sl = malloc(cap * sizeof *sl);

		if (!sl)
			return -1;
		free(m->slot);
		m->slot = sl;
		m->cap = cap;
	}
	memset(m->slot, 0, m->cap * sizeof *m->slot);
	pidmap_put(m, s, 0);
	return 0;
}

int pidmap_build(struct pidmap *m, const struct snapshot *s)
{
	return build_cap(m, s, pidmap_cap(s->n_procs));
}

int pidmap_extend(struct pidmap *m, const struct snapshot *s, size_t from,
		  size_t room)
{
	if (from == 0 || from > s->n_procs || m->cap < pidmap_cap(s->n_procs))
		return build_cap(m, s, pidmap_cap(room > s->n_procs ? room :
						  s->n_procs));
	pidmap_put(m, s, from);
	return 0;
}

long pidmap_get(const struct pidmap *m, const struct snapshot *s, uint64_t key)
{
	size_t j;

	if (!m->cap)
		return -1;
	j = slot(key, m->cap);
	while (m->slot[j]) {
		size_t row = m->slot[j] - 1;

		if (row < s->n_procs && bt_pid_key(&s->procs[row].pid) == key)
			return (long)row;
		j = (j + 1) & (m->cap - 1);
	}
	return -1;
}
