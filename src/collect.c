/*
 * collect.c - the collector: made for one connection, let go of with what
 * it holds on the node, and the refresh loop that starts every part of a
 * refresh (collect_holder.c, collect_probe.c, collect_sys.c, the process,
 * ETS and port lists) and waits for their answers (collect_call.c), and
 * keeps the connection answered between refreshes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "beamtop/clock.h"
#include "collect_priv.h"

/* How long a partial list waits for the node-wide figures. */
#define PARTIAL_HEADER_WAIT_MS 1000

struct collector *collect_new(struct conn *c, const struct collect_opts *o)
{
	struct collector *col = calloc(1, sizeof *col);

	if (!col)
		return NULL;
	col->conn = c;
	col->o = *o;
	if (!col->o.chunk)
		col->o.chunk = 5000;
	col->backend = o->source == PROCS_PLAIN ? 0 :
		       o->source == PROCS_BACKEND ? 1 : -1;
	col_procs_init(col);
	col_tabs_init(col);
	col->enc = tenc_new();
	col->side_enc = tenc_new();
	col->eval_enc = tenc_new();
	col->box_enc = tenc_new();
	if (!col->enc || !col->side_enc || !col->eval_enc || !col->box_enc) {
		tenc_free(col->enc);
		tenc_free(col->side_enc);
		tenc_free(col->eval_enc);
		tenc_free(col->box_enc);
		free(col);
		return NULL;
	}
	return col;
}

void collect_set_extra(struct collector *col, unsigned extra)
{
	col->o.extra = extra;
}

void collect_set_owner(struct collector *col, const struct collect_opts *o)
{
	col->o.hook = o->hook;
	col->o.hook_ctx = o->hook_ctx;
	col->o.stop = o->stop;
}

const char *collect_source_name(const struct collector *col)
{
	return col->backend == 2 ? "agent" : col->backend_slow ? "plain" :
	       col->backend == 1 ? "observer_backend" :
	       col->backend == 0 ? "plain" : "unknown";
}

void collect_free(struct collector *col)
{
	char err[256];
	struct conn_event ev;
	uint64_t end;

	if (!col)
		return;
	/* Let the answers in flight come back before we go (for a second at
	 * most): an answer sent to a node that has gone makes the node
	 * connect back to it.  Not the embedded queries' (a process stream
	 * among them): their wrapper drops the answer and stops their work
	 * as soon as we have gone, which must be at once. */
	end = clock_ms() + 1000;
	while (col->conn && col_unwrapped(col) > 0 && clock_ms() < end) {
		if (conn_poll(col->conn, 50, &ev, err, sizeof err) < 0)
			break;
		col_forget(col, &ev);
	}
	col_holder_release(col);
	tenc_free(col->enc);
	tenc_free(col->side_enc);
	tenc_free(col->eval_enc);
	tenc_free(col->box_enc);
	tenc_free(col->info_args);
	col_chunked_free(&col->procs);
	col_chunked_free(&col->ets);
	col_chunked_free(&col->ports);
	free(col->sockets);
	col_heaps_free(col);
	keymap_free(&col->seen);
	keymap_free(&col->base_keys);
	col_scan_free(col);
	col_names_free(col);
	free(col);
}

/* Queries of this refresh still to answer (the holder and side calls are
 * not). */
static int refresh_pending(const struct collector *col)
{
	int i, n = 0;

	for (i = 0; i < col->nq; i++)
		if (col->q[i].fn && col->q[i].arg != COL_ARG_HOLDER)
			n++;
	return n;
}

/* One wait for whatever comes, with the owner's hook before it. */
static int wait_one(struct collector *col, struct snapshot *s, unsigned ms)
{
	struct conn_event ev;

	if (col->o.hook)
		col->o.hook(col->o.hook_ctx, col);
	if (conn_poll(col->conn, ms, &ev, col->err, sizeof col->err) < 0)
		return -1;
	return col_dispatch(col, s, &ev);
}

int collect_idle(struct collector *col, unsigned ms, char *err, size_t errlen)
{
	uint64_t end = clock_ms() + ms;

	/* Between refreshes only the holder, side calls and stale answers can
	 * arrive; nothing of a refresh is in flight, so no snapshot is
	 * touched (stream chunks to an old mailbox are dropped). */
	do {
		uint64_t now = clock_ms();
		unsigned slice = end > now ? (unsigned)(end - now) : 0;

		if (wait_one(col, NULL, slice < 50 ? slice : 50) < 0) {
			snprintf(err, errlen, "%s", col->err);
			return -1;
		}
		if (col->o.stop && *col->o.stop)
			return 0;
	} while (clock_ms() < end);
	return 0;
}

/* Waits for answers, 50 ms at a time, while more() says 1, for at most
 * limit ms from the refresh's start (0: no limit).  Returns 0 (done, or
 * out of time), -1 (lost: the link, or more() said -1) or COLLECT_STOPPED
 * (told to stop). */
