/*
 * pane_procs.c - the processes pane: every process, sorted by any column,
 * filtered as you type, or grouped by initial call (the playbooks'
 * "identify by initial call"), with rates over one refresh or over a
 * window (recon's proc_window).
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/listview.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

struct ctx {
	const struct app *a;
	const struct model *m;
	const struct snapshot *s;
};

static const char *pname(const struct ctx *c, size_t i)
{
	return strpool_get(&c->s->pool, c->s->procs[i].name);
}

static int matches(const struct ctx *c, size_t i, const char *filter)
{
	const struct proc *p = &c->s->procs[i];
	char pid[32];

	if (strcasestr(pname(c, i), filter) ||
	    strcasestr(strpool_get(&c->s->pool, p->cf), filter))
		return 1;
	fmt_pid(pid, sizeof pid, &p->pid);
	return strstr(pid, filter) != NULL;
}

static double value(const void *vc, size_t i, int *skip)
{
	const struct ctx *c = vc;
	const struct app *a = c->a;
	int missing;
	double v;

	*skip = 0;
	if (a->in_group && strcmp(pname(c, i), a->group_name) != 0) {
		*skip = 1;
		return 0;
	}
	if (a->procs.filter[0] && !matches(c, i, a->procs.filter)) {
		*skip = 1;
		return 0;
	}
	v = model_proc_value(c->m, i, (enum proc_sort)a->procs.sort, &missing);
	/* Rows without the value (new ones for rates) go last, not away. */
	return missing ? -1e300 : v;
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return bt_pid_key(&c->s->procs[i].pid);
}

/*
 * Grouped by initial call (the name of an unregistered process; a
 * registered one is its own group).
 */
struct gctx {
	const struct snapshot *s;
	const struct proc_group *g;
	int sort;
};

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* The groups of the current snapshot, rebuilt when it changes. */
static int build_groups(struct app *a)
{
	const struct snapshot *s = a->m->cur;
	struct keymap map;
	size_t i;

	if (a->groups_gen == a->m->refreshes + 1)
		return 0;
	keymap_init(&map);
	if (keymap_reset(&map, s->n_procs) < 0)
		return -1;
	a->ngroups = 0;
	for (i = 0; i < s->n_procs; i++) {
		const struct proc *p = &s->procs[i];
		struct proc_group *groups;
		long g = keymap_get(&map, p->name);

		if (g < 0) {
			if (a->ngroups == a->gcap) {
				size_t nc = a->gcap ? a->gcap * 2 : 256;
				struct proc_group *ng = realloc(a->groups_v, nc * sizeof *ng);

				if (!ng) {
					keymap_free(&map);
					return -1;
				}
				a->groups_v = ng;
				a->gcap = nc;
			}
			g = (long)a->ngroups++;
			groups = a->groups_v;
			memset(&groups[g], 0, sizeof groups[g]);
			groups[g].name = p->name;
			groups[g].id = hash_name(strpool_get(&s->pool, p->name));
			keymap_put(&map, p->name, (size_t)g);
		}
		groups = a->groups_v;
		groups[g].count++;
		groups[g].memory += p->memory;
		groups[g].mq += p->mq;
		if (!a->m->pd[i].is_new)
			groups[g].reds_rate += a->m->pd[i].reds_rate;
	}
	keymap_free(&map);
	a->groups_gen = a->m->refreshes + 1;
	return 0;
}

static double gvalue(const void *vc, size_t i, int *skip)
{
	const struct gctx *c = vc;
	const struct proc_group *g = &c->g[i];

	*skip = 0;
	switch (c->sort) {
	case SORT_MEMORY: return (double)g->memory;
	case SORT_REDS_RATE: return g->reds_rate;
	case SORT_MQ: return (double)g->mq;
	default: return (double)g->count;
	}
}

static uint64_t gident(const void *vc, size_t i)
{
	const struct gctx *c = vc;

	return c->g[i].id;
}

static void gcell_count(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct gctx *c = vc;

	(void)role;
	snprintf(buf, n, "%llu", (unsigned long long)c->g[i].count);
}

static void gcell_name(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct gctx *c = vc;

	(void)role;
	snprintf(buf, n, "%s", strpool_get(&c->s->pool, c->g[i].name));
}

static void gcell_mem(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct gctx *c = vc;

	(void)role;
	fmt_bytes(buf, n, (double)c->g[i].memory);
}

static void gcell_reds(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct gctx *c = vc;

	(void)role;
	fmt_count(buf, n, c->g[i].reds_rate);
}

static void gcell_mq(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct gctx *c = vc;

	(void)role;
	fmt_count(buf, n, (double)c->g[i].mq);
}

