/*
 * conn_calls.c - the table of calls waiting for their reply (see
 * conn_priv.h).
 *
 * A reply is matched to its call by the reference the call was sent with,
 * never by order: calls are pipelined and answered in any order, and a
 * reply that comes after its call was forgotten (deadline, cancel) finds
 * nothing here and is dropped.  A handful of calls are in flight at once,
 * so a plain array searched end to end is the right size.
 */
#include <stdlib.h>
#include <string.h>

#include "conn_priv.h"

long conn_calls_add(struct conn_calls *t, const uint32_t ref[3], uint64_t deadline)
{
	struct conn_pending *p;

	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		struct conn_pending *v = realloc(t->v, (size_t)cap * sizeof *v);

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	p = &t->v[t->n++];
	/* 0 is no call: ids wrap past it. */
	if (++t->next_id == 0)
		t->next_id = 1;
	p->id = t->next_id;
	memcpy(p->ref, ref, sizeof p->ref);
	p->deadline = deadline;
	return (long)p->id;
}

int conn_calls_find(const struct conn_calls *t, const uint32_t ref[3])
{
	int i;

	for (i = 0; i < t->n; i++)
		if (memcmp(t->v[i].ref, ref, sizeof t->v[i].ref) == 0)
			return i;
	return -1;
}

int conn_calls_find_id(const struct conn_calls *t, unsigned id)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return i;
	return -1;
}

void conn_calls_drop(struct conn_calls *t, int i)
{
	t->v[i] = t->v[--t->n];
}

uint64_t conn_calls_next_deadline(const struct conn_calls *t, int *which)
{
	uint64_t best = 0;
	int i;

	*which = -1;
	for (i = 0; i < t->n; i++)
		if (t->v[i].deadline && (best == 0 || t->v[i].deadline < best)) {
			best = t->v[i].deadline;
			*which = i;
		}
	return best;
}

void conn_calls_free(struct conn_calls *t)
{
	free(t->v);
	memset(t, 0, sizeof *t);
}
