/*
 * collect_scan.c - full scans, kept within a budget, and incremental
 * refreshes between them.
 *
 * A full scan reads every process (seconds of one scheduler at a million
 * processes).  So full scans happen when the budget allows (a share of one
 * scheduler's time, --budget), at most every 60 s unless a signal from the
 * model says the lists may be wrong; in between, a refresh carries the
 * last scan's rows over (marked stale) and reads again only the
 * candidates for the top of each list, with one
 *     lists:zipwith(fun erlang:process_info/2, Candidates, [Items...])
 * The budget is a bucket of milliseconds of node time that fills at
 * budget% of the wall clock; a scan empties it by what it cost.  A signal
 * may take the bucket one scan into debt, so that a process that jumps to
 * the top is found at once; after that the bucket must fill again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/clock.h"
#include "collect_priv.h"

#define FULL_MIN_PERIOD_MS 60000
#define ARG_INCR 0
#define ARG_BRACKETED 1

void collect_set_candidates(struct collector *col, const struct bt_pid *pids,
			    const uint32_t *rows, size_t n, size_t n_mem)
{
	if (n > col->cand_cap) {
		struct bt_pid *p = realloc(col->cand, n * sizeof *p);
		uint32_t *r;

		if (!p)
			return;
		col->cand = p;
		r = realloc(col->cand_row, n * sizeof *r);
		if (!r)
			return;
		col->cand_row = r;
		col->cand_cap = n;
	}
	col->ncand = n;
	col->ncand_mem = n_mem < n ? n_mem : n;
	if (n == 0)
		return; /* (the arrays may not exist yet: no memcpy from NULL) */
	memcpy(col->cand, pids, n * sizeof *pids);
	memcpy(col->cand_row, rows, n * sizeof *rows);
}

void collect_want_full(struct collector *col, const char *why)
{
	if (!col->want_full[0])
		snprintf(col->want_full, sizeof col->want_full, "%s", why);
}

void col_scan_free(struct collector *col)
{
	free(col->cand);
	free(col->cand_row);
	col->cand = NULL;
	col->cand_row = NULL;
	col->ncand = col->cand_cap = 0;
}

/* One candidate's answer: undefined (gone) or [{reductions, R},
 * {message_queue_len, Q}, {heap_size, H}] (its memory is read after,
 * where it may have changed: see collect_heaps.c).  Returns 0 or -1. */
static int candidate(struct collector *col, struct snapshot *s, size_t i,
		     struct tdec *r)
{
	struct proc *p = col->cand_row[i] < s->n_procs ? &s->procs[col->cand_row[i]] :
			 NULL;
	struct proc was;
	char key[32];
	uint64_t v;
	int64_t heap = -1;
	int m, k, arity;

	/* (Rows moved: the next full scan mends it.) */
	if (p && bt_pid_key(&p->pid) != bt_pid_key(&col->cand[i]))
		p = NULL;
	if (tdec_atom_is(r, "undefined")) {
		if (p)
			p->have = 0; /* gone: dropped in col_scan_finish() */
		return 0;
	}
	if (tdec_list(r, &m) < 0)
		return -1;
	if (p)
		was = *p;
	for (k = 0; k < m; k++) {
		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0 || tdec_u64(r, &v) < 0)
			return -1;
		if (!p)
			continue;
		if (strcmp(key, "memory") == 0)
			p->memory = v;
		else if (strcmp(key, "reductions") == 0)
			p->reductions = v;
		else if (strcmp(key, "message_queue_len") == 0)
			p->mq = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		else if (strcmp(key, "heap_size") == 0)
			heap = v > INT64_MAX ? INT64_MAX : (int64_t)v;
	}
	if (tdec_list_end(r, m) < 0)
		return -1;
	if (p) {
		p->have &= (uint8_t)~PF_STALE;
		s->n_fresh++;
		col_heaps_note(col, i, bt_pid_key(&p->pid), &was, p, heap,
			       i < col->ncand_mem);
	}
	return 0;
}

/* The memory of the candidates in memory_of: [{memory, M} | undefined]. */
static int on_memory(struct collector *col, struct snapshot *s,
		     struct tdec *r, long arg)
{
	size_t k;
	uint64_t v;
	int n, arity;
	char key[16];

