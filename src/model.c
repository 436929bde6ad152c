/*
 * model.c - snapshots, rates, history and top-N (see model.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/model.h"
#include "beamtop/sched.h"
#include "beamtop/topn.h"
#include "model_priv.h"

const char *const model_mem_kinds[MODEL_MEM_KINDS] = {
	"total", "processes", "binary", "ets", "code", "atom", "system"
};

int model_init(struct model *m)
{
	int i, rc = 0;

	memset(m, 0, sizeof *m);
	for (i = 0; i < 2; i++)
		snapshot_init(&m->snap[i]);
	keymap_init(&m->map);
	pidmap_init(&m->cur_map);
	pidmap_init(&m->next_map);
	for (i = 0; i < MODEL_MEM_KINDS; i++)
		rc |= ring_init(&m->h_mem[i], MODEL_HISTORY);
	rc |= ring_init(&m->h_procs, MODEL_HISTORY);
	rc |= ring_init(&m->h_runq, MODEL_HISTORY);
	rc |= ring_init(&m->h_util, MODEL_HISTORY);
	rc |= ring_init(&m->h_reds, MODEL_HISTORY);
	m->reds_rate = -1;
	for (i = 0; i < 3; i++)
		m->util_type[i] = -1;
	m->top_n = 20;
	m->per_list = 200;
	m->exact_reds = m->exact_mem = 1;
	if (rc) {
		model_free(m);
		return -1;
	}
	return 0;
}

static void derived_free(struct derived *d)
{
	free(d->pd);
	free(d->ed);
	free(d->od);
	free(d->util);
	memset(d, 0, sizeof *d);
}

void model_free(struct model *m)
{
	int i;

	/* First: a partial list's pid map may be cur_map. */
	model_partial_free(m);
	for (i = 0; i < 2; i++)
		snapshot_free(&m->snap[i]);
	for (i = 0; i < 2; i++) {
		derived_free(&m->der[i]);
		sample_set_free(&m->wb[i]);
	}
	keymap_free(&m->map);
	pidmap_free(&m->cur_map);
	pidmap_free(&m->next_map);
	free(m->cand_pids);
	free(m->cand_rows);
	for (i = 0; i < MODEL_MEM_KINDS; i++)
		ring_free(&m->h_mem[i]);
	ring_free(&m->h_procs);
	ring_free(&m->h_runq);
	ring_free(&m->h_util);
	ring_free(&m->h_reds);
	for (i = 0; i < m->n_h_sched; i++)
		ring_free(&m->h_sched[i]);
	free(m->h_sched);
	memset(m, 0, sizeof *m);
}

/* A ring of the view: its values copied into the view's storage at *at. */
static void view_ring(struct model_view *v, struct ring *r, size_t *at)
{
	const double *src = r->v;

	r->v = v->rv + *at;
	if (src)
		memcpy(r->v, src, (size_t)r->cap * sizeof *r->v);
	*at += (size_t)r->cap;
}

/* Only what is published: the rest (the snapshot being filled, the
 * window bases, scratch) is the connection thread's, being written. */
static void view_fields(struct model *d, const struct model *m)
{
	memset(d, 0, sizeof *d);
	d->cur = m->cur;
	d->has_prev = m->has_prev;
	d->refreshes = m->refreshes;
	d->dt = m->dt;
	d->pd = m->pd;
	d->ed = m->ed;
	d->od = m->od;
	d->util = m->util;
	memcpy(d->util_type, m->util_type, sizeof d->util_type);
	d->reds_rate = m->reds_rate;
	d->wdt = m->wdt;
	d->long_dt = m->long_dt;
	d->exact_reds = m->exact_reds;
	d->exact_mem = m->exact_mem;
	d->reds_outside = m->reds_outside;
	memcpy(d->signal, m->signal, sizeof d->signal);
	d->top_n = m->top_n;
	d->per_list = m->per_list;
	d->window_ms = m->window_ms;
	d->cur_map = m->cur_map;
	memcpy(d->h_mem, m->h_mem, sizeof d->h_mem);
	d->h_procs = m->h_procs;
	d->h_runq = m->h_runq;
	d->h_util = m->h_util;
	d->h_reds = m->h_reds;
	d->n_h_sched = m->n_h_sched;
}

