/*
 * engine.c - one node's collection and the rules around it (see
 * engine.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/clock.h"
#include "beamtop/collect.h"
#include "beamtop/engine.h"
#include "beamtop/model.h"

/* Rows that a partial list may have and still be followed at once by
 * the next (the first chunks of a scan can be small). */
#define PARTIAL_FEW 1000

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 5000
#define AUTH_BACKOFF_MIN_MS 15000
#define AUTH_BACKOFF_MAX_MS 60000

/* A string of co kept in buf, so that the caller's may go. */
static const char *keep(char *buf, size_t n, const char *s)
{
	if (!s)
		return NULL;
	snprintf(buf, n, "%s", s);
	return buf;
}

void engine_init(struct engine *e, const struct conn_opts *co,
		 const struct collect_opts *cop, struct model *m)
{
	memset(e, 0, sizeof *e);
	e->m = m;
	e->co = *co;
	e->co.cookie = keep(e->cookie, sizeof e->cookie, co->cookie);
	e->co.node = keep(e->node, sizeof e->node, co->node);
	e->co.own_name = keep(e->own_name, sizeof e->own_name, co->own_name);
	e->co.address = keep(e->address, sizeof e->address, co->address);
	e->cop = *cop;
	e->backoff_ms = BACKOFF_MIN_MS;
}

void engine_drop(struct engine *e)
{
	collect_free(e->col);
	e->col = NULL;
	conn_close(e->conn);
	e->conn = NULL;
}

void engine_free(struct engine *e)
{
	engine_drop(e);
	cookie_wipe(e->cookie, sizeof e->cookie);
}

static unsigned doubled(unsigned ms, unsigned lo, unsigned hi)
{
	ms *= 2;
	return ms < lo ? lo : ms > hi ? hi : ms;
}

/* The node that answered must be the one asked for: epmd on another
 * host name (localhost for vm) or a port can lead to a node of another
 * name, and everything shown would be said of the wrong node.  Connected
 * by --address or --port on purpose, the first answer names the node
 * (said on stderr); a later one that differs is another node.  Returns 0,
 * or -1 with err filled. */
static int check_name(struct engine *e, int *usage, char *err, size_t errlen)
{
	char answered[256];
	int rc = collect_node_name(e->col, answered, sizeof answered);

	if (rc < 0) {
		snprintf(err, errlen, "connection to %s lost while asking its name",
			 e->node);
		return -1;
	}
	if (rc > 0 || strcmp(answered, e->node) == 0)
		return 0;
	if (!e->named && (e->co.address || e->co.port)) {
		fprintf(stderr, "beamtop: %s answered as %s (connected by %s): "
			"shown as %s\n", e->node, answered,
			e->co.port ? "--port" : "--address", answered);
		snprintf(e->node, sizeof e->node, "%s", answered);
		return 0;
	}
	*usage = 1;
	snprintf(err, errlen, "%s answered as %s: not the node asked for (beamtop "
		 "%s attaches to it)", e->node, answered, answered);
	return -1;
}

int engine_connect(struct engine *e, int *usage, char *err, size_t errlen)
{
	*usage = 0;
	engine_drop(e);
	if (conn_open(&e->conn, &e->co, err, errlen) < 0) {
		e->conn = NULL;
		e->auth_failed = strstr(err, CONN_AUTH_FAILED) != NULL;
		if (e->auth_failed)
			e->backoff_ms = e->fails ? doubled(e->backoff_ms, AUTH_BACKOFF_MIN_MS,
							   AUTH_BACKOFF_MAX_MS) :
				AUTH_BACKOFF_MIN_MS;
		else
			e->backoff_ms = e->fails ? doubled(e->backoff_ms, BACKOFF_MIN_MS,
							   BACKOFF_MAX_MS) : BACKOFF_MIN_MS;
		e->fails++;
		return -1;
	}
	e->col = collect_new(e->conn, &e->cop);
	if (!e->col) {
		snprintf(err, errlen, "out of memory");
		engine_drop(e);
		return -1;
	}
	if (check_name(e, usage, err, errlen) < 0) {
		engine_drop(e);
		return -1;
	}
	e->named = 1;
	e->fresh = 1;
	if (e->cop.agent && collect_agent_setup(e->col, err, errlen) < 0) {
		*usage = 1;
		engine_drop(e);
		return -1;
	}
	e->auth_failed = 0;
	e->fails = 0;
	e->backoff_ms = BACKOFF_MIN_MS;
	return 0;
}