	(void)arg;
	col->cand_due = 0;
	if (!r || tdec_list(r, &n) < 0 || (size_t)n != col->n_memory) {
		snapshot_note_error(s, "the memory of the candidates was not read");
		return 0;
	}
	for (k = 0; k < col->n_memory; k++) {
		size_t i = col->memory_of[k];
		struct proc *p = col->cand_row[i] < s->n_procs ?
				 &s->procs[col->cand_row[i]] : NULL;

		if (tdec_atom_is(r, "undefined"))
			continue; /* gone since: the next read drops it */
		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0 || tdec_u64(r, &v) < 0)
			return 0;
		if (p && bt_pid_key(&p->pid) == bt_pid_key(&col->cand[i]))
			p->memory = v;
	}
	return 0;
}

/* Reads the memory of the candidates in memory_of (a plain call: it is
 * not in the proofs' bracket, and its cost is the processes' own). */
static int read_memory(struct collector *col)
{
	struct tenc *t = col->enc;
	size_t k;

	conn_log(col->conn, "  memory of %zu candidates", col->n_memory);
	tenc_reset(t);
	tenc_list(t, 3);
	tenc_fun(t, "erlang", "process_info", 2);
	tenc_list(t, (int)col->n_memory);
	for (k = 0; k < col->n_memory; k++)
		tenc_pid(t, &col->cand[col->memory_of[k]], conn_target(col->conn));
	tenc_nil(t);
	tenc_list(t, (int)col->n_memory);
	for (k = 0; k < col->n_memory; k++)
		tenc_atom(t, "memory");
	tenc_nil(t);
	tenc_nil(t);
	if (col_issue(col, "lists", "zipwith", t, on_memory, 0, "memory of the "
		      "candidates") < 0)
		return -1;
	col->cand_due = 1;
	return 0;
}

/* The candidates' answers, in their order; by the query, bracketed:
 * {Before, [...], After, Inner, Whole}. */
static int on_candidates(struct collector *col, struct snapshot *s,
			 struct tdec *r, long arg)
{
	size_t i;
	int n, arity;

	col->cand_due = 0;
	if (r && arg == ARG_BRACKETED &&
	    (tdec_tuple(r, &arity) < 0 || arity != 5 ||
	     tdec_u64(r, &s->reds_before) < 0))
		r = NULL;
	if (!r || tdec_list(r, &n) < 0 || (size_t)n != col->cand_sent ||
	    col_heaps_begin(col, col->cand_sent) < 0) {
		s->procs_ok = -1;
		return 0;
	}
	for (i = 0; i < col->cand_sent; i++)
		if (candidate(col, s, i, r) < 0) {
			s->procs_ok = -1;
			return 0;
		}
	col_heaps_end(col);
	s->procs_ok = col->cand_sent == col->ncand ? 1 : -1;
	if (arg == ARG_BRACKETED && tdec_list_end(r, n) == 0 &&
	    tdec_u64(r, &s->reds_after) == 0 && tdec_u64(r, &s->reds_own) == 0 &&
	    tdec_u64(r, &s->reds_whole) == 0 && s->reds_after >= s->reds_before)
		s->bracketed = 1;
	/* Our queries' cost from here on counts towards the next window. */
	col->cand_back_ms = clock_ms();
	col->own_cost = 0;
	return col->n_memory ? read_memory(col) : 0;
}

/* How many candidates one call can read in time: all of them, unless
 * process chunks had to shrink (a busy node, see collect_chunk.c); then
 * what two chunks hold, the first candidates first. */
static size_t candidates_in_time(const struct collector *col)
{
	size_t cap = (size_t)col->procs.per * 2;

	return col->backend_slow && cap < col->ncand ? cap : col->ncand;
}

/* Reads the candidates with the proc_candidates query (bracketed by the
 * node's reductions), or with a plain zipwith where the query cannot go
 * (no erl_eval on the node, read-only gate). */
