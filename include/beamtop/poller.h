/*
 * poller.h - the thread that owns the connection in screen mode.
 *
 * The screen never waits on the network: this thread refreshes on its
 * interval, keeps reading (so ticks are answered) between refreshes,
 * reconnects with backoff when the node goes away, and publishes each
 * refresh into the model under the lock.  The screen reads the model and
 * the status under the same lock, and learns that something changed from
 * a byte on the wake pipe.  Requests from the screen (what to inspect)
 * go through fields under the lock too.
 */
#ifndef BEAMTOP_POLLER_H
#define BEAMTOP_POLLER_H

#include <stdatomic.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "beamtop/collect.h"
#include "beamtop/conn.h"
#include "beamtop/dreq.h"
#include "beamtop/engine.h"
#include "beamtop/drill.h"
#include "beamtop/model.h"

enum link_state { LINK_UP, LINK_DOWN };

struct poller_status {
	enum link_state link;
	char message[256];        /* why the link is down, or a failed part */
	uint64_t data_ms;         /* monotonic time of the published data */
	uint64_t down_since_ms;
	uint64_t retry_at_ms;     /* next reconnect attempt */
	unsigned attempts;
	double cost_ms;           /* the last refresh's wall time */
	uint64_t bytes;           /* and what it received */
	int stretched;            /* it took longer than the interval */
	char source[24];
	unsigned long held;       /* refreshes kept back while paused */
	int reconnected;          /* bumps on every reconnect */
	int auth_failed;          /* the node refused our cookie: no retry
				   * until the user asks (retry_now) */
};

/* Actions: the only requests that change the node. */
enum poller_act { ACT_NONE, ACT_KILL, ACT_GC, ACT_BINLEAK, ACT_RAISE_CAP };

/* bin_leak's steps, for the progress shown while it runs. */
enum binleak_phase { BL_IDLE, BL_BEFORE, BL_GC, BL_AFTER, BL_DONE };

/* What bin_leak measured of one process before the collection. */
struct bl_row {
	struct bt_pid pid;
	uint64_t bytes, count;
};

struct poller {
	pthread_t thread;
	pthread_mutex_t lock;
	int started;
	int wake[2];              /* [0] read by the screen */

	/* Under the lock. */
	struct model *m;
	struct poller_status st;
	unsigned interval_ms;
	int paused;
	unsigned extra;           /* PF_HEAP / PF_BIN wanted */
	unsigned window_ms;
	int refresh_now;
	int retry_now;            /* r: try again after auth_failed */
	int finished;             /* the thread has let go of everything */
	/* The drill-down: what the screen looks into, and what came back. */
	struct drill *drill;
	unsigned drill_serial;    /* bumps with each new target */
	unsigned want;            /* bits (1 << enum drill_sec) asked for */
	unsigned want_serial;     /* bumps when `want` gains a bit */
	char want_name[256];      /* a registered name to resolve first */
	/* Actions. */
	enum poller_act act;
	struct bt_pid act_pid;
	unsigned act_serial;      /* bumps with each confirmed action */
	unsigned act_done;        /* the serial whose result is act_result */
	char act_result[256];
	enum binleak_phase bl_phase;
	/* Rows on screen that have no name yet (a scan without names). */
	struct bt_pid names_want[64];
	size_t names_n;
	unsigned names_serial;

	/* The thread's own. */
	atomic_int quit;             /* set by the screen, read here: C11 atomic */
	struct engine *eng;          /* the node: connection, collector, model */
	unsigned applied_window;
	unsigned sent_drill, sent_want, sent_act, sent_names;
	int detail_after_info;     /* the details follow the summary's answer */
	uint64_t drill_cap;        /* bytes a query may copy; 0: the default */
	struct dreq_queue dq;      /* the drill-down's requests (poller_drill.c) */
	struct bl_row *bl_before;  /* bin_leak's first measurement */
	size_t bl_n;
	uint64_t bl_mem_before, bl_mem_after;
	unsigned bl_serial;
};

/* Starts the thread on a connected engine e (and its model), which it
 * uses alone until poller_stop() says it is gone.  Returns 0, or -1 with
 * err filled. */
int poller_start(struct poller *p, struct engine *e, unsigned interval_ms,
		 char *err, size_t errlen);

/* Asks the thread to let go (releasing what it holds on the node) and
 * waits up to wait_ms for it.  Returns 1 when it is gone (the model may
 * be freed), 0 when it is still stuck (in a connect).  Safe to call when
 * not started. */
int poller_stop(struct poller *p, unsigned wait_ms);

void poller_lock(struct poller *p);
void poller_unlock(struct poller *p);

/* Empties the wake pipe (the screen calls it when it wakes). */
void poller_drain(struct poller *p);

/* Under the lock: look into a process, table or port (others zero). */
void poller_drill(struct poller *p, enum drill_kind kind,
		  const struct bt_pid *pid, const struct bt_port *port,
		  const struct bt_ref *tab, const char *tabname);
/* Under the lock: look into the process registered as name. */
void poller_drill_name(struct poller *p, const char *name);
/* Under the lock: ask for a section that is only read on request
 * (messages, state, objects). */
void poller_drill_want(struct poller *p, enum drill_sec sec);
/* Under the lock: the screen shows these processes without names. */
void poller_want_names(struct poller *p, const struct bt_pid *pids, size_t n);

/* Under the lock: start a confirmed action on pid (ignored for
 * ACT_BINLEAK, which is node-wide). */
void poller_action(struct poller *p, enum poller_act act,
		   const struct bt_pid *pid);

#endif
