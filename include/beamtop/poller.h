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

#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#include "beamtop/collect.h"
#include "beamtop/conn.h"
#include "beamtop/cookie.h"
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
};

#define INSPECT_LINES 256
#define INSPECT_WIDTH 240

enum inspect_state { INSPECT_NONE, INSPECT_PENDING, INSPECT_OK,
		     INSPECT_FAILED, INSPECT_GONE };

/* What the screen asked to look at, and what came back. */
struct inspect {
	unsigned serial;          /* which request this answers */
	enum inspect_state state;
	struct bt_pid pid;
	char why[128];            /* for FAILED */
	int n;
	char lines[INSPECT_LINES][INSPECT_WIDTH];
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
	struct inspect insp;
	unsigned want_serial;     /* inspect request to send */
	struct bt_pid want_pid;
	int finished;             /* the thread has let go of everything */

	/* The thread's own. */
	volatile sig_atomic_t quit;
	struct conn *conn;
	struct collector *col;
	struct conn_opts co;
	char cookie[COOKIE_MAX + 1];
	char node[256];
	struct collect_opts cop;
	unsigned sent_serial;
	unsigned applied_window;
};

/* Starts the thread on an open connection c (which it takes over) and
 * the model m.  co is kept for reconnecting.  Returns 0, or -1 with err
 * filled. */
int poller_start(struct poller *p, struct conn *c, const struct conn_opts *co,
		 const struct collect_opts *cop, struct model *m,
		 unsigned interval_ms, char *err, size_t errlen);

/* Asks the thread to let go (releasing what it holds on the node) and
 * waits up to wait_ms for it.  Returns 1 when it is gone (the model may
 * be freed), 0 when it is still stuck (in a connect).  Safe to call when
 * not started. */
int poller_stop(struct poller *p, unsigned wait_ms);

void poller_lock(struct poller *p);
void poller_unlock(struct poller *p);

/* Empties the wake pipe (the screen calls it when it wakes). */
void poller_drain(struct poller *p);

/* Under the lock: ask for the process_info of pid. */
void poller_inspect(struct poller *p, const struct bt_pid *pid);

#endif
