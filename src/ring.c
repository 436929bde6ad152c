/*
 * ring.c - history rings (see ring.h).
 */
#include <stdlib.h>

#include "beamtop/ring.h"

int ring_init(struct ring *r, int cap)
{
	r->n = r->head = 0;
	r->v = cap > 0 ? calloc((size_t)cap, sizeof *r->v) : NULL;
	r->cap = r->v ? cap : 0;
	return r->v ? 0 : -1;
}

void ring_free(struct ring *r)
{
	free(r->v);
	r->v = NULL;
	r->cap = r->n = r->head = 0;
}

void ring_push(struct ring *r, double x)
{
	if (r->cap == 0)
		return;
	r->v[r->head] = x;
	r->head = (r->head + 1) % r->cap;
	if (r->n < r->cap)
		r->n++;
}

double ring_get(const struct ring *r, int i)
{
	if (i < 0 || i >= r->n)
		return 0.0;
	return r->v[(r->head - r->n + i + r->cap) % r->cap];
}

double ring_last(const struct ring *r)
{
	return r->n ? ring_get(r, r->n - 1) : 0.0;
}

void ring_clear(struct ring *r)
{
	r->n = 0;
	r->head = 0;
}