/* Room in v for the values of m's rings.  Returns 0, or -1. */
static int view_room(struct model_view *v, const struct model *m)
{
	size_t need = (size_t)(m->h_procs.cap + m->h_runq.cap + m->h_util.cap +
			       m->h_reds.cap);
	int i;

	for (i = 0; i < MODEL_MEM_KINDS; i++)
		need += (size_t)m->h_mem[i].cap;
	for (i = 0; i < m->n_h_sched; i++)
		need += (size_t)m->h_sched[i].cap;
	if (need > v->rv_cap) {
		double *n = realloc(v->rv, need * sizeof *n);

		if (!n)
			return -1;
		v->rv = n;
		v->rv_cap = need;
	}
	if (m->n_h_sched > v->sched_cap) {
		struct ring *n = realloc(v->sched, (size_t)m->n_h_sched * sizeof *n);

		if (!n)
			return -1;
		v->sched = n;
		v->sched_cap = m->n_h_sched;
	}
	return 0;
}

int model_view_take(struct model_view *v, const struct model *m)
{
	size_t at = 0;
	int i;

	view_fields(&v->m, m);
	if (view_room(v, m) < 0) {
		/* No history rather than someone else's. */
		memset(v->m.h_mem, 0, sizeof v->m.h_mem);
		memset(&v->m.h_procs, 0, sizeof v->m.h_procs);
		memset(&v->m.h_runq, 0, sizeof v->m.h_runq);
		memset(&v->m.h_util, 0, sizeof v->m.h_util);
		memset(&v->m.h_reds, 0, sizeof v->m.h_reds);
		v->m.n_h_sched = 0;
		return -1;
	}
	v->m.h_sched = v->sched;
	for (i = 0; i < MODEL_MEM_KINDS; i++)
		view_ring(v, &v->m.h_mem[i], &at);
	view_ring(v, &v->m.h_procs, &at);
	view_ring(v, &v->m.h_runq, &at);
	view_ring(v, &v->m.h_util, &at);
	view_ring(v, &v->m.h_reds, &at);
	for (i = 0; i < m->n_h_sched; i++) {
		v->sched[i] = m->h_sched[i];
		view_ring(v, &v->sched[i], &at);
	}
	return 0;
}

void model_view_free(struct model_view *v)
{
	free(v->rv);
	free(v->sched);
	memset(v, 0, sizeof *v);
}

struct snapshot *model_next(struct model *m)
{
	return m->cur == &m->snap[0] ? &m->snap[1] : &m->snap[0];
}