/* SORT_PROC_COUNT_ stands for "by count" in the grouped view. */
static const struct lv_column gcolumns[] = {
	{ "COUNT", 7, 0, 1, SORT_PROC_COUNT_, gcell_count },
	{ "INITIAL CALL / NAME", 24, 1, 0, -1, gcell_name },
	{ "MEMORY", 10, 0, 1, SORT_MEMORY, gcell_mem },
	{ "REDS/s", 8, 0, 1, SORT_REDS_RATE, gcell_reds },
	{ "MSGQ", 8, 0, 1, SORT_MQ, gcell_mq },
};

static void draw_groups(struct app *a, int top, int rows, int cols)
{
	struct gctx c = { a->m->cur, NULL, a->groups.sort };
	struct lv_source src;
	char buf[128];

	if (build_groups(a) < 0) {
		term_put(top, 0, ROLE_BAD, "out of memory", cols);
		return;
	}
	c.g = a->groups_v;
	src.ctx = &c;
	src.n = a->ngroups;
	src.value = gvalue;
	src.id = gident;
	src.ascending = a->groups.invert;
	src.gen = a->m->refreshes * 64 + (unsigned long)a->groups.sort * 2 +
		  (unsigned long)a->groups.invert + 1;
	snprintf(buf, sizeof buf, "%zu groups of %zu processes, by initial call "
		 "(Enter lists a group, G ungroups)", a->ngroups, a->m->cur->n_procs);
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_layout(&a->groups, &src, rows - 2);
	lv_draw(&a->groups, gcolumns, 5, &c, a->groups.sort, top + 1, rows - 1, cols);
}

/* Rows on screen whose scan gave no name (--agent): ask for theirs. */
static void want_names(struct app *a, int rows)
{
	const struct snapshot *s = a->m->cur;
	struct bt_pid pids[64];
	size_t i, n = 0;

	for (i = a->procs.offset; i < a->procs.norder && i < a->procs.offset +
	     (size_t)rows && n < 64; i++) {
		const struct proc *p = &s->procs[a->procs.order[i]];

		if (!(p->have & PF_NAME))
			pids[n++] = p->pid;
	}
	if (n)
		poller_want_names(a->p, pids, n);
}

static void draw(struct app *a, int top, int rows, int cols)
{
	struct ctx c = { a, a->m, a->m->cur };
	struct lv_source src;
	char buf[512], b[32], part[128];

	if (a->group) {
		draw_groups(a, top, rows, cols);
		return;
	}
	src.ctx = &c;
	src.n = c.s->n_procs;
	src.value = value;
	src.id = ident;
	src.ascending = a->procs.invert;
	src.gen = a->m->refreshes * 100003 + a->proc_gen * 16 +
		  (unsigned long)a->procs.sort * 2 + (unsigned long)a->procs.invert + 1;
	lv_layout(&a->procs, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu processes%s%s%s%s%s%.80s  sorted by %s%s  rates over %s",
		 a->procs.total, c.s->n_procs, c.s->procs_ok ? "" : " (",
		 snapshot_partial(c.s, part, sizeof part), c.s->procs_ok ? "" : ")",
		 c.s->scan == SCAN_INCR && !(a->m->exact_reds && a->m->exact_mem) ?
		 " (top: not proved)" : "",
		 a->in_group ? "  in group " : "", a->in_group ? a->group_name : "",
		 proc_sort_name((enum proc_sort)a->procs.sort),
		 a->procs.invert ? " (ascending)" : "",
		 a->m->window_ms ? (snprintf(b, sizeof b, "%.0f s", a->m->wdt), b) :
		 "one refresh");
	term_put(top, 0, ROLE_DIM, buf, cols);
	{
		/* The columns chosen in the settings file, in its order. */
		struct lv_column shown[32];
		int n = lv_field_columns(&fields_proc, a->proc_cols, a->n_proc_cols,
					 shown, 32);

		lv_draw(&a->procs, shown, n, a->m, a->procs.sort, top + 1, rows - 1, cols);
	}
	want_names(a, rows - 2);
}

static void set_sort(struct app *a, int sort)
{
	struct list_state *ls = a->group ? &a->groups : &a->procs;

	if (a->group && sort != SORT_MEMORY && sort != SORT_REDS_RATE &&
	    sort != SORT_MQ && sort != SORT_PROC_COUNT_)
		return;
	lv_sort(ls, sort);
	/* Heap and binary sizes are not in observer_backend's stream: ask
	 * for them only while they are the sort key. */
	poller_set_extra(a->p, proc_sort_needs((enum proc_sort)a->procs.sort));
	if (sort == SORT_HEAP && !a->group)
		ui_note(a, "sorting by heap: every process's heap is read each refresh");
}

