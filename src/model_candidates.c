/*
 * model_candidates.c - candidates for incremental refreshes, and the
 * proofs that the top lists they give are right (model_candidates() in
 * model.h, model_check_scan() and model_mark_active() in model_priv.h).
 *
 * Candidates: every process whose reductions moved between two of its
 * last ACTIVE_KEEP reads (the active set: on most nodes a small share of
 * all processes, and the only ones that can have a rate), up to
 * ACTIVE_MAX of them, the
 * fastest first; and the top per_list by memory, message queue and
 * memory growth, and the new ones by reductions.  So when the busy
 * processes change places among themselves, each one's rate is still
 * measured over the same interval as every other's.
 *
 * Reductions: statistics(reductions) counts every reduction on the node.
 * Take away what the processes read now and at the last refresh did in
 * the interval: what is left was done by every other process together,
 * so if it is less than the N-th rate, no other process can be in the
 * top N.  A process read now whose last read is older (carried from a
 * full scan) has a rate over a longer span: what it did in this interval
 * alone may be up to span times more, and that too must stay under the
 * N-th rate.  Only then is the list claimed exact; what is left over
 * signals a full scan.
 *
 * Memory: at a full scan, no process outside the candidates held more
 * than the (per_list+1)-th largest memory.  Since then, erlang:memory
 * (processes) less the candidates' own change is what the others (and
 * new processes) grew by; it is summed (never below zero, so that short
 * lived processes coming and going cancel out), and while the bound plus
 * that growth stays under the N-th memory, the list by memory is right.
 * (A process that dies frees memory and can hide another's growth from
 * this sum, so memory is a signal, not a proof; periodic full scans cover
 * that case.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/topn.h"
#include "model_priv.h"

/* Below these, what is unaccounted for is the node's (and beamtop's own
 * rpc processes') churn, not a process that matters: no full scan is
 * asked for, though the lists are not claimed exact either. */
#define REDS_FLOOR 20000.0
#define MEM_FLOOR (8.0 * 1048576)
#define REDS_SHARE 0.05
/* The active set read again at most, the fastest first: 20,000
 * process_info/2 calls cost the node ~20 ms, a full scan of a million
 * processes ~1.5 s. */
#define ACTIVE_MAX 20000
/* Reads spread over more than this share of the interval (a long full
 * scan) are not one moment: no claim is made from them. */
#define SPREAD_MAX 0.05
/* A process that moved stays in the active set for this many reads
 * after the last one that saw it move: workers that take turns (a pool,
 * timers, a rate that moves between processes) are still read the
 * interval they wake up in, rather than found by the next full scan. */
#define ACTIVE_KEEP 60
/* ... and a new one for this many. */
#define ACTIVE_NEW 6
/* Reductions that our reads of an idle process cost it in an interval. */
#define READ_REDS 10.0

struct key_ctx {
	const struct snapshot *s;
	const struct proc_delta *pd;
	int what;
};

enum { K_MEM, K_REDS, K_MQ, K_MEMRATE, K_NEW_REDS, K_ACTIVE };

static double cand_key(const void *vc, size_t i, int *skip)
{
	const struct key_ctx *c = vc;
	const struct proc *p = &c->s->procs[i];
	const struct proc_delta *d = &c->pd[i];
	int no_rate = d->is_new || (p->have & PF_STALE);

	*skip = 0;
	switch (c->what) {
	case K_MEM:
		return (double)p->memory;
	case K_MQ:
		return (double)p->mq;
	case K_REDS:
		*skip = no_rate;
		return d->reds_rate;
	case K_NEW_REDS:
		/* A process that appeared since the last refresh has no rate
		 * yet; its lifetime reductions say which ones to watch. */
		*skip = !d->is_new;
		return (double)p->reductions;
	case K_ACTIVE:
		/* The fastest first; new ones (no rate yet) after them, the
		 * most reductions in their lives first. */
		*skip = !p->active;
		return d->is_new ? (double)p->reductions * 1e-9 : d->reds_rate;
	default:
		*skip = no_rate;
		return d->mem_rate;
	}
}

