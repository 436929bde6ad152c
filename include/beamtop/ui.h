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

struct list_state;
struct opts;


/* Something the drill-down can look into (for the back history). */
struct drill_target {
	int kind;              /* enum drill_kind */
	struct bt_pid pid;
	struct bt_port port;
	struct bt_ref tab;
	char tabname[128];
};

#define DRILL_HISTORY 32

#define PANE_MAX 8

struct app {
	struct poller *p;
	struct poller_frame f;   /* what is drawn: taken at each wake */
	const struct model *m;   /* f.m */
	const char *node;
	int pane;              /* index in pane_table */
	int back_pane;         /* where leaving the drill-down goes */
	void *ps[PANE_MAX];    /* each pane's own state (pane.init) */
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
	/* R_OPEN: what to open, and whether it follows a link. */
	struct drill_target open;
	int open_push;
	/* An action waiting for y/n. */
	int confirming;
	int confirm_act;                 /* enum poller_act */
	struct bt_pid confirm_pid;
	char confirm_text[400];
	unsigned act_seen;               /* the last action result shown */
	int last_key;                    /* the key being handled */
	unsigned budget;       /* --budget, for the header */
	const struct opts *opts;      /* what the settings were at start */
	int color;
};

/* What a pane's action asks of the screen (as htop's reactions). */
enum reaction {
	R_PASS,     /* not the pane's action: the screen's own keys apply */
	R_DONE,     /* done: draw again */
	R_OPEN,     /* open the drill-down on a->open (a->open_push: a link) */
	R_LEAVE     /* leave the drill-down for the pane it was opened from */
};

/* A pane: one file, its own state, and the screen's calls into it.
 * Adding a pane is a file and a row of pane_table (and the IN_* bit its
 * keys use). */
struct pane {
	const char *title;     /* the tab's label */
	const char *id;        /* what --pane takes */
	unsigned where;        /* IN_* */
	/* Its state, made once at start from the settings (NULL: none);
	 * free releases it. */
	void *(*init)(struct app *a);
	void (*free)(void *st);
	/* A new frame: bring the state up to date with it (no drawing). */
	void (*frame)(struct app *a, void *st);
	/* Draws; changes nothing but its own view (scroll) state. */
	void (*draw)(struct app *a, void *st, int top, int rows, int cols);
	/* After drawing: ask the node for what is on screen. */
	void (*shown)(struct app *a, void *st);
	enum reaction (*on_action)(struct app *a, void *st, enum action act);
	/* The IN_* bits of what it shows now, where that varies (NULL: where):
	 * the keys and the footer follow it. */
	unsigned (*where_now)(const struct app *a, const void *st);
	/* The list the navigation keys move in, or NULL. */
	struct list_state *(*list)(void *st);
	/* F2: writes its part of the settings into o. */
	void (*save)(const void *st, struct opts *o);
};

extern const struct pane pane_memory, pane_procs, pane_sched, pane_ets,
	pane_ports, pane_proc;
extern const struct pane *const pane_table[];

/* The IN_* bits of pane pn as it is now (see where_now). */
static inline unsigned pane_where(const struct app *a, const struct pane *pn)
{
	return pn->where_now ? pn->where_now(a, a->ps[a->pane]) : pn->where;
}
extern const int pane_count;
/* Index of the drill-down in pane_table (not a tab). */
#define PANE_PROC 5

extern const unsigned ui_windows[3];   /* ms: one refresh, 10 s, 60 s */

/* Puts a message on the status line for a few seconds. */
void ui_note(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* R_OPEN's target: sets a->open (and a->open_push) and returns R_OPEN. */
enum reaction ui_open(struct app *a, const struct drill_target *t, int push);

/* Asks y/n before an action; `text` says exactly what it will do. */
void ui_confirm(struct app *a, int act, const struct bt_pid *pid,
		const char *text);

/* The drill-down (pane_proc.c), for the screen: open t, and what it
 * looks into.  OPEN_NEW clears the back history (coming from a list),
 * OPEN_FOLLOW puts what it showed on it (a link), OPEN_KEEP leaves it. */
enum open_how { OPEN_KEEP, OPEN_FOLLOW, OPEN_NEW };
void pane_proc_open(struct app *a, void *st, const struct drill_target *t,
		    enum open_how how);
const struct drill_target *pane_proc_target(const void *st);

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