int engine_connect_for(struct engine *e, unsigned retry_ms, int *usage,
		       char *err, size_t errlen)
{
	uint64_t end = clock_ms() + retry_ms;

	for (;;) {
		if (engine_connect(e, usage, err, errlen) == 0)
			return 0;
		if (*usage || clock_ms() >= end ||
		    (e->cop.stop && atomic_load(e->cop.stop)))
			return -1;
		usleep(200 * 1000);
	}
}

enum engine_rc engine_refresh(struct engine *e, char *err, size_t errlen)
{
	struct snapshot *next = model_next(e->m);
	int rc;

	e->part_ms = 0;
	e->part_rows = 0;
	/* Rows a partial scan misses are carried from the last one, by pid:
	 * not from before a reconnect, which may be to a restarted node
	 * whose pids are other processes. */
	rc = collect_refresh(e->col, next, e->fresh ? NULL : e->m->cur, err, errlen);
	if (rc == COLLECT_STOPPED)
		return ENG_STOPPED;
	if (rc < 0) {
		engine_drop(e);
		return ENG_LOST;
	}
	/* Nothing answered (every call timed out): zeros would be a lie. */
	if (next->answers == 0) {
		snprintf(err, errlen, "%.90s is not answering: no call was answered "
			 "within %.1f s (%.130s)", e->node, e->co.timeout_ms / 1000.0,
			 next->errors[0] ? next->errors : "no reply");
		return ENG_FROZEN;
	}
	e->fresh = 0;
	model_prepare(e->m);
	return ENG_OK;
}

const struct snapshot *engine_partial_due(struct engine *e, unsigned every_ms)
{
	const struct snapshot *s;
	uint64_t now = clock_ms();

	if (!e->col || !model_partial_wanted(e->m) || !(s = collect_partial(e->col)))
		return NULL;
	/* Until a screenful or so of rows has come, at once; after that
	 * each copy costs beamtop time in proportion to the rows, time taken
	 * from reading the stream (and, on a small machine, from the node's
	 * scan): later ones come as the list doubles, or four periods on. */
	if (e->part_ms && (s->n_procs == e->part_rows ||
			   (e->part_rows >= PARTIAL_FEW && now - e->part_ms < every_ms) ||
			   (e->part_rows >= PARTIAL_FEW &&
			    now - e->part_ms < 4ull * every_ms &&
			    s->n_procs < 2 * e->part_rows)))
		return NULL;
	e->part_ms = now;
	e->part_rows = s->n_procs;
	return s;
}

void engine_follow(struct engine *e)
{
	const struct bt_pid *pids;
	const uint32_t *rows;
	size_t n, n_mem;

	if (!e->col)
		return;
	/* At 1M processes choosing them takes tens of ms: the caller does
	 * it outside any lock the screen takes. */
	n = model_candidates(e->m, &pids, &rows, &n_mem);
	collect_set_candidates(e->col, pids, rows, n, n_mem);
	if (e->m->signal[0])
		collect_want_full(e->col, e->m->signal);
}

enum engine_rc engine_idle(struct engine *e, unsigned ms, char *err,
			   size_t errlen)
{
	if (collect_idle(e->col, ms, err, errlen) < 0) {
		engine_drop(e);
		return ENG_LOST;
	}
	return ENG_OK;
}