static int read_candidates(struct collector *col)
{
	/* Not memory: it costs the node ~2.5 us a process (the process
	 * itself answers it), these ~0.15 us; memory is read after, where
	 * these say it may have changed (see collect_heaps.c). */
	static const char *const items[] = {
		"reductions", "message_queue_len", "heap_size"
	};
	struct tenc *t = col->enc;
	size_t i, n = candidates_in_time(col);
	struct qargs a = { 0 };
	const char *raw;
	int len, pids_end, rc;

	col->cand_sent = n;
	conn_log(col->conn, "  candidates %zu, %zu of them tops", n,
		 col->ncand_mem < n ? col->ncand_mem : n);
	tenc_reset(t);
	tenc_list(t, (int)n);
	for (i = 0; i < n; i++)
		tenc_pid(t, &col->cand[i], conn_target(col->conn));
	tenc_nil(t);
	tenc_data(t, &pids_end);
	col_args_items(t, (int)n, items, 3);
	raw = tenc_data(t, &len);
	qargs_add(&a, qval_ptr("Pids", QV_RAW, raw, pids_end));
	qargs_add(&a, qval_ptr("ItemsList", QV_RAW, raw + pids_end, len - pids_end));
	/* What our other queries cost since the last candidates' answer (all
	 * of them answered, so all of their work done before this read). */
	col->s->reds_others = col->own_cost;
	rc = col_query(col, QUERY_PROC_CANDIDATES, &a, on_candidates, ARG_BRACKETED,
		       "candidates");
	col->cand_due = rc == 0;
	if (rc != COL_NOT_SENT)
		return rc;
	tenc_reset(t);
	tenc_list(t, 3);
	tenc_fun(t, "erlang", "process_info", 2);
	tenc_list(t, (int)n);
	for (i = 0; i < n; i++)
		tenc_pid(t, &col->cand[i], conn_target(col->conn));
	tenc_nil(t);
	col_args_items(t, (int)n, items, 3);
	tenc_nil(t);
	return col_issue(col, "lists", "zipwith", t, on_candidates, ARG_INCR,
			 "candidates");
}

int col_scan_start(struct collector *col, struct snapshot *s,
		   const struct snapshot *base)
{
	uint64_t now = clock_ms();
	double cap = col->full_cost_ms > 1000 ? col->full_cost_ms : 1000;
	const char *why = NULL;

	/* The bucket fills at budget% of the time that passed. */
	if (col->tokens_at)
		col->tokens += (double)(now - col->tokens_at) * col->o.budget / 100.0;
	if (col->tokens > cap)
		col->tokens = cap;
	col->tokens_at = now;
	col->procs_t0 = now;
	col->base = base;

	if (col->o.budget >= 100)
		why = "every refresh (--budget 100)";
	else if (!col->last_full_ms || !base || base->n_procs == 0)
		why = "the first";
	else if (col->o.extra & (PF_HEAP | PF_BIN))
		why = "heap or binary sizes are not kept between scans";
	else if (col->ncand == 0)
		why = "no candidates";
	else if (col->want_full[0] && col->tokens >= -col->full_cost_ms)
		why = col->want_full; /* into debt by one scan at most */
	else if (now - col->last_full_ms >= FULL_MIN_PERIOD_MS &&
		 col->tokens >= col->full_cost_ms)
		why = "periodic";

	if (why) {
		s->scan = SCAN_FULL;
		snprintf(s->scan_why, sizeof s->scan_why, "%s", why);
		col->want_full[0] = '\0';
		col->last_full_ms = now;
		return col_procs_start(col, s);
	}
	s->scan = SCAN_INCR;
	s->full_age_ms = now - col->last_full_ms;
	s->stale_t_ms = base->scan == SCAN_INCR ? base->stale_t_ms : base->t_ms;
	if (col->want_full[0])
		snprintf(s->scan_why, sizeof s->scan_why, "%.60s; full scan waits for "
			 "the budget", col->want_full);
	else
		snprintf(s->scan_why, sizeof s->scan_why, "candidates");
	if (snapshot_copy_procs(s, base) < 0) {
		snprintf(col->err, sizeof col->err, "out of memory");
		return -1;
	}
	s->procs_ok = 0;
	return read_candidates(col);
}

void col_scan_finish(struct collector *col, struct snapshot *s)
{
	size_t i, j = 0;

	if (s->scan == SCAN_FULL) {
		/* What the scan cost the node: its wall time (one scheduler
		 * works through the list from first to last).  The first scan
		 * cannot be helped and is not charged. */
		if (col->full_cost_ms > 0)
			col->tokens -= (double)(clock_ms() - col->procs_t0);
		col->full_cost_ms = (double)(clock_ms() - col->procs_t0);
		s->n_fresh = s->n_procs;
		if (col_carry_stale(col, s, col->base) < 0)
			snapshot_note_error(s, "out of memory keeping older rows");
		return;
	}
	/* Drop the candidates that died. */
	for (i = 0; i < s->n_procs; i++)
		if (s->procs[i].have)
			s->procs[j++] = s->procs[i];
	s->n_procs = j;
}
