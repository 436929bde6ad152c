/*
 * batch_loop.c - batch mode's loop (see batch_loop.h).
 *
 * A refresh in which nothing answered (every call timed out: a frozen
 * node) is a failure, not a report of zeros.  Without --reconnect, a
 * failure is one line on stderr and exit status 1; with it, one line per
 * failed attempt and the reports resume when the node is back.
 *
 * SIGPIPE is ignored (for the node's socket), so a reader that went away
 * shows up as EPIPE on stdout: that ends the run quietly with status 0,
 * as the reader chose to stop (`beamtop -b node | head`).  Any other
 * write error is one line on stderr and status 1.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/clock.h"
#include "beamtop/fields.h"
#include "beamtop/batch.h"
#include "beamtop/batch_loop.h"
#include "beamtop/collect.h"
#include "beamtop/engine.h"
#include "beamtop/opts.h"

/* How often a long wait looks whether stdout's reader has gone. */
#define HANGUP_CHECK_MS 250

/* Has the reader of a pipe on stdout gone away?  Then waiting for the
 * next refresh only delays the EPIPE. */
static int stdout_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* Keeps the connection answered (ticks, late replies) while waiting.
 * Returns 0, -1 when the connection failed, 1 when stdout is gone. */
static int idle(struct engine *e, unsigned ms, const atomic_int *stop,
		char *err, size_t errlen)
{
	uint64_t end = clock_ms() + ms;

	while (!*stop) {
		uint64_t now = clock_ms();
		unsigned slice;

		if (now >= end)
			return 0;
		if (stdout_gone())
			return 1;
		slice = end - now > HANGUP_CHECK_MS ? HANGUP_CHECK_MS : (unsigned)(end - now);
		if (engine_idle(e, slice, err, errlen) != ENG_OK)
			return -1;
	}
	return 0;
}

/* Pushes one report out.  Returns 0, 1 when the reader has gone (EPIPE),
 * or -1 after saying on stderr why it could not be written. */
static int flush_report(FILE *f)
{
	int e;

	if (fflush(f) == 0 && !ferror(f))
		return 0;
	e = errno ? errno : EIO;
	if (e == EPIPE)
		return 1;
	fprintf(stderr, "beamtop: cannot write the report: %s\n", strerror(e));
	return -1;
}

/* Sleeps ms unless stopped. */
static void nap(unsigned ms, const atomic_int *stop)
{
	uint64_t end = clock_ms() + ms;

	while (!*stop && clock_ms() < end)
		usleep(50 * 1000);
}

/* Replaces a lost connection, trying with the engine's backoff until it
 * works or we are stopped.  Returns 0, 1 when stopped, or -1 when trying
 * again cannot help (said on stderr). */
static int reconnect(struct engine *e, const atomic_int *stop)
{
	char err[512];
	int usage;

	engine_drop(e);
	while (!*stop) {
		nap(e->backoff_ms, stop);
		if (*stop)
			break;
		if (engine_connect(e, &usage, err, sizeof err) == 0) {
			fprintf(stderr, "beamtop: reconnected to %s\n", e->node);
			return 0;
		}
		if (usage) {
			fprintf(stderr, "beamtop: %s\n", err);
			return -1;
		}
		if (e->auth_failed)
			fprintf(stderr, "beamtop: %s (the node's cookie changed? next "
				"try in %u s)\n", err, e->backoff_ms / 1000);
		else
			fprintf(stderr, "beamtop: %s (retrying)\n", err);
	}
	return 1;
}

/* Collects one report's data.  Returns 0, 1 when stopped or stdout is
 * gone, or -1 with err when the node was lost or answered nothing. */
static int collect_one(struct engine *e, int first, unsigned delay_ms,
		       const atomic_int *stop, char *err, size_t errlen)
{
	int w = first ? 0 : idle(e, delay_ms, stop, err, errlen);

	if (w != 0)
		return w;
	if (*stop)
		return 1;
	switch (engine_refresh(e, err, errlen)) {
	case ENG_OK:
		return 0;
	case ENG_STOPPED:
		return 1;
	default:
		return -1;
	}
}