/* The value of the n-th largest key (n from 1), or 0 when fewer rows. */
static double nth(const struct snapshot *s, const struct proc_delta *pd,
		  int what, size_t n)
{
	struct key_ctx c = { s, pd, what };
	size_t *idx = malloc(n * sizeof *idx), got;
	double v = 0;
	int skip;

	if (!idx)
		return 0;
	got = topn_select(&c, s->n_procs, cand_key, n, 0, idx);
	if (got == n)
		v = cand_key(&c, idx[n - 1], &skip);
	free(idx);
	return v;
}

/* Why a full scan is due, in d->signal: what the others did is more
 * than the N-th candidate by memory (mem_n) or reductions (reds_n), and
 * more than the node's churn. */
static void say_signal(struct derived *d, double mem_n, double reds_n,
		       double unexplained)
{
	/* (Our own calls besides the candidates' read are part of it: a
	 * share of the node's rate below REDS_SHARE is not taken for a
	 * process; the periodic full scans find such a one.) */
	if (unexplained > REDS_FLOOR && unexplained > reds_n &&
	    (d->reds_rate < 0 || unexplained > REDS_SHARE * d->reds_rate))
		snprintf(d->signal, sizeof d->signal, "%.0f reductions/s outside the "
			 "candidates", unexplained);
	else if (d->grown_outside > MEM_FLOOR && d->grown_outside > mem_n)
		snprintf(d->signal, sizeof d->signal, "%.0f MiB grown outside the "
			 "candidates", d->grown_outside / 1048576);
}

/* What a row read now that did not move keeps of its count: a row of an
 * incremental refresh was copied from the last one with it; a full scan's
 * row is new, and finds its last count by pid. */
static uint8_t active_left(const struct model *m, const struct snapshot *next,
			   const struct proc *p)
{
	long j;

	if (next->scan != SCAN_FULL)
		return p->active;
	if (!m->prev)
		return 0;
	j = pidmap_get(&m->cur_map, m->prev, bt_pid_key(&p->pid));
	return j < 0 ? 0 : m->prev->procs[j].active;
}

void model_mark_active(const struct model *m, struct snapshot *next,
		       const struct proc_delta *pd, double dt)
{
	size_t i;
	uint8_t left;

	for (i = 0; i < next->n_procs; i++) {
		struct proc *p = &next->procs[i];

		/* A carried row keeps what its last read said.  Reading a
		 * process costs it a reduction or two (process_info is a signal
		 * it handles): only more than that is activity. */
		if (p->have & PF_STALE) {
			/* Not read (past ACTIVE_MAX): a new row's turns are
			 * counted in refreshes, so that the idle ones of a big
			 * first scan leave the set. */
			if (p->active && p->active <= ACTIVE_NEW)
				p->active--;
			continue;
		}
		if ((double)pd[i].reds_rate * dt * (pd[i].span ? pd[i].span : 1) >
		    READ_REDS) {
			p->active = ACTIVE_KEEP;
			continue;
		}
		if (pd[i].is_new) {
			/* Read a few times more, for a rate (every row of the
			 * first scan is new): enough to see a process that
			 * wakes every few seconds move. */
			p->active = ACTIVE_NEW;
			continue;
		}
		left = active_left(m, next, p);
		p->active = left ? left - 1 : 0;
	}
}

/* Were the reads of s one moment, seen from an interval of dt seconds?
 * A long full scan reads its processes over seconds. */
static int one_moment(const struct snapshot *s, double dt)
{
	return s->scan != SCAN_FULL || s->wall_ms <= SPREAD_MAX * dt * 1000.0;
}

/* What the reductions of next say: the reductions of the rows whose rate
 * spans exactly this interval (*certain), and the most that a row read
 * now over a longer span, or new, may have done in it per second. */
