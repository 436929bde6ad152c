/*
 * model_candidates.c - candidates for incremental refreshes, and the
 * proofs that the top lists they give are right (model_candidates() in
 * model.h, model_check_scan() and model_mark_active() in model_priv.h).
 *
 * Candidates: every process whose reductions moved between its last two
 * reads (the active set: on most nodes a small share of all processes,
 * and the only ones that can have a rate), up to ACTIVE_MAX of them, the
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
/* The active set read again at most, the fastest first: 20,000
 * process_info/2 calls cost the node ~20 ms, a full scan of a million
 * processes ~1.5 s. */
#define ACTIVE_MAX 20000
/* Reads spread over more than this share of the interval (a long full
 * scan) are not one moment: no claim is made from them. */
#define SPREAD_MAX 0.05

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
		*skip = !p->active;
		return d->reds_rate;
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
static void say_signal(struct derived *d, double mem_n, double reds_n)
{
	if (d->reds_outside > REDS_FLOOR && d->reds_outside > reds_n)
		snprintf(d->signal, sizeof d->signal, "%.0f reductions/s outside the "
			 "candidates", d->reds_outside);
	else if (d->grown_outside > MEM_FLOOR && d->grown_outside > mem_n)
		snprintf(d->signal, sizeof d->signal, "%.0f MiB grown outside the "
			 "candidates", d->grown_outside / 1048576);
}

void model_check_scan(const struct model *m, const struct snapshot *next,
		      struct derived *d)
{
	const struct snapshot *cur = m->prev;
	double dt = cur ? (double)(next->t_ms - cur->t_ms) / 1000.0 : 0;
	double cand_reds = 0, cand_mem = 0, total, grown, mem_n, reds_n;
	const struct derived *prev;
	size_t i;

	d->exact_reds = d->exact_mem = 1;
	d->grown_outside = 0;
	d->reds_outside = 0;
	d->signal[0] = '\0';
	if (next->scan == SCAN_FULL || !cur || dt <= 0) {
		/* Everything was read: the bound starts over. */
		d->noncand_bound = nth(next, d->pd, K_MEM, m->per_list + 1);
		return;
	}
	for (i = 0; i < next->n_procs; i++) {
		const struct proc *p = &next->procs[i];

		if ((p->have & PF_STALE) || d->pd[i].is_new)
			continue;
		cand_reds += d->pd[i].reds_rate * dt;
		cand_mem += d->pd[i].mem_rate * dt;
	}
	/* A full scan samples its processes over seconds, while the node's
	 * counters are sampled once: across the interval that follows a scan
	 * the two do not line up, so make no claim then (and count all the
	 * memory growth as outside), and prove from the next one on. */
	if (cur->scan == SCAN_FULL) {
		d->exact_reds = 0;
		cand_mem = 0;
	} else if (next->sys.have_stats && cur->sys.have_stats &&
		   next->sys.reductions >= cur->sys.reductions) {
		total = (double)(next->sys.reductions - cur->sys.reductions);
		d->reds_outside = total > cand_reds ? (total - cand_reds) / dt : 0;
	} else {
		d->exact_reds = 0;
	}
	grown = (double)snapshot_mem(next, "processes") -
		(double)snapshot_mem(cur, "processes") - cand_mem;
	prev = &m->der[m->pub_i];
	d->noncand_bound = prev->noncand_bound;
	d->grown_outside = prev->grown_outside + grown > 0 ?
			   prev->grown_outside + grown : 0;
	mem_n = nth(next, d->pd, K_MEM, m->top_n);
	reds_n = nth(next, d->pd, K_REDS, m->top_n);
	d->exact_mem = d->noncand_bound + d->grown_outside < mem_n;
	/* After a full scan: no claim, no signal (see above). */
	if (cur->scan != SCAN_FULL) {
		d->exact_reds = d->reds_outside <= reds_n;
		say_signal(d, mem_n, reds_n);
	}
}

size_t model_candidates(struct model *m, const struct bt_pid **pids,
			const uint32_t **rows)
{
	static const int lists[] = { K_MEM, K_REDS, K_MQ, K_MEMRATE, K_NEW_REDS };
	const struct snapshot *s = m->cur;
	size_t per = m->per_list, cap = per * 5, n = 0, k, i, j, got;
	size_t *idx;
	struct key_ctx c;

	*pids = NULL;
	*rows = NULL;
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
	idx = malloc(per * sizeof *idx);
	if (!idx)
		return 0;
	c.s = s;
	c.pd = m->pd;
	for (k = 0; k < sizeof lists / sizeof lists[0]; k++) {
		c.what = lists[k];
		got = topn_select(&c, s->n_procs, cand_key, per, 0, idx);
		for (i = 0; i < got; i++) {
			/* The lists overlap: keep each row once. */
			for (j = 0; j < n && m->cand_rows[j] != idx[i]; j++)
				;
			if (j < n)
				continue;
			m->cand_rows[n] = (uint32_t)idx[i];
			m->cand_pids[n] = s->procs[idx[i]].pid;
			n++;
		}
	}
	free(idx);
	*pids = m->cand_pids;
	*rows = m->cand_rows;
	return n;
}
