/*
 * sched.c - scheduler utilisation (see sched.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "beamtop/sched.h"
#include "beamtop/snapshot.h"

/* Finds id in a list sorted by id. */
static const struct sched_sample *find(const struct snapshot *s, uint32_t id)
{
	int lo = 0, hi = s->n_sched - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (s->sched[mid].id == id)
			return &s->sched[mid];
		if (s->sched[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static int deltas(const struct sched_sample *a, const struct sched_sample *b,
		  double *active, double *total)
{
	if (!a || b->total <= a->total || b->active < a->active)
		return -1;
	*active = (double)(b->active - a->active);
	*total = (double)(b->total - a->total);
	return 0;
}

void sched_util(const struct snapshot *prev, const struct snapshot *cur,
		double *out)
{
	int i;

	for (i = 0; i < cur->n_sched; i++) {
		double a, t;

		out[i] = -1;
		if (prev && deltas(find(prev, cur->sched[i].id), &cur->sched[i],
				   &a, &t) == 0)
			out[i] = a > t ? 1.0 : a / t;
	}
}

double sched_util_type(const struct snapshot *prev, const struct snapshot *cur,
		       int type)
{
	double sa = 0, st = 0;
	int i;

	if (!prev)
		return -1;
	for (i = 0; i < cur->n_sched; i++) {
		double a, t;

		if (cur->sched[i].type != type ||
		    deltas(find(prev, cur->sched[i].id), &cur->sched[i], &a, &t) < 0)
			continue;
		sa += a;
		st += t;
	}
	return st > 0 ? (sa > st ? 1.0 : sa / st) : -1;
}
