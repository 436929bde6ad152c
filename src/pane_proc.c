/*
 * pane_proc.c - the drill-down: one process (or table, or port) at a time,
 * in sections.  Lines that name a process or port can be followed with
 * Enter; Esc and Backspace walk back through what was followed.  Messages,
 * state and table objects are read only when asked for; kill and garbage
 * collection ask for confirmation and are absent with --read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/layout.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

/* The pane's own state: what it looks into, what was followed to get
 * there, and which section and line are shown. */
struct proc_st {
	struct drill_target target;
	struct drill_target hist[DRILL_HISTORY];
	int nhist;
	int sec;               /* enum drill_sec shown */
	int row, top;          /* selected and first line */
	int width;             /* the width the node's terms were asked for */
	int page;              /* lines a page moves (the lines last shown) */
};

struct sec_key {
	int sec;
	char key;
	const char *label;
	const char *ask;     /* for sections read on request: how to ask */
};

static const struct sec_key proc_secs[] = {
	{ SEC_INFO, 'i', "Info", NULL },
	{ SEC_STACK, 't', "Stack", NULL },
	{ SEC_LINKS, 'l', "Links", NULL },
	{ SEC_DICT, 'd', "Dict", NULL },
	{ SEC_ANCESTORS, 'a', "Ancestors", NULL },
	{ SEC_BINARY, 'b', "Binaries", "b counts the refc binaries the process "
	  "refers to: the node copies a small tuple per binary (about 56 bytes "
	  "each), so it is read only on request" },
	{ SEC_MSGS, 'm', "Messages", "m reads up to 20 messages: the head of the queue "
	  "if it holds at most 10,000 and the process uses at most 8 MB (after C, "
	  "any queue of a process of at most 64 MB), else a 3 s sample of what "
	  "arrives (the node has no way to read part of a queue without copying "
	  "all of it)" },
	{ SEC_STATE, 's', "State", "s asks sys:get_state with a 2 s timeout, only "
	  "of a process waiting, awake or hibernating, in a loop that handles "
	  "system messages (gen_server, gen_statem, gen_server2...) and using at "
	  "most 8 MB" },
};
static const struct sec_key ets_secs[] = {
	{ SEC_INFO, 'i', "Info", NULL },
	{ SEC_OBJECTS, 'o', "Objects", "o reads the first 20 objects with a bounded "
	  "match (never the whole table)" },
};
static const struct sec_key port_secs[] = {
	{ SEC_INFO, 'i', "Info", NULL },
	{ SEC_INET, 'n', "Inet", NULL },
};
static const struct sec_key binleak_secs[] = {
	{ SEC_INFO, 'i', "bin_leak", NULL },
};

static const struct sec_key *sections(int kind, int *n)
{
	switch (kind) {
	case DRILL_ETS:
		*n = 2;
		return ets_secs;
	case DRILL_PORT:
		*n = 2;
		return port_secs;
	case DRILL_BINLEAK:
		*n = 1;
		return binleak_secs;
	default:
		*n = (int)(sizeof proc_secs / sizeof proc_secs[0]);
		return proc_secs;
	}
}

