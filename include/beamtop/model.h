/*
 * model.h - what beamtop knows: the current and previous snapshots, the
 * rates between them, history rings for the sparklines, and the top-N
 * lists, all computed here rather than on the node.
 */
#ifndef BEAMTOP_MODEL_H
#define BEAMTOP_MODEL_H

#include <stddef.h>

#include "beamtop/keymap.h"
#include "beamtop/ring.h"
#include "beamtop/snapshot.h"
#include "beamtop/window.h"

#define MODEL_HISTORY 120

/* Process sort keys; their names are in the field table (fields.h). */
enum proc_sort {
	SORT_MEMORY, SORT_REDS_RATE, SORT_REDS, SORT_MQ, SORT_HEAP, SORT_BIN,
	SORT_MEM_RATE, SORT_MQ_RATE, SORT_PROC_COUNT_
};

/* ETS sort keys. */
enum ets_sort { ETS_SORT_MEMORY, ETS_SORT_SIZE, ETS_SORT_GROWTH, ETS_SORT_COUNT_ };

/* Port sort keys. */
enum port_sort {
	PORT_SORT_IO, PORT_SORT_IN, PORT_SORT_OUT, PORT_SORT_QUEUE,
	PORT_SORT_MEMORY, PORT_SORT_COUNT_
};

/* Memory kinds with a history ring, in display order. */
#define MODEL_MEM_KINDS 7
extern const char *const model_mem_kinds[MODEL_MEM_KINDS];

/* What is derived from a snapshot: rates and utilisation, parallel to its
 * rows.  The model has two: the published one and the one being made. */
struct derived {
	struct proc_delta *pd;
	struct ets_delta *ed;
	struct port_delta *od;
	size_t pd_cap, ed_cap, od_cap;
	double *util;                 /* per scheduler; -1 unknown */
	size_t util_cap;
	double util_type[3];          /* by enum sched_type; -1 unknown */
	double reds_rate;             /* node-wide, per second; -1 unknown */
	double wdt;                   /* seconds the process rates span */
	double long_dt;               /* those of rows read after a gap
	                               * (proc_delta.span > 1) */
	/* The incremental refresh's proofs (see model_candidates.c). */
	int exact_reds, exact_mem;    /* the top lists are provably right */
	double reds_outside;          /* reductions/s of non-candidates */
	double noncand_bound;         /* memory no non-candidate had at the scan */
	double grown_outside;         /* memory the others grew by since */
	char signal[96];              /* why a full scan is due, or "" */
};

struct model_part;

struct model {
	/* Two buffers: the current one, which the screen reads, and the one
	 * being filled by the next refresh. */
	struct snapshot snap[2];
	struct snapshot *cur;
	/* What the refresh being prepared is compared with: cur, or NULL
	 * when there is none or it is of another incarnation of the node (a
	 * restart: pids, rates and history start over).  The thread that
	 * refreshes owns it. */
	const struct snapshot *prev;
	int has_prev;                 /* cur's rates are against an earlier one */
	unsigned long refreshes;
	double dt;                    /* seconds between prev and cur */

	/* Published, parallel to cur (aliases of pub's arrays). */
	struct proc_delta *pd;
	struct ets_delta *ed;
	struct port_delta *od;
	double *util;
	double util_type[3];
	double reds_rate;
	double wdt, long_dt;
	int exact_reds, exact_mem;
	double reds_outside;
	char signal[96];

	/* The size of the top lists that must be right, and how many of each
	 * list an incremental refresh reads again. */
	size_t top_n, per_list;
	struct bt_pid *cand_pids;
	uint32_t *cand_rows;
	size_t cand_cap;

	/* Process rates over at least window_ms (recon's proc_window) rather
	 * than over one refresh: two bases, the older of which is used, are
	 * renewed every window_ms, so the span stays between one and two
	 * windows once warm. */
	unsigned window_ms;
	struct sample_set wb[2];

	struct derived der[2];        /* der[pub_i] is published */
	int pub_i;
	struct keymap map;            /* scratch for joins (worker side) */
	struct pidmap cur_map;        /* pid of cur->procs -> index */
	struct pidmap next_map;       /* the same for the snapshot being made */

	struct ring h_mem[MODEL_MEM_KINDS];
	struct ring h_procs, h_runq, h_util, h_reds;
	struct ring *h_sched;         /* per scheduler, in cur->sched's order */
	int n_h_sched;

	/* The partial lists of the first screen (model_partial.c); NULL
	 * when there are none. */
	struct model_part *part;
};

