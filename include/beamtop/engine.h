/*
 * engine.h - one node's collection: its connection, collector and model,
 * and the policy around a refresh: connecting (with the agent set up when
 * asked), a refresh in which nothing answered (a frozen node), the
 * candidates for the next incremental refresh, reconnecting with backoff.
 * Batch mode and the screen's connection thread both drive one engine, so
 * the rules are written once; it knows no screen and writes no output.
 */
#ifndef BEAMTOP_ENGINE_H
#define BEAMTOP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/collect_opts.h"
#include "beamtop/conn.h"
#include "beamtop/cookie.h"

struct collector;
struct model;

enum engine_rc {
	ENG_OK,       /* a refresh prepared in model_next(): publish it */
	ENG_FROZEN,   /* the node answered nothing: keep the last data */
	ENG_LOST,     /* the connection is gone (closed): reconnect */
	ENG_STOPPED   /* the stop flag was set */
};

struct engine {
	struct conn *conn;        /* NULL while down */
	struct collector *col;    /* NULL while down */
	struct model *m;
	struct conn_opts co;      /* its strings point into the engine */
	struct collect_opts cop;
	char cookie[COOKIE_MAX + 1];
	char node[256];
	char own_name[256];
	char address[256];
	unsigned backoff_ms;      /* the wait before the next connect */
	unsigned fails;           /* connects failed in a row */
	int auth_failed;          /* the last connect was refused our cookie */
	int named;                /* node is the name the node gave itself */
	int fresh;                /* connected, not refreshed since */
	uint64_t part_ms;         /* when this refresh's last partial list was
				     due; 0 none yet */
	size_t part_rows;         /* the rows it had */
};

/* Sets e up for co and cop (copied, strings too) and the model m, not
 * connected yet.  Cannot fail. */
void engine_init(struct engine *e, const struct conn_opts *co,
		 const struct collect_opts *cop, struct model *m);
/* Lets go of the node and wipes the cookie. */
void engine_free(struct engine *e);

/* One connection attempt, with the collector (and the agent) set up.
 * Returns 0, or -1 with err filled and e->backoff_ms set to how long to
 * wait before the next attempt (1 s doubling to 5 s; after a refused
 * cookie, e->auth_failed and 15 s doubling to 60 s: each try is logged on
 * the node).  *usage is set when retrying cannot help (the agent
 * refused, or the node that answered has another name than the one
 * asked for). */
int engine_connect(struct engine *e, int *usage, char *err, size_t errlen);
/* Connects, trying again every 200 ms for up to retry_ms (a node still
 * starting).  Returns as engine_connect(). */
int engine_connect_for(struct engine *e, unsigned retry_ms, int *usage,
		       char *err, size_t errlen);
/* Closes the connection and the collector (its holders on the node go
 * with the connection). */
void engine_drop(struct engine *e);

/* Collects one refresh into model_next() and prepares its rates.
 * ENG_OK: publish it with model_publish() (the caller decides when, and
 * under which lock), then call engine_follow().  ENG_FROZEN and ENG_LOST
 * fill err; after ENG_LOST the engine is down. */
enum engine_rc engine_refresh(struct engine *e, char *err, size_t errlen);
/* From the collector's hook, while engine_refresh() waits: the refresh
 * being filled when a partial list of it is due (the first screen, see
 * model_partial_wanted()): the first as soon as the node-wide figures are
 * in, the next ones as soon as rows have come until a thousand have, then
 * when rows have come, every_ms have passed and the list has doubled (or
 * 4 * every_ms have passed).  Else NULL.  The caller copies it with
 * model_partial_prepare() and publishes it with model_partial_publish(). */
const struct snapshot *engine_partial_due(struct engine *e, unsigned every_ms);
/* After a publish: the processes the next incremental refresh reads
 * again, and a full scan when the model saw a sign that one is due. */
void engine_follow(struct engine *e);
/* Keeps the connection answered for up to ms.  ENG_OK, or ENG_LOST with
 * err (the engine is then down). */
enum engine_rc engine_idle(struct engine *e, unsigned ms, char *err,
			   size_t errlen);

#endif