/* A process's first line: live figures, or why there are none. */
static void summary_proc(struct app *a, const struct proc_st *st, int y, int cols)
{
	const struct model *m = a->m;
	const struct drill *d = a->f.drill;
	char buf[400], id[64], mem[32], rr[32];
	long i;

	if (a->f.want_name[0] || d->no_such_name) {
		/* No pid yet (or none at all): nothing stands in for it. */
		snprintf(buf, sizeof buf, "%s %s", a->f.want_name,
			 d->no_such_name ? "(not registered)" : "(looking the name up)");
		term_put(y, 0, d->no_such_name ? ROLE_BAD : ROLE_VALUE, buf, cols);
		return;
	}
	fmt_pid(id, sizeof id, &st->target.pid);
	i = model_find_proc(m, &st->target.pid);
	if (d->gone || (i < 0 && a->f.want_name[0] == '\0' &&
			d->sec[SEC_INFO].state != SEC_PENDING)) {
		snprintf(buf, sizeof buf, "%s is gone: its last known data is below",
			 id);
		term_put(y, 0, ROLE_BAD, buf, cols);
		return;
	}
	if (i < 0) {
		snprintf(buf, sizeof buf, "%s %s", a->f.want_name[0] ?
			 a->f.want_name : id, a->f.want_name[0] ?
			 "(looking the name up)" : "");
		term_put(y, 0, ROLE_VALUE, buf, cols);
		return;
	}
	{
		const struct proc *p = &m->cur->procs[i];
		const struct proc_delta *dl = &m->pd[i];

		snprintf(buf, sizeof buf, "%s  %s  memory %s  reductions/s %s  queue "
			 "%u  in %s", id, strpool_get(&m->cur->pool, p->name),
			 fmt_bytes(mem, sizeof mem, (double)p->memory),
			 dl->is_new ? "new" : fmt_count(rr, sizeof rr, dl->reds_rate),
			 p->mq, strpool_get(&m->cur->pool, p->cf));
		term_put(y, 0, p->mq > 1000 ? ROLE_WARN : ROLE_VALUE, buf, cols);
	}
}

static void draw_summary(struct app *a, const struct proc_st *st, int y, int cols)
{
	const struct drill *d = a->f.drill;
	char buf[400], id[64];

	switch (d->kind) {
	case DRILL_PROC:
		summary_proc(a, st, y, cols);
		return;
	case DRILL_ETS:
		snprintf(buf, sizeof buf, "ETS table %s%s", fmt_alias(st->target.tabname),
			 d->gone ? ": gone" : "");
		term_put(y, 0, d->gone ? ROLE_BAD : ROLE_VALUE, buf, cols);
		return;
	case DRILL_PORT:
		snprintf(buf, sizeof buf, "%s%s", fmt_port(id, sizeof id, &st->target.port),
			 d->gone ? ": closed" : "");
		term_put(y, 0, d->gone ? ROLE_BAD : ROLE_VALUE, buf, cols);
		return;
	case DRILL_BINLEAK: {
		static const char *const step[] = {
			"", "step 1/3: measuring the binaries of every process...",
			"step 2/3: garbage-collecting every process...",
			"step 3/3: measuring again...", "done"
		};

		snprintf(buf, sizeof buf, "bin_leak (recon's): %s",
			 step[a->f.bl_phase % 5]);
		term_put(y, 0, a->f.bl_phase == BL_DONE ? ROLE_VALUE : ROLE_WARN, buf,
			 cols);
		return;
	}
	default:
		return;
	}
}

static void draw_tabs(struct app *a, const struct proc_st *st, int y, int cols)
{
	int n, i, x = 0;
	const struct sec_key *sk = sections(a->f.drill->kind, &n);
	char buf[64];

	term_fill(y, 0, cols, ROLE_TAB, " ");
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, " %c %s ", sk[i].key, sk[i].label);
		x += term_put(y, x, sk[i].sec == st->sec ? ROLE_TAB_ON : ROLE_TAB,
			      buf, cols - x);
	}
	if (a->f.drill->kind == DRILL_PROC && x + 20 < cols)
		x += term_put(y, x + 2, a->read_only ? ROLE_DIM : ROLE_KEY,
			      a->read_only ? "(read-only: no k, g)" : "k kill  g gc",
			      cols - x - 2) + 2;
	if (st->nhist && x + 12 < cols) {
		snprintf(buf, sizeof buf, "  Esc: back (%d)", st->nhist);
		term_put(y, x, ROLE_DIM, buf, cols - x);
	}
}

