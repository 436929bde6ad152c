/*
 * ui.h - the screen's state and the interface every pane implements.
 *
 * One struct app is passed to everything; panes are one file each and
 * export one `const struct pane`, listed in pane_table.  Panes draw from
 * the app's frame (a->f, a->m), without any lock, and turn actions into
 * changes of the app and requests to the poller, never into drawing.
 */
#ifndef BEAMTOP_UI_H
#define BEAMTOP_UI_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/input.h"
#include "beamtop/model.h"
#include "beamtop/poller.h"

#define FILTER_MAX 64

/* A list's view: selection and scroll follow identity across refreshes. */
struct list_state {
	uint64_t sel;          /* identity of the selected row */
	int has_sel;
	long sel_row;          /* its row when last drawn */
	int move_by_row;       /* a key moved the row: take the key from it */
	size_t offset;         /* first row shown */
	int sort;              /* the pane's own sort key */
	int invert;
	char filter[FILTER_MAX];
	/* The order last computed: order[i] is the i-th row shown. */
	size_t *order;
	size_t norder, cap, total;
	unsigned long gen;     /* what it was computed from (see listview.c) */
	int page;              /* rows on a page, for PgUp/PgDn */
	int to_top;            /* a new sort: show the top (see lv_sort()) */
};

/* A group of processes with the same initial call (or name). */
struct proc_group {
	uint64_t id;           /* hash of the name: stable across refreshes */
	uint32_t name;         /* in the current snapshot's pool */
	uint64_t count, memory, mq;
	double reds_rate;
};

/* Something the drill-down can look into (for the back history). */
struct drill_target {
	int kind;              /* enum drill_kind */
	struct bt_pid pid;
	struct bt_port port;
	struct bt_ref tab;
	char tabname[128];
};

#define DRILL_HISTORY 32

struct app {
	struct poller *p;
	struct poller_frame f;   /* what is drawn: taken at each wake */
	const struct model *m;   /* f.m */
	const char *node;
	int pane;              /* index in pane_table */
	int back_pane;         /* where Esc from the drill-down goes */
	struct list_state procs, ets, ports, sched, groups;
	int group;             /* processes grouped by initial call */
	char group_name[256];  /* listing one group: its name */
	int in_group;
	int help;              /* the help screen is up */
	int help_top;
	int filtering;         /* keys go to the filter */
	int paused;
	unsigned interval_ms;
	int window_i;          /* index into ui_windows */
	int quit;
	char note[256];        /* a message for the status line */
	uint64_t note_until;
	int read_only;         /* no actions: --read-only */
	/* The drill-down. */
	struct drill_target target;      /* what it looks into */
	struct drill_target hist[DRILL_HISTORY];
	int nhist;
	int drill_sec;                   /* enum drill_sec shown */
	int drill_row, drill_top;        /* selected and first line */
	/* An action waiting for y/n. */
	int confirming;
	int confirm_act;                 /* enum poller_act */
	struct bt_pid confirm_pid;
	char confirm_text[400];
	unsigned act_seen;               /* the last action result shown */
	int last_key;                    /* the key being handled */
	unsigned long proc_gen;/* bumps when the processes' filter/group change */
	unsigned budget;       /* --budget, for the header */
	const struct opts *opts;      /* what the settings were at start */
	int proc_cols[16];     /* the processes pane's columns (config.h) */
	int n_proc_cols;
	struct proc_group *groups_v;  /* the groups of the current snapshot */
	size_t ngroups, gcap;
	unsigned long groups_gen;
	int color;
};

struct pane {
	const char *title;     /* the tab's label */
	const char *id;        /* what --pane takes */
	unsigned where;        /* IN_* */
	void (*draw)(struct app *a, int top, int rows, int cols);
	/* Returns 1 when the action was the pane's, 0 to let the screen have it. */
	int (*on_action)(struct app *a, enum action act);
	/* The list the navigation keys move in, or NULL. */
	struct list_state *(*list)(struct app *a);
};

extern const struct pane pane_memory, pane_procs, pane_sched, pane_ets,
	pane_ports, pane_proc;
extern const struct pane *const pane_table[];
extern const int pane_count;
/* Index of the drill-down in pane_table (not a tab). */
#define PANE_PROC 5

extern const unsigned ui_windows[3];   /* ms: one refresh, 10 s, 60 s */

/* Puts a message on the status line for a few seconds. */
void ui_note(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Opens the drill-down on t.  With push, what the drill-down showed goes
 * on the back history first (following a link). */
void ui_drill(struct app *a, const struct drill_target *t, int push);

/* Asks y/n before an action; `text` says exactly what it will do. */
void ui_confirm(struct app *a, int act, const struct bt_pid *pid,
		const char *text);

/* Asks before A_KILL or A_GC on pid (refused, with a note, when
 * read-only): the drill-down's k and g, and the list's k and F9. */
void pane_proc_ask(struct app *a, enum action act, const struct bt_pid *pid);

struct ui_opts {
	const char *node;
	const char *pane;       /* --pane */
	const char *pid;        /* --pid: a pid or a registered name */
	unsigned interval_ms;
	int color;
	int read_only;
	unsigned budget;
	const struct opts *opts;   /* the settings F2 saves start from these */
};

/* Runs the screen until quit.  Returns the exit status. */
int ui_run(struct poller *p, const struct ui_opts *o);

#endif