/* < and >: the next sortable column shown, left or right. */
static void cycle_sort(struct app *a, int dir)
{
	static const int gcycle[] = { SORT_PROC_COUNT_, SORT_MEMORY, SORT_REDS_RATE,
				      SORT_MQ };
	int i;

	if (!a->group) {
		set_sort(a, lv_next_sort(&fields_proc, a->proc_cols, a->n_proc_cols,
					 a->procs.sort, dir));
		return;
	}
	for (i = 0; i < 4 && gcycle[i] != a->groups.sort; i++)
		;
	set_sort(a, gcycle[(i + dir + 4) % 4]);
}

/* The selected process's row, or -1 (none, or the grouped view). */
static long selected_row(const struct app *a)
{
	const struct snapshot *s = a->m->cur;
	size_t i;

	if (a->group || !a->procs.has_sel)
		return -1;
	for (i = 0; i < s->n_procs; i++)
		if (bt_pid_key(&s->procs[i].pid) == a->procs.sel)
			return (long)i;
	return -1;
}

static void open_selected(struct app *a)
{
	const struct snapshot *s = a->m->cur;
	long i;

	if (a->group) {
		if (!a->groups.has_sel || (size_t)a->groups.sel_row >= a->groups.norder)
			return;
		snprintf(a->group_name, sizeof a->group_name, "%s",
			 strpool_get(&s->pool,
				     a->groups_v[a->groups.order[a->groups.sel_row]].name));
		a->in_group = 1;
		a->group = 0;
		a->procs.gen = 0;
		a->procs.offset = 0;
		a->procs.sel_row = 0;
		a->procs.move_by_row = 1;
		a->proc_gen++;
		return;
	}
	i = selected_row(a);
	if (i >= 0) {
		struct drill_target t;

		memset(&t, 0, sizeof t);
		t.kind = DRILL_PROC;
		t.pid = s->procs[i].pid;
		ui_drill(a, &t, 0);
	}
}

static int on_action(struct app *a, enum action act)
{
	switch (act) {
	case A_SORT_MEM:
		set_sort(a, SORT_MEMORY);
		return 1;
	case A_SORT_REDS:
		set_sort(a, SORT_REDS_RATE);
		return 1;
	case A_SORT_MQ:
		set_sort(a, SORT_MQ);
		return 1;
	case A_SORT_HEAP:
		set_sort(a, SORT_HEAP);
		return 1;
	case A_SORT_LEFT:
		cycle_sort(a, -1);
		return 1;
	case A_SORT_RIGHT:
		cycle_sort(a, +1);
		return 1;
	case A_INVERT:
		lv_invert(a->group ? &a->groups : &a->procs);
		(a->group ? &a->groups : &a->procs)->gen = 0;
		return 1;
	case A_GROUP:
		a->group = !a->group;
		a->in_group = 0;
		a->proc_gen++;
		if (a->group && a->groups.sort == 0 && !a->groups.has_sel)
			a->groups.sort = SORT_PROC_COUNT_;
		return 1;
	case A_WINDOW:
		a->window_i = (a->window_i + 1) % 3;
		poller_set_window(a->p, ui_windows[a->window_i]);
		if (a->window_i)
			ui_note(a, "rates over windows of %u s (recon's proc_window)",
				ui_windows[a->window_i] / 1000);
		else
			ui_note(a, "rates over one refresh");
		return 1;
	case A_ENTER:
		open_selected(a);
		return 1;
	case A_KILL: {
		long i = selected_row(a);

		if (i >= 0)
			pane_proc_ask(a, act, &a->m->cur->procs[i].pid);
		return 1;
	}
	case A_BINLEAK: {
		char buf[400];

		if (a->read_only) {
			ui_note(a, "bin_leak is not available: beamtop runs with --read-only");
			return 1;
		}
		snprintf(buf, sizeof buf, "bin_leak garbage-collects all %llu processes of "
			 "%s (costly on a big node: seconds at 1M processes). Go? y/N",
			 (unsigned long long)a->m->cur->sys.process_count, a->node);
		ui_confirm(a, ACT_BINLEAK, NULL, buf);
		return 1;
	}
	case A_BACK:
		if (a->procs.filter[0])
			return 0; /* the screen clears the filter */
		if (a->in_group) {
			a->in_group = 0;
			a->group = 1;
			a->proc_gen++;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static struct list_state *list(struct app *a)
{
	return a->group ? &a->groups : &a->procs;
}

const struct pane pane_procs = {
	"Processes", "processes", IN_PROCS, draw, on_action, list
};