/* The registered name of a pid, from the snapshot, or "". */
static const char *name_of(const struct app *a, const struct bt_pid *pid)
{
	long i = model_find_proc(a->m, pid);

	if (i < 0)
		return "";
	return strpool_get(&a->m->cur->pool, a->m->cur->procs[i].name);
}

/* Asks before killing or collecting pid: from here and from the list. */
void pane_proc_ask(struct app *a, enum action act, const struct bt_pid *pid)
{
	char buf[400], txt[32];

	if (a->read_only) {
		ui_note(a, "%s is not available: beamtop runs with --read-only",
			act == A_KILL ? "kill" : "garbage collection");
		return;
	}
	fmt_pid(txt, sizeof txt, pid);
	snprintf(buf, sizeof buf, act == A_KILL ?
		 "Kill %s (%s) with exit(%s, kill)? It cannot trap this. y/N" :
		 "Garbage-collect %s (%s) with erlang:garbage_collect(%s)? y/N",
		 txt, name_of(a, pid), txt);
	ui_confirm(a, act == A_KILL ? ACT_KILL : ACT_GC, pid, buf);
}

/* A heading is not a line to select: the selection goes past it the way
 * it was moving (dir 1 down, -1 up), or the other way at either end. */
static void skip_headings(struct proc_st *st, const struct dsection *s, int dir)
{
	int r, pass;

	if (st->row >= s->n)
		st->row = s->n - 1;
	if (st->row < 0)
		st->row = 0;
	for (pass = 0; pass < 2; pass++, dir = -dir) {
		for (r = st->row; r >= 0 && r < s->n && s->line[r].heading; r += dir)
			;
		if (r >= 0 && r < s->n) {
			st->row = r;
			return;
		}
	}
}

/* Line k as shown: its text, and for a pid the name the list knows;
 * into buf when that is needed. */
static const char *shown_text(const struct app *a, const struct dsection *s,
			      int k, char *buf, size_t n)
{
	const struct dline *l = &s->line[k];
	const char *nm = l->target == DT_PID ? name_of(a, &l->pid) : "";

	if (!nm[0])
		return drill_text(s, k);
	snprintf(buf, n, "%s  %s", drill_text(s, k), nm);
	return buf;
}

static int line_rows(const struct app *a, const struct dsection *s, int k,
		     int cols)
{
	char buf[512];

	return text_rows(shown_text(a, s, k, buf, sizeof buf), cols);
}

/* Moves the first line shown so that the selected one is on the page
 * (rows high), whole when it fits: from the selection up, never more
 * than a page of lines is measured. */
static void keep_in_view(const struct app *a, struct proc_st *st,
			 const struct dsection *s, int page, int cols)
{
	int k, used;

	if (st->row >= s->n)
		st->row = s->n > 0 ? s->n - 1 : 0;
	if (st->row < st->top || st->top >= s->n)
		st->top = st->row;
	if (s->n == 0)
		return;
	k = st->row;
	used = line_rows(a, s, k, cols);
	while (k > st->top && used + line_rows(a, s, k - 1, cols) <= page)
		used += line_rows(a, s, --k, cols);
	if (k > st->top)
		st->top = k;
}

/* Text wrapped over the rows from y (at most to end): the rows used. */
static int put_wrapped(int y, int end, int role, const char *text, int cols,
		       int fill)
{
	int used = 0;

	do {
		if (fill)
			term_fill(y + used, 0, cols, role, " ");
		term_put(y + used, 0, role, text, cols);
		text += text_wrap(text, cols);
		used++;
	} while (*text && y + used < end);
	return used;
}