static double reds_of(const struct snapshot *next, const struct derived *d,
		      double dt, double *certain, double *cand_mem)
{
	double most = 0, up;
	size_t i;

	*certain = *cand_mem = 0;
	for (i = 0; i < next->n_procs; i++) {
		const struct proc *p = &next->procs[i];
		const struct proc_delta *pd = &d->pd[i];

		if (p->have & PF_STALE)
			continue;
		if (pd->is_new)
			up = (double)p->reductions / dt; /* all of it, at most, since */
		else if (pd->span > 1)
			up = pd->reds_rate * pd->span;
		else {
			*certain += pd->reds_rate * dt;
			*cand_mem += pd->mem_rate * dt;
			continue;
		}
		if (up > most)
			most = up;
	}
	return most;
}

/* What the processes not read did in the interval, per second (set in
 * *outside; -1 when it cannot be known), and the part of it that the
 * reads themselves do not explain (the return value, per second). */
static double outside_work(const struct snapshot *cur, const struct snapshot *next,
			   double certain, double dt, double *outside)
{
	double total, slack;

	if (next->bracketed && cur->bracketed) {
		/* Both reads bracketed by the node's total: what happened from
		 * just before the last read to just after this one, less what
		 * the rows read both times did between their reads, and less
		 * what our queries cost in that time: all of this one (sent
		 * after the last one's answer), the last one's read itself. */
		total = (double)(next->reds_after - cur->reds_before) -
			(double)(next->reds_whole + cur->reds_own + next->reds_others);
		*outside = total > certain ? (total - certain) / dt : 0;
		/* Part of it is the rows read both times working while the
		 * reads went on (a read waits for each busy process to answer):
		 * at most the node's work during the two reads.  Only what is
		 * left over says that someone unread is busy. */
		slack = (double)(next->reds_after - next->reds_before) +
			(double)(cur->reds_after - cur->reds_before) -
			(double)(next->reds_own + cur->reds_own);
		return (total - certain - slack) / dt;
	}
	if (cur->scan == SCAN_INCR && next->scan == SCAN_INCR &&
	    next->sys.have_stats && cur->sys.have_stats &&
	    next->sys.reductions >= cur->sys.reductions) {
		/* Read by a plain call: the refresh's own statistics call. */
		total = (double)(next->sys.reductions - cur->sys.reductions);
		*outside = total > certain ? (total - certain) / dt : 0;
		return (total - certain) / dt;
	}
	/* A full scan on either side reads over a while, not at the moment
	 * of any total: nothing to prove, or to signal. */
	*outside = -1;
	return 0;
}

void model_check_scan(const struct model *m, const struct snapshot *next,
		      struct derived *d)
{
	const struct snapshot *cur = m->prev;
	double dt = cur ? (double)(next->t_ms - cur->t_ms) / 1000.0 : 0;
	double certain, cand_mem, grown, mem_n, reds_n, most, unexplained;
	const struct derived *prev;
	int no_signal;