/* Ensures *arr has room for n elements of size sz. */
static int fit(void **arr, size_t *cap, size_t n, size_t sz)
{
	void *p;

	if (n <= *cap)
		return 0;
	p = realloc(*arr, n * sz);
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

int model_derived_room(struct derived *d, const struct snapshot *s)
{
	if (fit((void **)&d->pd, &d->pd_cap, s->n_procs + 1, sizeof *d->pd) < 0 ||
	    fit((void **)&d->ed, &d->ed_cap, s->n_ets + 1, sizeof *d->ed) < 0 ||
	    fit((void **)&d->od, &d->od_cap, s->n_ports + 1, sizeof *d->od) < 0 ||
	    fit((void **)&d->util, &d->util_cap, (size_t)s->n_sched + 1,
		sizeof *d->util) < 0)
		return -1;
	return 0;
}

unsigned long model_runq_total(const struct snapshot *s)
{
	unsigned long t = 0;
	int i;

	for (i = 0; i < s->n_runq; i++)
		t += (unsigned long)s->runq[i];
	return t;
}

void model_set_window(struct model *m, unsigned ms)
{
	m->window_ms = ms;
	m->wb[0].valid = m->wb[1].valid = 0;
}

/* Process rates of next: over one refresh, or since the window base. */
static int prepare_procs(struct model *m, struct snapshot *next,
			 struct derived *d)
{
	double dt = m->prev ? (double)(next->t_ms - m->prev->t_ms) / 1000.0 : 0;
	struct sample_set *base = !m->prev ? NULL : m->wb[0].valid ? &m->wb[0] :
				  m->wb[1].valid ? &m->wb[1] : NULL;
	int rc;

	if (!m->prev)
		m->wb[0].valid = m->wb[1].valid = 0; /* another node's */
	d->long_dt = m->prev ? (double)(next->t_ms - m->prev->stale_t_ms) / 1000.0 : 0;
	if (!m->window_ms || !base) {
		d->wdt = dt;
		rc = window_procs_mapped(m->prev, &m->cur_map, next, dt, d->pd);
	} else {
		d->wdt = (double)(next->t_ms - base->t_ms) / 1000.0;
		rc = window_procs_since(base, next, d->wdt, &m->map, d->pd);
	}
	if (m->window_ms && (!m->wb[1].valid ||
			     next->t_ms - m->wb[1].t_ms >= m->window_ms)) {
		struct sample_set t = m->wb[0];

		m->wb[0] = m->wb[1];
		m->wb[1] = t;
		if (sample_set_take(&m->wb[1], next) < 0)
			rc = -1;
	}
	return rc;
}

/* The creation of the node's incarnation that s was read from; 0 when
 * s says nothing of it. */
static uint32_t creation_of(const struct snapshot *s)
{
	return s->n_procs ? s->procs[0].pid.creation : 0;
}

int model_prepare(struct model *m)
{
	struct snapshot *next = model_next(m);
	struct derived *d = &m->der[!m->pub_i];
	double dt;
	int t, rc = 0;

	/* Nothing is a rate against a partial list (a copy of this very
	 * scan, read moments ago). */
	m->prev = m->cur && !m->cur->partial &&
		  (!creation_of(m->cur) || !creation_of(next) ||
		   creation_of(m->cur) == creation_of(next)) ? m->cur : NULL;
	dt = m->prev ? (double)(next->t_ms - m->prev->t_ms) / 1000.0 : 0;

	if (model_derived_room(d, next) < 0)
		return -1;
	model_carry_names(m, next);
	rc |= prepare_procs(m, next, d);
	model_mark_active(m, next, d->pd, d->wdt);
	rc |= window_ets(m->prev, next, dt, &m->map, d->ed);
	rc |= window_ports(m->prev, next, dt, &m->map, d->od);
	sched_util(m->prev, next, d->util);
	for (t = 0; t < 3; t++)
		d->util_type[t] = sched_util_type(m->prev, next, t);
	d->reds_rate = -1;
	if (m->prev && dt > 0 && next->sys.have_stats && m->prev->sys.have_stats &&
	    next->sys.reductions >= m->prev->sys.reductions)
		d->reds_rate = (double)(next->sys.reductions -
					m->prev->sys.reductions) / dt;
	model_check_scan(m, next, d);
	if (pidmap_build(&m->next_map, next) < 0)
		return -1;
	model_carry_heap(m, next);
	return rc ? -1 : 0;
}

/* One ring per scheduler; they start over if the set of schedulers
 * changes (a different node after a reconnect). */
static void push_sched_history(struct model *m)
{
	int i, n = m->cur->n_sched;

	if (n != m->n_h_sched) {
		struct ring *r = calloc((size_t)(n ? n : 1), sizeof *r);

		if (!r)
			return;
		for (i = 0; i < m->n_h_sched; i++)
			ring_free(&m->h_sched[i]);
		free(m->h_sched);
		m->h_sched = r;
		m->n_h_sched = n;
		for (i = 0; i < n; i++)
			ring_init(&m->h_sched[i], MODEL_HISTORY);
	}
	for (i = 0; i < n; i++)
		if (m->util[i] >= 0)
			ring_push(&m->h_sched[i], m->util[i]);
}

/* A restarted node: its history is of another incarnation. */
static void forget_history(struct model *m)
{
	int i;

	for (i = 0; i < MODEL_MEM_KINDS; i++)
		ring_clear(&m->h_mem[i]);
	ring_clear(&m->h_procs);
	ring_clear(&m->h_runq);
	ring_clear(&m->h_util);
	ring_clear(&m->h_reds);
	for (i = 0; i < m->n_h_sched; i++)
		ring_clear(&m->h_sched[i]);
}

void model_show_derived(struct model *m, const struct derived *d)
{
	int i;

	m->pd = d->pd;
	m->ed = d->ed;
	m->od = d->od;
	m->util = d->util;
	for (i = 0; i < 3; i++)
		m->util_type[i] = d->util_type[i];
	m->reds_rate = d->reds_rate;
	m->wdt = d->wdt;
	m->long_dt = d->long_dt;
	m->exact_reds = d->exact_reds;
	m->exact_mem = d->exact_mem;
	m->reds_outside = d->reds_outside;
	snprintf(m->signal, sizeof m->signal, "%s", d->signal);
}

void model_publish(struct model *m)
{
	struct snapshot *next = model_next(m);
	struct pidmap km;
	int i;

	if (m->cur && !m->prev)
		forget_history(m);
	model_partial_leave(m);
	m->dt = m->prev ? (double)(next->t_ms - m->prev->t_ms) / 1000.0 : 0;
	m->has_prev = m->prev != NULL;
	m->cur = next;
	m->refreshes++;
	m->pub_i = !m->pub_i;
	model_show_derived(m, &m->der[m->pub_i]);
	km = m->cur_map;
	m->cur_map = m->next_map;
	m->next_map = km;

	for (i = 0; i < MODEL_MEM_KINDS; i++)
		ring_push(&m->h_mem[i], (double)snapshot_mem(m->cur, model_mem_kinds[i]));
	ring_push(&m->h_procs, (double)m->cur->sys.process_count);
	ring_push(&m->h_runq, (double)model_runq_total(m->cur));
	ring_push(&m->h_util, m->util_type[SCHED_NORMAL] < 0 ? 0 :
		  m->util_type[SCHED_NORMAL]);
	ring_push(&m->h_reds, m->reds_rate < 0 ? 0 : m->reds_rate);
	push_sched_history(m);
}

int model_commit(struct model *m)
{
	int rc = model_prepare(m);

	model_publish(m);
	return rc;
}

long model_find_proc(const struct model *m, const struct bt_pid *pid)
{
	long i;

	if (!m->cur)
		return -1;
	i = pidmap_get(&m->cur_map, m->cur, bt_pid_key(pid));
	return i >= 0 && (size_t)i < m->cur->n_procs ? i : -1;
}

const char *model_reg_name(const struct model *m, const struct bt_pid *pid)
{
	long i = model_find_proc(m, pid);

	if (i < 0 || !m->cur->procs[i].registered)
		return "";
	return strpool_get(&m->cur->pool, m->cur->procs[i].name);
}

double model_proc_value(const struct model *m, size_t i, enum proc_sort sort,
			int *missing)
{
	const struct proc *p = &m->cur->procs[i];
	const struct proc_delta *d = &m->pd[i];

	*missing = 0;
	switch (sort) {
	case SORT_MEMORY:
		*missing = !(p->have & PF_MEMORY);
		return (double)p->memory;
	case SORT_REDS:
		*missing = !(p->have & PF_REDS);
		return (double)p->reductions;
	case SORT_MQ:
		*missing = !(p->have & PF_MQ);
		return (double)p->mq;
	case SORT_HEAP:
		*missing = !(p->have & PF_HEAP);
		return (double)snapshot_extra(m->cur, i).heap;
	case SORT_BIN:
		*missing = !(p->have & PF_BIN);
		return (double)snapshot_extra(m->cur, i).bin;
	/* A row carried over from the last full scan has no rate now. */
	case SORT_REDS_RATE:
		*missing = d->is_new || m->wdt <= 0 || (p->have & PF_STALE);
		return d->reds_rate;
	case SORT_MEM_RATE:
		*missing = d->is_new || m->wdt <= 0 || (p->have & PF_STALE);
		return d->mem_rate;
	case SORT_MQ_RATE:
		*missing = d->is_new || m->wdt <= 0 || (p->have & PF_STALE);
		return d->mq_rate;
	default:
		*missing = 1;
		return 0;
	}
}

struct proc_key_ctx {
	const struct model *m;
	enum proc_sort sort;
};

static double proc_key(const void *ctx, size_t i, int *skip)
{
	const struct proc_key_ctx *c = ctx;

	return model_proc_value(c->m, i, c->sort, skip);
}

size_t model_top_procs(const struct model *m, enum proc_sort sort, size_t k,
		       int ascending, size_t *out)
{
	struct proc_key_ctx c = { m, sort };

	if (!m->cur)
		return 0;
	return topn_select(&c, m->cur->n_procs, proc_key, k, ascending, out);
}

double model_ets_value(const struct model *m, size_t i, enum ets_sort sort,
		       int *missing)
{
	const struct ets_tab *e = &m->cur->ets[i];

	*missing = 0;
	switch (sort) {
	case ETS_SORT_SIZE:
		return (double)e->size;
	/* A new table has no growth yet: it goes last, not first. */
	case ETS_SORT_GROWTH:
		*missing = !m->has_prev || m->ed[i].is_new;
		return m->ed[i].mem_rate;
	default:
		return (double)e->memory;
	}
}

struct ets_key_ctx {
	const struct model *m;
	enum ets_sort sort;
};

static double ets_sort_key(const void *ctx, size_t i, int *skip)
{
	const struct ets_key_ctx *c = ctx;

	int missing;
	double v = model_ets_value(c->m, i, c->sort, &missing);

	/* Every table/port is listed: those without the value go last. */
	*skip = 0;
	return missing ? -1e300 : v;
}

size_t model_top_ets(const struct model *m, enum ets_sort sort, size_t k,
		     size_t *out)
{
	struct ets_key_ctx c = { m, sort };

	if (!m->cur)
		return 0;
	return topn_select(&c, m->cur->n_ets, ets_sort_key, k, 0, out);
}

double model_port_value(const struct model *m, size_t i, enum port_sort sort,
			int *missing)
{
	const struct port_rec *p = &m->cur->ports[i];
	const struct port_delta *d = &m->od[i];

	*missing = 0;
	switch (sort) {
	case PORT_SORT_QUEUE:
		return (double)p->queue;
	case PORT_SORT_MEMORY:
		return (double)p->memory;
	default:
		break;
	}
	/* A new port has no rates yet: it goes last, not first. */
	*missing = !m->has_prev || d->is_new;
	return sort == PORT_SORT_IN ? d->in_rate : sort == PORT_SORT_OUT ?
	       d->out_rate : d->in_rate + d->out_rate;
}

struct port_key_ctx {
	const struct model *m;
	enum port_sort sort;
};

static double port_sort_key(const void *ctx, size_t i, int *skip)
{
	const struct port_key_ctx *c = ctx;

	int missing;
	double v = model_port_value(c->m, i, c->sort, &missing);

	/* Every table/port is listed: those without the value go last. */
	*skip = 0;
	return missing ? -1e300 : v;
}

size_t model_top_ports(const struct model *m, enum port_sort sort, size_t k,
		       size_t *out)
{
	struct port_key_ctx c = { m, sort };

	if (!m->cur)
		return 0;
	return topn_select(&c, m->cur->n_ports, port_sort_key, k, 0, out);
}