static int wait_while(struct collector *col, struct snapshot *s,
		      int (*more)(struct collector *col), uint64_t limit)
{
	int m;

	while ((m = more(col)) > 0) {
		if (col->o.stop && *col->o.stop)
			return COLLECT_STOPPED;
		if (wait_one(col, s, 50) < 0)
			return -1;
		if (limit && clock_ms() - s->t_ms > limit)
			return 0;
	}
	return m < 0 ? -1 : 0;
}

static int probing(struct collector *col)
{
	return col_probe_step(col) < 0 ? -1 : col_probe_busy(col);
}

static int holder_coming(struct collector *col)
{
	return col->hold_state == 1;
}

static int stats_coming(struct collector *col)
{
	return col->stats_due;
}

static int candidates_coming(struct collector *col)
{
	return col->cand_due;
}

static int answers_due(struct collector *col)
{
	return refresh_pending(col) > 0;
}

/* What must be known before a refresh asks anything: which atoms the node
 * has, and the flag holder in place.  Returns as wait_while(). */
static int get_ready(struct collector *col, struct snapshot *s)
{
	int rc;

	if (col->hold_state == 0 && col_holder_start(col) < 0)
		return -1;
	/* Nothing that could carry an atom the node lacks goes before the
	 * node has said what it has. */
	if (col->probe_state == 0 && col_probe_start(col) < 0)
		return -1;
	rc = wait_while(col, s, probing, conn_default_timeout(col->conn) + 1000);
	if (rc < 0)
		return rc;
	if (col_probe_busy(col))
		col->probe_state = 2; /* no answer: queries stay unsent */
	/* The first refresh waits for the holder's call to reach us, which
	 * means the flag is on: otherwise this sample is `undefined` and the
	 * utilisation is unknown for one refresh more.  No holder after 5 s:
	 * carry on without it. */
	return wait_while(col, s, holder_coming, 5000);
}

/* Sends every part of the refresh.  The run queues are read alone
 * first: each call is a process on the node, and those of the rest of the
 * refresh would be counted in the run queues they wait in.  Returns as
 * wait_while(). */
static int start_parts(struct collector *col, struct snapshot *s,
		       const struct snapshot *base)
{
	int rc;

	col->base = base; /* (the ports' too: which were sockets) */
	if (col_stats_start(col) < 0)
		return -1;
	/* (A node too busy to answer in a second gets the rest anyway.) */
	rc = wait_while(col, s, stats_coming, 1000);
	if (rc != 0)
		return rc;
	/* The candidates too are read alone (an incremental refresh): what
	 * our other calls cost the node is then known to fall between two
	 * reads, and is taken out of the proofs (see model_candidates.c). */
	if (!col->o.no_procs && col_scan_start(col, s, base) < 0)
		return -1;
	rc = wait_while(col, s, candidates_coming, 1000);
	if (rc != 0)
		return rc;
	if (col_sys_start(col) < 0)
		return -1;
	if (!col->o.no_ets && col_ets_start(col, s) < 0)
		return -1;
	if (!col->o.no_ports && col_ports_start(col, s) < 0)
		return -1;
	return 0;
}

const struct snapshot *collect_partial(const struct collector *col)
{
	const struct snapshot *s = col->s;

	if (!col->parts_sent || !s || col->o.no_procs || s->scan != SCAN_FULL ||
	    s->procs_ok != 0)
		return NULL;
	/* The node-wide figures answer within ms: the header waits for them
	 * (for a second at most). */
	if ((!s->sys.have_stats || !s->sys.have_info || s->n_mem == 0) &&
	    clock_ms() - s->t_ms < PARTIAL_HEADER_WAIT_MS)
		return NULL;
	return s;
}

int collect_refresh(struct collector *col, struct snapshot *s,
		    const struct snapshot *base, char *err, size_t errlen)
{
	struct timespec t0, t1;
	uint64_t bytes0 = conn_bytes_in(col->conn);
	int rc;

	snapshot_clear(s);
	col->s = s;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s->t_ms = clock_ms();
	s->wall = time(NULL);
	{
		struct timespec rt;

		clock_gettime(CLOCK_REALTIME, &rt);
		s->wall_epoch_ms = (uint64_t)rt.tv_sec * 1000u +
				   (uint64_t)rt.tv_nsec / 1000000u;
	}
	col->err[0] = '\0';

	rc = get_ready(col, s);
	if (rc == 0)
		rc = start_parts(col, s, base);
	col->parts_sent = rc == 0;
	if (rc == 0)
		rc = wait_while(col, s, answers_due, 0);
	col->parts_sent = 0;
	if (rc == COLLECT_STOPPED) {
		snprintf(err, errlen, "interrupted");
		return COLLECT_STOPPED;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s", col->err[0] ? col->err : "connection lost");
		col->nq = 0;
		col->hold_state = 0;
		col->probe_state = 0;
		return -1;
	}
	col_procs_finish(col, s);
	if (!col->o.no_procs)
		col_scan_finish(col, s);
	col_tabs_finish(s);
	col_sys_finish(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->wall_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	s->bytes = conn_bytes_in(col->conn) - bytes0;
	return 0;
}
