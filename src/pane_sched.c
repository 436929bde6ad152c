/*
 * pane_sched.c - the schedulers pane (recon's scheduler_usage): each
 * scheduler's utilisation now and over the history, its run queue, and
 * whether the node is CPU bound.
 */
#include <stdio.h>
#include <stdlib.h>

#include "beamtop/format.h"
#include "beamtop/layout.h"
#include "beamtop/term.h"
#include "beamtop/listview.h"
#include "beamtop/ui.h"

static const char *const type_name[] = { "normal", "dirty_cpu", "dirty_io" };

/* Average of the last n values of r (all when fewer). */
static double recent(const struct ring *r, int n)
{
	double sum = 0;
	int i, k = r->n < n ? r->n : n;

	for (i = 0; i < k; i++)
		sum += ring_get(r, r->n - 1 - i);
	return k ? sum / k : -1;
}

/* Run queue of a scheduler: normal ones have their own, dirty ones share
 * one per type (the last two of run_queue_lengths_all). */
static long runq_of(const struct snapshot *s, const struct sched_sample *x)
{
	if (x->type == SCHED_NORMAL)
		return x->id >= 1 && (int)x->id <= s->n_runq - 2 ? (long)s->runq[x->id - 1] : -1;
	if (s->n_runq < 2)
		return -1;
	return (long)s->runq[s->n_runq - (x->type == SCHED_DIRTY_CPU ? 2 : 1)];
}

static void draw(struct app *a, void *vst, int top, int rows, int cols)
{
	struct list_state *ls = vst;
	const struct model *m = a->m;
	const struct snapshot *s = m->cur;
	char buf[256], now[16], avg[16], rq[24], spark[256];
	double sustained = recent(&m->h_util, 5);
	int i, y = top, first = ls->offset < (size_t)s->n_sched ?
		(int)ls->offset : 0;

	if (sustained > 0.8 && m->h_util.n >= 3)
		snprintf(buf, sizeof buf, "CPU BOUND: normal schedulers at %.0f%% over the "
			 "last %d refreshes (sustained > 80%%)", sustained * 100,
			 m->h_util.n < 5 ? m->h_util.n : 5);
	else
		snprintf(buf, sizeof buf, "normal schedulers %s now, %s over the last %d "
			 "refreshes; not CPU bound (that is sustained > 80%%)",
			 fmt_percent(now, sizeof now, m->util_type[SCHED_NORMAL]),
			 fmt_percent(avg, sizeof avg, sustained), m->h_util.n < 5 ?
			 m->h_util.n : 5);
	term_put(y++, 0, sustained > 0.8 && m->h_util.n >= 3 ? ROLE_BAD : ROLE_DIM,
		 buf, cols);
	term_fill(y, 0, cols, ROLE_HEAD, " ");
	snprintf(buf, sizeof buf, "%4s %-10s %6s %6s %6s  %s", "ID", "TYPE", "UTIL",
		 "AVG", "RUNQ", "HISTORY");
	term_put(y++, 0, ROLE_HEAD, buf, cols);
	ls->page = rows - 2;
	ls->total = (size_t)s->n_sched;
	for (i = first; i < s->n_sched && y < top + rows; i++) {
		const struct sched_sample *x = &s->sched[i];
		const struct ring *h = i < m->n_h_sched ? &m->h_sched[i] : NULL;
		double av = h ? recent(h, h->n) : -1;
		long q = runq_of(s, x);
		int role = m->util[i] > 0.8 ? ROLE_BAD : x->type == SCHED_NORMAL ?
			   ROLE_NORMAL : ROLE_DIRTY;
		int xpos;

		if (q >= 0)
			snprintf(rq, sizeof rq, "%ld", q);
		else
			snprintf(rq, sizeof rq, "-");
		snprintf(buf, sizeof buf, "%4u %-10s %6s %6s %6s  ", x->id,
			 type_name[x->type % 3], fmt_percent(now, sizeof now, m->util[i]),
			 fmt_percent(avg, sizeof avg, av), rq);
		xpos = term_put(y, 0, role, buf, cols);
		if (h && cols - xpos > 4) {
			layout_spark(h, cols - xpos - 1, spark, sizeof spark);
			term_put(y, xpos, ROLE_SPARK, spark, cols - xpos);
		}
		y++;
	}
}

static enum reaction on_action(struct app *a, void *vst, enum action act)
{
	struct list_state *ls = vst;

	(void)a;
	size_t page = ls->page > 1 ? (size_t)ls->page : 1;

	/* A plain scroll: the rows are fixed, one per scheduler. */
	switch (act) {
	case A_UP:
		if (ls->offset > 0)
			ls->offset--;
		return R_DONE;
	case A_DOWN:
		if (ls->offset + page < ls->total)
			ls->offset++;
		return R_DONE;
	case A_PGUP: case A_HOME:
		ls->offset = act == A_HOME || ls->offset < page ? 0 : ls->offset - page;
		return R_DONE;
	case A_PGDN: case A_END:
		ls->offset = act == A_END ? ls->total : ls->offset + page;
		if (ls->offset + page > ls->total)
			ls->offset = ls->total > page ? ls->total - page : 0;
		return R_DONE;
	default:
		return R_PASS;
	}
}

static void *init(struct app *a)
{
	(void)a;
	return lv_state_new(0);
}

const struct pane pane_sched = {
	.title = "Schedulers", .id = "schedulers", .where = IN_SCHED,
	.init = init, .free = lv_state_free, .draw = draw, .on_action = on_action,
};