static void draw(struct app *a, void *vst, int top, int rows, int cols)
{
	struct proc_st *st = vst;
	const struct drill *d = a->f.drill;
	const struct dsection *s = &d->sec[st->sec];
	int n, i, y = top + 2, k, end = top + rows;
	const struct sec_key *sk = sections(d->kind, &n);
	const char *ask = NULL;
	char buf[512];

	draw_summary(a, st, top, cols);
	draw_tabs(a, st, top + 1, cols);
	for (i = 0; i < n; i++)
		if (sk[i].sec == st->sec)
			ask = sk[i].ask;
	switch (s->state) {
	case SEC_EMPTY:
		put_wrapped(y + 1, end, ROLE_DIM, ask ? ask : "nothing yet", cols, 0);
		return;
	case SEC_PENDING:
		term_put(y + 1, 0, ROLE_DIM, "asking the node...", cols);
		return;
	case SEC_FAILED:
		put_wrapped(y + 1, end, ROLE_BAD, s->why, cols, 0);
		return;
	case SEC_OK:
		break;
	}
	/* The section's footnote, whole: the lines start below it. */
	y += s->why[0] ? put_wrapped(y, end, ROLE_DIM, s->why, cols, 0) : 1;
	skip_headings(st, s, 1);
	keep_in_view(a, st, s, end - y, cols);
	/* The heading of the selected line stays in view with it. */
	if (st->top > 0 && st->top == st->row && s->line[st->top - 1].heading &&
	    end - y > 1)
		st->top--;
	for (k = st->top; k < s->n && y < end; k++) {
		const struct dline *l = &s->line[k];
		int role = l->heading ? ROLE_TITLE : l->target ? ROLE_VALUE : ROLE_NORMAL;

		if (k == st->row)
			role = ROLE_SELECTED;
		y += put_wrapped(y, end, role, shown_text(a, s, k, buf, sizeof buf),
				 cols, k == st->row);
	}
	/* A page moves by the lines on screen, less one kept in view. */
	st->page = k - st->top > 2 ? k - st->top - 1 : 1;
}

void pane_proc_open(struct app *a, void *vst, const struct drill_target *t,
		    enum open_how how)
{
	struct proc_st *st = vst;

	if (how == OPEN_NEW) {
		st->nhist = 0;
	} else if (how == OPEN_FOLLOW) {
		if (st->nhist == DRILL_HISTORY) {
			memmove(st->hist, st->hist + 1,
				(DRILL_HISTORY - 1) * sizeof *st->hist);
			st->nhist--;
		}
		st->hist[st->nhist++] = st->target;
	}
	st->target = *t;
	st->sec = SEC_INFO;
	st->row = st->top = 0;
	/* bin_leak's drill-down was set up by its action. */
	if (t->kind != DRILL_BINLEAK)
		poller_drill(a->p, (enum drill_kind)t->kind, &t->pid, &t->port, &t->tab,
			     t->tabname);
}

const struct drill_target *pane_proc_target(const void *vst)
{
	const struct proc_st *st = vst;

	return &st->target;
}

/* The key that brought us here picks the section; one read only on
 * request is asked for. */
static void pick_section(struct app *a, struct proc_st *st)
{
	const struct drill *d = a->f.drill;
	int n, i;
	const struct sec_key *sk = sections(d->kind, &n);

	for (i = 0; i < n; i++) {
		if (sk[i].key != a->last_key)
			continue;
		st->sec = sk[i].sec;
		st->row = st->top = 0;
		if (sk[i].ask && d->sec[sk[i].sec].state != SEC_PENDING)
			poller_drill_want(a->p, (enum drill_sec)sk[i].sec);
		return;
	}
}

/* Enter: follow the selected line's link, or ask again. */
static void follow(struct app *a, struct proc_st *st)
{
	const struct dsection *s = &a->f.drill->sec[st->sec];
	struct drill_target t;

	skip_headings(st, s, 1);
	if (st->row < s->n && s->line[st->row].target) {
		const struct dline *l = &s->line[st->row];

		memset(&t, 0, sizeof t);
		t.kind = l->target == DT_PID ? DRILL_PROC : DRILL_PORT;
		t.pid = l->pid;
		t.port = l->port;
		pane_proc_open(a, st, &t, OPEN_FOLLOW);
	} else if (a->f.drill->kind != DRILL_BINLEAK) {
		t = st->target;
		pane_proc_open(a, st, &t, OPEN_KEEP);
	}
}