	d->exact_reds = d->exact_mem = 1;
	d->grown_outside = 0;
	d->reds_outside = 0;
	d->signal[0] = '\0';
	if (!cur || dt <= 0) {
		/* No rate yet: nothing to prove by reductions. */
		d->exact_reds = 0;
		d->noncand_bound = nth(next, d->pd, K_MEM, m->per_list + 1);
		return;
	}
	reds_n = nth(next, d->pd, K_REDS, m->top_n);
	most = reds_of(next, d, dt, &certain, &cand_mem);
	unexplained = outside_work(cur, next, certain, dt, &d->reds_outside);
	/* Exact: every rate of the list over this one interval, and nothing
	 * left out (a row over a longer span, a new one, all the others
	 * together) could have done more in it than the N-th.  Not over a
	 * rate window (its base mixes spans), nor across a long scan. */
	d->exact_reds = !m->window_ms && d->reds_outside >= 0 &&
			d->reds_outside <= reds_n && most <= reds_n &&
			one_moment(cur, dt) && one_moment(next, dt);
	no_signal = d->reds_outside < 0;
	if (d->reds_outside < 0)
		d->reds_outside = 0;
	if (next->scan == SCAN_FULL) {
		/* Everything was read: the memory bound starts over. */
		d->noncand_bound = nth(next, d->pd, K_MEM, m->per_list + 1);
		d->exact_mem = next->procs_ok == 1;
		return;
	}
	/* Memory: right after a long scan its rows' times do not line up
	 * with the node's counter: all the growth counts as outside. */
	if (!one_moment(cur, dt))
		cand_mem = 0;
	grown = (double)snapshot_mem(next, "processes") -
		(double)snapshot_mem(cur, "processes") - cand_mem;
	prev = &m->der[m->pub_i];
	d->noncand_bound = prev->noncand_bound;
	d->grown_outside = prev->grown_outside + grown > 0 ?
			   prev->grown_outside + grown : 0;
	mem_n = nth(next, d->pd, K_MEM, m->top_n);
	d->exact_mem = d->noncand_bound + d->grown_outside < mem_n;
	if (one_moment(cur, dt) && !no_signal)
		say_signal(d, mem_n, reds_n, unexplained > 0 ? unexplained : 0);
}

/* Adds the rows of list `what` (the first `per`, best first) to the
 * candidates, each once (mark). */
static size_t add_list(struct model *m, struct key_ctx *c, int what, size_t per,
		       size_t *idx, uint8_t *mark, size_t n)
{
	size_t i, got;

	c->what = what;
	got = topn_select(c, c->s->n_procs, cand_key, per, 0, idx);
	for (i = 0; i < got && n < m->cand_cap; i++) {
		if (mark[idx[i]])
			continue;
		mark[idx[i]] = 1;
		m->cand_rows[n] = (uint32_t)idx[i];
		m->cand_pids[n] = c->s->procs[idx[i]].pid;
		n++;
	}
	return n;
}

size_t model_candidates(struct model *m, const struct bt_pid **pids,
			const uint32_t **rows, size_t *n_mem)
{
	static const int lists[] = { K_MEM, K_MQ, K_MEMRATE, K_NEW_REDS };
	const struct snapshot *s = m->cur;
	size_t per = m->per_list, cap = ACTIVE_MAX + per * 4, n = 0, k;
	size_t *idx;
	uint8_t *mark;
	struct key_ctx c;

	*pids = NULL;
	*rows = NULL;
	*n_mem = 0;
	if (!s || s->n_procs == 0)
		return 0;
	if (cap > m->cand_cap) {
		struct bt_pid *p = realloc(m->cand_pids, cap * sizeof *p);
		uint32_t *r;

		if (!p)
			return 0;
		m->cand_pids = p;
		r = realloc(m->cand_rows, cap * sizeof *r);
		if (!r)
			return 0;
		m->cand_rows = r;
		m->cand_cap = cap;
	}
	idx = malloc((ACTIVE_MAX > per ? ACTIVE_MAX : per) * sizeof *idx);
	mark = calloc(s->n_procs, 1);
	if (!idx || !mark) {
		free(idx);
		free(mark);
		return 0;
	}
	c.s = s;
	c.pd = m->pd;
	/* The tops, then the active set: the collector reads the memory
	 * of a top whenever it has run, of the others less often (see
	 * collect_heaps.c: memory costs the node 15 times the others). */
	for (k = 0; k < sizeof lists / sizeof lists[0]; k++)
		n = add_list(m, &c, lists[k], per, idx, mark, n);
	*n_mem = n;
	n = add_list(m, &c, K_ACTIVE, ACTIVE_MAX, idx, mark, n);
	free(idx);
	free(mark);
	*pids = m->cand_pids;
	*rows = m->cand_rows;
	return n;
}
