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

#include "beamtop/fields.h"
#include "beamtop/batch.h"
#include "beamtop/batch_loop.h"
#include "beamtop/collect.h"
#include "beamtop/model.h"

#define BACKOFF_MAX_MS 5000
/* After the node refused our cookie: each try is logged on the node and
 * will be refused again until someone fixes the cookie, so try rarely. */
#define AUTH_BACKOFF_MIN_MS 15000
#define AUTH_BACKOFF_MAX_MS 60000

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
static int idle(struct collector *col, unsigned ms,
		const atomic_int *stop, char *err, size_t errlen)
{
	uint64_t end = conn_now_ms() + ms;

	while (!*stop) {
		uint64_t now = conn_now_ms();
		unsigned slice;

		if (now >= end)
			return 0;
		if (stdout_gone())
			return 1;
		slice = end - now > HANGUP_CHECK_MS ? HANGUP_CHECK_MS : (unsigned)(end - now);
		if (collect_idle(col, slice, err, errlen) < 0)
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
	uint64_t end = conn_now_ms() + ms;

	while (!*stop && conn_now_ms() < end)
		usleep(50 * 1000);
}

/* Replaces a lost connection, trying with backoff until it works or we
 * are stopped.  Returns 0, or -1 when stopped. */
static int reconnect(struct conn **c, const struct conn_opts *co,
		     const atomic_int *stop)
{
	unsigned backoff = 1000;
	char err[512];

	conn_close(*c);
	*c = NULL;
	while (!*stop) {
		nap(backoff, stop);
		if (*stop)
			break;
		if (conn_open(c, co, err, sizeof err) == 0) {
			fprintf(stderr, "beamtop: reconnected to %s\n", co->node);
			return 0;
		}
		if (strstr(err, CONN_AUTH_FAILED)) {
			backoff = backoff * 2 < AUTH_BACKOFF_MIN_MS ? AUTH_BACKOFF_MIN_MS :
				  backoff * 2 > AUTH_BACKOFF_MAX_MS ? AUTH_BACKOFF_MAX_MS :
				  backoff * 2;
			fprintf(stderr, "beamtop: %s (the node's cookie changed? next "
				"try in %u s)\n", err, backoff / 1000);
			continue;
		}
		fprintf(stderr, "beamtop: %s (retrying)\n", err);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	return -1;
}

/* Tells the collector what the model concluded: which processes the next
 * incremental refresh reads, and whether a full scan is due. */
static void follow(struct model *m, struct collector *col)
{
	const struct bt_pid *pids;
	const uint32_t *rows;
	size_t n = model_candidates(m, &pids, &rows);

	collect_set_candidates(col, pids, rows, n);
	if (m->signal[0])
		collect_want_full(col, m->signal);
}

int batch_loop(const struct opts *o, struct conn **c, const struct conn_opts *co,
	       const atomic_int *stop)
{
	struct collect_opts cop;
	struct collector *col;
	struct model m;
	struct batch_meta bm;
	size_t *idx;
	char err[512];
	long done = 0;
	size_t n;
	int rc = 0, lost, w;

	memset(&cop, 0, sizeof cop);
	cop.source = o->source;
	cop.extra = proc_sort_needs(o->sort);
	cop.stop = stop;
	cop.budget = o->budget;
	cop.agent = o->agent;
	col = collect_new(*c, &cop);
	idx = calloc(o->lines, sizeof *idx);
	if (!col || !idx || model_init(&m) < 0) {
		fprintf(stderr, "beamtop: out of memory\n");
		collect_free(col);
		free(idx);
		return EXIT_LOST;
	}
	if (o->agent && collect_agent_setup(col, err, sizeof err) < 0) {
		fprintf(stderr, "beamtop: %s\n", err);
		collect_free(col);
		free(idx);
		model_free(&m);
		return EXIT_USAGE;
	}
	m.top_n = o->lines;
	m.per_list = o->lines * 2 > 200 ? o->lines * 2 : 200;
	bm.node = co->node;
	bm.sort = o->sort;
	bm.lines = o->lines;
	bm.budget = o->budget;
	while (!*stop && (o->iterations == 0 || done < o->iterations)) {
		struct snapshot *s = model_next(&m);

		lost = 0;
		w = done > 0 ? idle(col, o->delay_ms, stop, err, sizeof err) : 0;
		if (w > 0)
			break;
		if (w < 0)
			lost = 1;
		if (!lost && !*stop) {
			int r = collect_refresh(col, s, m.cur, err, sizeof err);

			if (r == -2)
				break;
			if (r == -1) {
				lost = 1;
			} else if (s->answers == 0) {
				snprintf(err, sizeof err, "%s is not answering: no call "
					 "was answered within %.1f s", co->node,
					 co->timeout_ms / 1000.0);
				lost = 1;
			}
		}
		if (*stop)
			break;
		if (lost) {
			fprintf(stderr, "beamtop: %s\n", err);
			if (!o->reconnect) {
				rc = EXIT_LOST;
				break;
			}
			collect_free(col);
			col = NULL;
			if (reconnect(c, co, stop) < 0)
				break;
			col = collect_new(*c, &cop);
			if (!col || (o->agent && collect_agent_setup(col, err, sizeof err) < 0)) {
				fprintf(stderr, "beamtop: %s\n", col ? err : "out of memory");
				rc = EXIT_LOST;
				break;
			}
			continue;
		}
		model_commit(&m);
		follow(&m, col);
		/* A scan without names (the agent's) names the rows shown. */
		n = model_top_procs(&m, o->sort, o->lines, 0, idx);
		if (collect_names(col, m.cur, &m.cur_map, idx, n, err, sizeof err) < 0) {
			fprintf(stderr, "beamtop: %s\n", err);
			rc = EXIT_LOST;
			break;
		}
		bm.source = collect_source_name(col);
		errno = 0;
		if (o->json)
			batch_json(stdout, &m, &bm, idx);
		else
			batch_text(stdout, &m, &bm, idx);
		w = flush_report(stdout);
		if (w != 0) {
			rc = w < 0 ? EXIT_LOST : 0;
			break;
		}
		done++;
	}
	collect_free(col);
	model_free(&m);
	free(idx);
	return rc;
}
