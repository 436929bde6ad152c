/*
 * model_partial.c - the first screen: partial lists while the first full
 * scan streams.
 *
 * At a million processes the first full scan takes seconds; the rows it
 * has read so far are worth showing meanwhile, as long as nothing says
 * they are complete.  So until the first complete refresh is published,
 * copies of the refresh being filled (model_next()) may be published: each
 * marked partial (snapshot.partial), with no rates (there is nothing to
 * take a rate against), no proof (exact_* 0) and no history pushed.
 *
 * The copies live in two buffers of their own, used in turn, so that the
 * one being filled is never the one a reader holds (the caller makes
 * sure that no reader still holds the older one, model_partial_target());
 * each has its rates (all unknown) and its pid map.  A partial list is
 * never a base: the refresh that ends the scan takes no rate against it
 * (model_prepare()) and only its names, and once that refresh is current
 * the buffers are freed (model_partial_drop()).
 */
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"

struct model_part {
	struct snapshot snap[2];
	struct derived der[2];
	struct pidmap map[2];
	int shown;                /* the buffer published last; -1 none */
	struct pidmap saved;      /* the model's own cur_map meanwhile */
};

int model_partial_wanted(const struct model *m)
{
	return !m->cur || m->cur->partial;
}

int model_partial_owns(const struct model *m, const struct snapshot *s)
{
	return m->part && s && (s == &m->part->snap[0] || s == &m->part->snap[1]);
}

/* The buffer the next partial list goes into. */
static int next_buf(const struct model_part *p)
{
	return p->shown == 0 ? 1 : 0;
}

const struct snapshot *model_partial_target(struct model *m)
{
	int i;

	if (!m->part) {
		m->part = calloc(1, sizeof *m->part);
		if (!m->part)
			return NULL;
		for (i = 0; i < 2; i++) {
			snapshot_init(&m->part->snap[i]);
			pidmap_init(&m->part->map[i]);
		}
		pidmap_init(&m->part->saved);
		m->part->shown = -1;
	}
	return &m->part->snap[next_buf(m->part)];
}

/* Nothing is known of a rate yet: every row new, no utilisation. */
static int unknown_rates(struct derived *d, const struct snapshot *s)
{
	size_t i;

	if (model_derived_room(d, s) < 0)
		return -1;
	memset(d->pd, 0, s->n_procs * sizeof *d->pd);
	for (i = 0; i < s->n_procs; i++)
		d->pd[i].is_new = 1;
	memset(d->ed, 0, s->n_ets * sizeof *d->ed);
	for (i = 0; i < s->n_ets; i++)
		d->ed[i].is_new = 1;
	memset(d->od, 0, s->n_ports * sizeof *d->od);
	for (i = 0; i < s->n_ports; i++)
		d->od[i].is_new = 1;
	for (i = 0; i < (size_t)s->n_sched; i++)
		d->util[i] = -1;
	for (i = 0; i < 3; i++)
		d->util_type[i] = -1;
	d->reds_rate = -1;
	d->wdt = 0;
	d->exact_reds = d->exact_mem = 0;
	d->reds_outside = d->noncand_bound = d->grown_outside = 0;
	d->signal[0] = '\0';
	return 0;
}

/* The names found for the partial list shown (the names query writes
 * into cur) go to the next one: rows of one scan keep their places as
 * more come, so row by row, no lookup. */
static void keep_names(const struct model *m, struct snapshot *next)
{
	const struct snapshot *cur = m->cur;
	size_t i;

	if (!cur || !cur->partial || cur->t_ms != next->t_ms)
		return;
	for (i = 0; i < cur->n_procs && i < next->n_procs; i++)
		model_take_name(next, &next->procs[i], cur, &cur->procs[i]);
}

int model_partial_prepare(struct model *m, const struct snapshot *s,
			  double elapsed_ms)
{
	struct model_part *p = m->part;
	size_t from;
	int k;

	if (!p)
		return -1;
	k = next_buf(p);
	/* The rows this buffer had are the first of s, where they were. */
	from = p->snap[k].partial && p->snap[k].t_ms == s->t_ms ?
	       p->snap[k].n_procs : 0;
	/* Room for every process at once: growing would move the rows. */
	if (snapshot_reserve(&p->snap[k], (size_t)s->sys.process_count +
			     (size_t)s->sys.process_count / 8) < 0 ||
	    snapshot_copy(&p->snap[k], s) < 0)
		return -1;
	p->snap[k].partial = 1;
	p->snap[k].procs_ok = 0;
	p->snap[k].n_fresh = p->snap[k].n_procs;
	p->snap[k].wall_ms = elapsed_ms;
	keep_names(m, &p->snap[k]);
	if (unknown_rates(&p->der[k], &p->snap[k]) < 0 ||
	    pidmap_extend(&p->map[k], &p->snap[k], from,
			  (size_t)s->sys.process_count) < 0) {
		p->snap[k].partial = 0; /* its map is made afresh next time */
		return -1;
	}
	return 0;
}

void model_partial_publish(struct model *m)
{
	struct model_part *p = m->part;
	int k;

	if (!p)
		return;
	k = next_buf(p);
	if (!m->cur || !m->cur->partial)
		p->saved = m->cur_map;
	p->shown = k;
	m->cur = &p->snap[k];
	m->cur_map = p->map[k];
	m->has_prev = 0;
	m->dt = 0;
	m->refreshes++;
	model_show_derived(m, &p->der[k]);
}

void model_partial_leave(struct model *m)
{
	if (m->part && m->cur && m->cur->partial)
		m->cur_map = m->part->saved;
}

void model_partial_free(struct model *m)
{
	struct model_part *p = m->part;
	int i;

	if (!p)
		return;
	/* The model's own map back, if a partial list is current. */
	model_partial_leave(m);
	if (model_partial_owns(m, m->cur))
		m->cur = NULL;
	for (i = 0; i < 2; i++) {
		snapshot_free(&p->snap[i]);
		free(p->der[i].pd);
		free(p->der[i].ed);
		free(p->der[i].od);
		free(p->der[i].util);
		pidmap_free(&p->map[i]);
	}
	free(p);
	m->part = NULL;
}

void model_partial_drop(struct model *m)
{
	if (!m->cur || !m->cur->partial)
		model_partial_free(m);
}