/* The line keys: the selection moves, past headings; drawing keeps it
 * in view. */
static int move(struct proc_st *st, const struct dsection *s, enum action act)
{
	switch (act) {
	case A_UP: st->row = st->row > 0 ? st->row - 1 : 0; break;
	case A_DOWN: st->row++; break;
	case A_PGUP: st->row = st->row > st->page ? st->row - st->page : 0; break;
	case A_PGDN: st->row += st->page; break;
	case A_HOME: st->row = 0; break;
	case A_END: st->row = s->n > 0 ? s->n - 1 : 0; break;
	default: return 0;
	}
	skip_headings(st, s, act == A_UP || act == A_PGUP || act == A_END ? -1 : 1);
	return 1;
}

/* k and g: never on a name that is registered to nothing (the pid is
 * not known then, and nothing may stand in for it). */
static void ask_action(struct app *a, struct proc_st *st, enum action act)
{
	const struct drill *d = a->f.drill;

	if (d->kind == DRILL_PROC && (a->f.want_name[0] || d->no_such_name))
		ui_note(a, "no process to %s: the name is not registered",
			act == A_KILL ? "kill" : "collect");
	else if (d->kind == DRILL_PROC)
		pane_proc_ask(a, act, &st->target.pid);
}

static enum reaction on_action(struct app *a, void *vst, enum action act)
{
	struct proc_st *st = vst;
	const struct drill *d = a->f.drill;

	if (move(st, &d->sec[st->sec], act))
		return R_DONE;
	switch (act) {
	case A_SECTION:
		pick_section(a, st);
		return R_DONE;
	case A_BACK:
		if (st->nhist == 0)
			return R_LEAVE;
		pane_proc_open(a, st, &st->hist[--st->nhist], OPEN_KEEP);
		return R_DONE;
	case A_ENTER:
		follow(a, st);
		return R_DONE;
	case A_RAISE_CAP:
		if (d->kind == DRILL_PROC || d->kind == DRILL_ETS)
			ui_confirm(a, ACT_RAISE_CAP, NULL, "Let the node copy up to 64 MB "
				   "(instead of 8 MB) for each section of this drill-down "
				   "you ask again? It uses that much memory on the node "
				   "for a moment. y/N");
		return R_DONE;
	case A_KILL:
	case A_GC:
		ask_action(a, st, act);
		return R_DONE;
	default:
		return R_PASS;
	}
}

/* A name given with --pid is a pid once the node has told it. */
static void frame(struct app *a, void *vst)
{
	struct proc_st *st = vst;

	if (a->f.drill->kind == DRILL_PROC && !a->f.want_name[0] &&
	    st->target.kind == DRILL_PROC)
		st->target.pid = a->f.drill->pid;
}

/* Terms are laid out in the screen's width (the next ones, after a
 * resize; a line that no longer fits is wrapped). */
static void shown(struct app *a, void *vst)
{
	struct proc_st *st = vst;

	if (st->width != term_cols()) {
		st->width = term_cols();
		poller_set_width(a->p, st->width);
	}
}

static void *init(struct app *a)
{
	struct proc_st *st = calloc(1, sizeof *st);

	(void)a;
	if (st)
		st->page = 10;
	return st;
}

/* Its keys are those of what it looks into. */
static unsigned where_now(const struct app *a, const void *st)
{
	(void)st;
	return a->f.drill->kind == DRILL_ETS ? IN_TABLE :
	       a->f.drill->kind == DRILL_PORT ? IN_PORT : IN_PROC;
}

const struct pane pane_proc = {
	.title = "Process", .id = "process", .where = IN_DRILL,
	.init = init, .free = free, .frame = frame, .draw = draw,
	.shown = shown, .on_action = on_action, .where_now = where_now,
};
