/*
 * poller_priv.h - what poller.c, poller_drill.c and poller_binleak.c share
 * on the connection thread, and the drill-down's table of requests (which
 * the unit tests read too).
 */
#ifndef BEAMTOP_POLLER_PRIV_H
#define BEAMTOP_POLLER_PRIV_H

#include <pthread.h>
#include <stdatomic.h>

#include "beamtop/collect.h"
#include "beamtop/decode.h"
#include "beamtop/dreq.h"
#include "beamtop/engine.h"
#include "beamtop/poller.h"
#include "beamtop/query.h"

struct poller {
	pthread_t thread;
	pthread_mutex_t lock;
	int wake[2];              /* [0] read by the screen */
	/* The screen's frame: while in_use, the thread does not touch the
	 * snapshot `held` (nor its rates and pid map); `drawn` is signalled
	 * when it lets go. */
	pthread_cond_t drawn;
	int in_use;
	const struct snapshot *held;

	/* Under the lock. */
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
	/* Rows on screen that want a name (see proc_wants_name()). */
	struct bt_pid names_want[64];
	size_t names_n;
	unsigned names_serial;
	struct bt_pid heap_want[64];  /* rows whose heap is shown */
	size_t heap_n;

	/* The thread's own. */
	atomic_int quit;             /* set by the screen, read here: C11 atomic */
	struct engine *eng;          /* the node: connection, collector, model */
	unsigned applied_window;
	unsigned sent_drill, sent_want, sent_act, sent_names;
	int names_inflight;        /* a names query is on its way */
	unsigned long names_refresh; /* the refresh the last one was for */
	size_t names_cursor;       /* where the next looks for unnamed rows */
	int heap_inflight;         /* the shown rows' heap is being read */
	unsigned long heap_refresh; /* the refresh it was read for */
	struct bt_pid heap_sent[64];
	size_t heap_sent_n;
	int detail_after_info;     /* the details follow the summary's answer */
	uint64_t drill_cap;        /* bytes a query may copy; 0: the default */
	struct dreq_queue dq;      /* the drill-down's requests (poller_drill.c) */
	struct bl_row *bl_before;  /* bin_leak's first measurement */
	size_t bl_n;
	uint64_t bl_mem_before, bl_mem_after;
	unsigned bl_serial;
};

void poller_lock(struct poller *p);
void poller_unlock(struct poller *p);

/* Under the lock: waits until the screen's frame no longer holds s (or
 * we are told to quit).  Returns 0, or -1 when quitting. */
int poller_wait_unheld(struct poller *p, const struct snapshot *s);
/* Reads the heap of the rows on screen (poller_heap.c), from the hook. */
void poller_ask_heap(struct poller *p, struct collector *col);

/* Tells the screen that something changed. */
void poller_wake(struct poller *p);

/* From the collector's hook: start what the screen asked for. */
void drill_hook(struct poller *p, struct collector *col);
/* After each refresh: ask again for what is on screen. */
void drill_after_refresh(struct poller *p, struct collector *col);
/* The connection is gone: pending answers will never come. */
void drill_link_lost(struct poller *p);

/* The kinds of drill-down request, one row each in dr_rows; lower kinds
 * go first when several wait. */
enum dr_kind {
	DR_PROC_INFO, DR_ETS_INFO, DR_PORT_INFO, DR_NAME, DR_DETAIL, DR_MSGS,
	DR_SAMPLE, DR_STATE, DR_OBJECTS, DR_BINARY, DR_ACT, DR_BL_BEFORE,
	DR_BL_GC, DR_BL_AFTER, DR_COUNT_
};

/* Which serial an answer must still carry to be taken: the drill-down's
 * target, bin_leak's run, or none (an action's result is always told). */
enum dr_scope { DR_SCOPE_DRILL, DR_SCOPE_BINLEAK, DR_SCOPE_ACT };

/* What a request needs of its target, copied under the lock when it is
 * sent. */
struct dr_view {
	enum drill_kind kind;
	struct bt_pid pid;
	struct bt_port port;
	struct bt_ref tab;
	char tabname[256];
	long cap;                 /* bytes the node may copy */
	char name[256];           /* DR_NAME: the registered name to look up */
	enum poller_act act;      /* DR_ACT: what to do, and to whom */
	struct bt_pid act_pid;
	const char *node;
};

struct dr_row {
	/* The embedded query it sends, or QUERY_COUNT_ for a plain call
	 * (then `call` sends it). */
	enum query_id query;
	unsigned timeout_ms;      /* 0: the default deadline */
	enum dr_scope scope;
	/* The query's values (NULL: it binds none). */
	void (*args)(struct collector *col, const struct dr_view *v,
		     struct qargs *a);
	/* Sends the plain call, as collect_side() does. */
	int (*call)(struct collector *col, const struct dr_view *v, side_fn fn,
		    void *ctx);
	/* Takes the answer (r NULL: it failed, or was refused; why says how)
	 * under the lock, while its scope's serial is still `serial`.
	 * Returns the kind of the request that follows, or -1. */
	int (*answer)(struct poller *p, unsigned serial, struct tdec *r,
		      const char *why);
	/* Or, where nothing follows: drill.c's renderer of the answer. */
	void (*render)(struct drill *d, struct tdec *r, const char *why);
};

extern const struct dr_row dr_rows[DR_COUNT_];

/* binleak_scan's arguments, before the collection and after it. */
void binleak_args_before(struct collector *col, const struct dr_view *v,
			 struct qargs *a);
void binleak_args_after(struct collector *col, const struct dr_view *v,
			struct qargs *a);

/* bin_leak's three answers (poller_binleak.c), as dr_row.answer. */
int binleak_measured(struct poller *p, unsigned serial, struct tdec *r,
		     const char *why);
int binleak_collected(struct poller *p, unsigned serial, struct tdec *r,
		      const char *why);
int binleak_measured_again(struct poller *p, unsigned serial, struct tdec *r,
			   const char *why);

#endif