/* Writes the published model as one report.  Returns 0, or the exit
 * status to end with (0 when the reader went away: *end set). */
static int write_report(const struct opts *o, struct engine *e,
			struct batch_meta *bm, size_t *idx, int *end)
{
	int w;

	bm->source = collect_source_name(e->col);
	errno = 0;
	if (o->json)
		batch_json(stdout, e->m, bm, idx);
	else
		batch_text(stdout, e->m, bm, idx);
	w = flush_report(stdout);
	*end = w != 0;
	return w < 0 ? EXIT_LOST : 0;
}

/* Writes one report of the published model, its rows named first.
 * Returns as write_report(). */
static int report(const struct opts *o, struct engine *e, struct batch_meta *bm,
		  size_t *idx, int *end)
{
	struct model *m = e->m;
	char err[512];
	size_t n;

	*end = 0;
	/* A scan without names (the agent's) names the rows shown. */
	n = model_top_procs(m, o->sort, o->lines, 0, idx);
	if (collect_names(e->col, m->cur, &m->cur_map, idx, n, err, sizeof err) < 0) {
		fprintf(stderr, "beamtop: %s\n", err);
		*end = 1;
		return EXIT_LOST;
	}
	return write_report(o, e, bm, idx, end);
}

/* --partial: reports of the first full scan while it streams. */
struct partial_ctx {
	const struct opts *o;
	struct engine *e;
	struct batch_meta *bm;
	size_t *idx;
	int rc, end;              /* a report could not be written */
};

/* The collector's hook while a refresh waits: a partial report when one
 * is due.  Its rows are named as the scan read them: a names query would
 * wait here, inside the refresh. */
static void partial_hook(void *ctx, struct collector *col)
{
	struct partial_ctx *c = ctx;
	struct model *m = c->e->m;
	const struct snapshot *s;

	(void)col;
	if (c->end || !(s = engine_partial_due(c->e, c->o->delay_ms)) ||
	    !model_partial_target(m) ||
	    model_partial_prepare(m, s, (double)(clock_ms() - s->t_ms)) < 0)
		return;
	model_partial_publish(m);
	c->rc = write_report(c->o, c->e, c->bm, c->idx, &c->end);
}

int batch_loop(const struct opts *o, struct engine *e, const atomic_int *stop)
{
	struct batch_meta bm;
	struct partial_ctx pc;
	size_t *idx = calloc(o->lines, sizeof *idx);
	char err[512];
	long done = 0;
	int rc = 0, end = 0, r;

	if (!idx) {
		fprintf(stderr, "beamtop: out of memory\n");
		return EXIT_LOST;
	}
	e->m->top_n = o->lines;
	e->m->per_list = o->lines * 2 > 200 ? o->lines * 2 : 200;
	bm.node = e->node;
	bm.sort = o->sort;
	bm.lines = o->lines;
	bm.budget = o->budget;
	pc.o = o;
	pc.e = e;
	pc.bm = &bm;
	pc.idx = idx;
	pc.rc = pc.end = 0;
	if (o->partial) {
		e->cop.hook = partial_hook;
		e->cop.hook_ctx = &pc;
		if (e->col)
			collect_set_owner(e->col, &e->cop);
	}
	while (!*stop && !end && (o->iterations == 0 || done < o->iterations)) {
		r = collect_one(e, done == 0, o->delay_ms, stop, err, sizeof err);
		if (pc.end) {
			rc = pc.rc;
			break;
		}
		if (r > 0)
			break;
		if (r < 0) {
			fprintf(stderr, "beamtop: %s\n", err);
			if (!o->reconnect) {
				rc = EXIT_LOST;
				break;
			}
			r = reconnect(e, stop);
			if (r < 0)
				rc = EXIT_LOST;
			if (r != 0)
				break;
			continue;
		}
		model_publish(e->m);
		model_partial_drop(e->m);
		engine_follow(e);
		rc = report(o, e, &bm, idx, &end);
		done++;
	}
	free(idx);
	return rc;
}
