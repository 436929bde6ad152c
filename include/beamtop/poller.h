/*
 * poller.h - the thread that owns the connection in screen mode.
 *
 * The screen never waits on the network: this thread refreshes on its
 * interval, keeps reading (so ticks are answered) between refreshes,
 * reconnects with backoff when the node goes away, and publishes each
 * refresh.  The boundary is narrow: the screen sends requests (each a
 * short call that takes the lock) and takes frames (copies of what was
 * published, and a hold on the snapshot it draws), then handles keys and
 * draws without the lock.  It learns that something changed from a byte
 * on poller_fd().  The poller itself is opaque.
 */
#ifndef BEAMTOP_POLLER_H
#define BEAMTOP_POLLER_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/drill.h"
#include "beamtop/model.h"

struct engine;

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

struct poller;

/* What the screen draws from, taken with poller_frame(): copies of what
 * the connection thread published, and a model view whose snapshot the
 * thread leaves alone until poller_frame_done(). */
struct poller_frame {
	struct model_view mv;
	const struct model *m;     /* &mv.m (its cur is NULL before any data) */
	struct poller_status st;
	struct drill *drill;       /* the drill-down, as last rendered */
	char want_name[256];       /* a registered name being looked up */
	unsigned act_done;         /* the serial whose result is act_result */
	char act_result[256];
	enum binleak_phase bl_phase;
	int finished;              /* the thread has let go of everything */
};

/* Starts the thread on a connected engine e (and its model), which it
 * uses alone until poller_stop() says it is gone.  Returns the poller, or
 * NULL with err filled. */
struct poller *poller_start(struct engine *e, unsigned interval_ms, char *err,
			    size_t errlen);

/* Asks the thread to let go (releasing what it holds on the node) and
 * waits up to wait_ms for it.  Returns 1 when it is gone and p is freed
 * (the engine and model may be too), 0 when it is still stuck (in a
 * connect: then everything stays, for the exit to end).  Safe on NULL. */
int poller_stop(struct poller *p, unsigned wait_ms);

/* The fd that becomes readable when something changed, and emptying it. */
int poller_fd(const struct poller *p);
void poller_drain(struct poller *p);

/* A frame's buffers (room for a drill-down).  Returns 0, or -1 when out
 * of memory. */
int poller_frame_init(struct poller_frame *f);
void poller_frame_free(struct poller_frame *f);
/* Fills f with the newest data and holds its snapshot: the thread does
 * not touch it until poller_frame_done().  Called again while held, it
 * moves to the newest. */
void poller_frame(struct poller *p, struct poller_frame *f);
void poller_frame_done(struct poller *p);

/* The screen's requests: each takes the lock for a moment. */
void poller_set_interval(struct poller *p, unsigned ms);
/* Paused, refreshes are kept back; unpaused, one starts at once. */
void poller_set_paused(struct poller *p, int paused);
/* PF_* fields to read beyond the basics (a sort's needs). */
void poller_set_extra(struct poller *p, unsigned extra);
/* Rates over windows of ms (0: one refresh), from a refresh now. */
void poller_set_window(struct poller *p, unsigned ms);
/* The screen's width: the drill-down's next terms are laid out in it. */
void poller_set_width(struct poller *p, int cols);
/* r: try again after the node refused our cookie. */
void poller_retry(struct poller *p);
/* C, confirmed: the next sections may copy up to DRILL_CAP_RAISED. */
void poller_raise_cap(struct poller *p);

/* Look into a process, table or port (others zero). */
void poller_drill(struct poller *p, enum drill_kind kind,
		  const struct bt_pid *pid, const struct bt_port *port,
		  const struct bt_ref *tab, const char *tabname);
/* Look into the process registered as name. */
void poller_drill_name(struct poller *p, const char *name);
/* Ask for a section that is only read on request (messages, state,
 * objects). */
void poller_drill_want(struct poller *p, enum drill_sec sec);
/* The screen shows these processes without names. */
void poller_want_names(struct poller *p, const struct bt_pid *pids, size_t n);
/* The rows on screen whose heap size the HEAP column shows (n 0: none):
 * read once a refresh, for them only (a scan reads it only when the list
 * is sorted by heap). */
void poller_want_heap(struct poller *p, const struct bt_pid *pids, size_t n);
/* Start a confirmed action on pid (ignored for ACT_BINLEAK, which is
 * node-wide). */
void poller_action(struct poller *p, enum poller_act act,
		   const struct bt_pid *pid);

#endif