/* What the screen draws from: a copy of a published model whose pointers
 * (the current snapshot, its rates and pid map) stay valid for as long as
 * its owner holds the frame (poller.h), and whose history rings are its
 * own copies (the connection thread pushes to the model's). */
struct model_view {
	struct model m;
	double *rv;                   /* the rings' values */
	size_t rv_cap;
	struct ring *sched;           /* m.h_sched */
	int sched_cap;
};

/* Copies m into v.  Returns 0, or -1 when out of memory (then v->m has
 * no history). */
int model_view_take(struct model_view *v, const struct model *m);
void model_view_free(struct model_view *v);

/* Returns 0, or -1 when out of memory. */
int model_init(struct model *m);
void model_free(struct model *m);

/* The snapshot to fill with the next refresh: not cur. */
struct snapshot *model_next(struct model *m);

/* Derives rates for model_next() against cur (or the window base).  Reads
 * cur and writes only what is not published, so it may run while another
 * thread reads the published data.  Returns 0, or -1 when out of memory
 * (rates are then missing). */
int model_prepare(struct model *m);

/* Makes the prepared snapshot current and pushes the history.  Quick:
 * meant to be called under the lock that readers take. */
void model_publish(struct model *m);

/* model_prepare() then model_publish(). */
int model_commit(struct model *m);

/* The first screen: while the first full scan streams, copies of what it
 * has read so far may be published, marked partial (snapshot.partial),
 * with no rates and no proof, and never a base for a rate.  Whether one
 * may be published now: nothing but partial lists has been. */
int model_partial_wanted(const struct model *m);
/* The snapshot that the next partial list is copied into (never cur).
 * A reader that holds it must let go of it before model_partial_prepare().
 * NULL when out of memory. */
const struct snapshot *model_partial_target(struct model *m);
/* Copies s (the refresh being filled, elapsed_ms in) into the target,
 * with its rates (all unknown) and pid map.  Reads cur only, so it may run
 * while another thread reads the published data.  Returns 0, or -1 when
 * out of memory (nothing may then be published). */
int model_partial_prepare(struct model *m, const struct snapshot *s,
			  double elapsed_ms);
/* Makes the prepared partial list current (no history is pushed).  Quick:
 * meant to be called under the lock that readers take. */
void model_partial_publish(struct model *m);
/* 1 when s is one of the partial lists' buffers. */
int model_partial_owns(const struct model *m, const struct snapshot *s);
/* Frees the partial lists once a complete refresh is current (else does
 * nothing); no reader may still hold one (model_partial_owns()). */
void model_partial_drop(struct model *m);

/* Rates over one refresh (0) or over at least ms; drops the old bases. */
void model_set_window(struct model *m, unsigned ms);

/* The processes the next incremental refresh must read again: the active
 * set, the top per_list of cur by memory, message queue and memory
 * growth, and of the new ones by reductions.  Returns how many; *pids and
 * *rows (rows of cur) stay valid until the next call.  The first *n_mem
 * are the tops (their memory is read whenever they have run). */
size_t model_candidates(struct model *m, const struct bt_pid **pids,
			const uint32_t **rows, size_t *n_mem);

/* Total run queue length (all schedulers, dirty ones included). */
unsigned long model_runq_total(const struct snapshot *s);

/* The k processes of cur ranking highest by `sort` (lowest with
 * `ascending`), indices into cur->procs, best first.  Processes without
 * the field, and new ones for rate keys, are left out.  Returns count. */
size_t model_top_procs(const struct model *m, enum proc_sort sort, size_t k,
		       int ascending, size_t *out);
size_t model_top_ets(const struct model *m, enum ets_sort sort, size_t k,
		     size_t *out);
size_t model_top_ports(const struct model *m, enum port_sort sort, size_t k,
		       size_t *out);

/* Index in cur->procs of the process with this pid, or -1. */
long model_find_proc(const struct model *m, const struct bt_pid *pid);

/* The registered name of the process with this pid, or "". */
const char *model_reg_name(const struct model *m, const struct bt_pid *pid);

/* The value row i of cur has for a sort key; *missing is set when it has
 * none (not read, or a rate not known yet): such rows rank last. */
double model_proc_value(const struct model *m, size_t i, enum proc_sort sort,
			int *missing);
double model_ets_value(const struct model *m, size_t i, enum ets_sort sort,
		       int *missing);
double model_port_value(const struct model *m, size_t i, enum port_sort sort,
			int *missing);

#endif
