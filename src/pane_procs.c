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

#include "beamtop/config.h"
#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/listview.h"
#include "beamtop/opts.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

/* A group of processes with the same initial call (or name). */
struct proc_group {
	uint64_t id;           /* hash of the name: stable across refreshes */
	uint32_t name;         /* in the current snapshot's pool */
	uint64_t count, memory, mq;
	double reds_rate;
};

/* The pane's own state. */
struct procs_st {
	struct list_state procs, groups;
	int group;             /* grouped by initial call */
	char group_name[256];  /* listing one group: its name */
	int in_group;
	unsigned long proc_gen;/* bumps when the grouping changes */
	int cols[16];          /* the columns shown (fields_proc), in order */
	int ncols;
	struct proc_group *groups_v;  /* the groups of the current snapshot */
	size_t ngroups, gcap;
	unsigned long groups_gen;
};

struct ctx {
	const struct procs_st *st;
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
	    (p->label && strcasestr(strpool_get(&c->s->pool, p->label), filter)) ||
	    strcasestr(strpool_get(&c->s->pool, p->cf), filter))
		return 1;
	fmt_pid(pid, sizeof pid, &p->pid);
	return strstr(pid, filter) != NULL;
}

static double value(const void *vc, size_t i, int *skip)
{
	const struct ctx *c = vc;
	const struct procs_st *st = c->st;
	int missing;
	double v;

	*skip = 0;
	if (st->in_group && strcmp(pname(c, i), st->group_name) != 0) {
		*skip = 1;
		return 0;
	}
	if (st->procs.filter[0] && !matches(c, i, st->procs.filter)) {
		*skip = 1;
		return 0;
	}
	v = model_proc_value(c->m, i, (enum proc_sort)st->procs.sort, &missing);
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
static int build_groups(struct app *a, struct procs_st *st)
{
	const struct snapshot *s = a->m->cur;
	struct keymap map;
	size_t i;

	if (st->groups_gen == a->m->refreshes + 1)
		return 0;
	keymap_init(&map);
	if (keymap_reset(&map, s->n_procs) < 0)
		return -1;
	st->ngroups = 0;
	for (i = 0; i < s->n_procs; i++) {
		const struct proc *p = &s->procs[i];
		struct proc_group *groups;
		long g = keymap_get(&map, p->name);

		if (g < 0) {
			if (st->ngroups == st->gcap) {
				size_t nc = st->gcap ? st->gcap * 2 : 256;
				struct proc_group *ng = realloc(st->groups_v, nc * sizeof *ng);

				if (!ng) {
					keymap_free(&map);
					return -1;
				}
				st->groups_v = ng;
				st->gcap = nc;
			}
			g = (long)st->ngroups++;
			groups = st->groups_v;
			memset(&groups[g], 0, sizeof groups[g]);
			groups[g].name = p->name;
			groups[g].id = hash_name(strpool_get(&s->pool, p->name));
			keymap_put(&map, p->name, (size_t)g);
		}
		groups = st->groups_v;
		groups[g].count++;
		groups[g].memory += p->memory;
		groups[g].mq += p->mq;
		if (!a->m->pd[i].is_new)
			groups[g].reds_rate += a->m->pd[i].reds_rate;
	}
	keymap_free(&map);
	st->groups_gen = a->m->refreshes + 1;
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
	{ .title = "COUNT", .minw = 7, .right = 1, .sort = SORT_PROC_COUNT_,
	  .cell = gcell_count },
	{ .title = "INITIAL CALL / NAME", .minw = 24, .maxw = 60, .flex = 1,
	  .sort = -1, .cell = gcell_name },
	{ .title = "MEMORY", .minw = 10, .right = 1, .sort = SORT_MEMORY,
	  .cell = gcell_mem },
	{ .title = "REDS/s", .minw = 8, .right = 1, .sort = SORT_REDS_RATE,
	  .cell = gcell_reds },
	{ .title = "MSGQ", .minw = 8, .right = 1, .sort = SORT_MQ, .cell = gcell_mq },
};

static void draw_groups(struct app *a, struct procs_st *st, int top, int rows,
			int cols)
{
	struct gctx c = { a->m->cur, NULL, st->groups.sort };
	struct lv_source src;
	char buf[128];

	if (build_groups(a, st) < 0) {
		term_put(top, 0, ROLE_BAD, "out of memory", cols);
		return;
	}
	c.g = st->groups_v;
	src.ctx = &c;
	src.n = st->ngroups;
	src.value = gvalue;
	src.id = gident;
	src.ascending = st->groups.invert;
	src.gen = a->m->refreshes * 64 + (unsigned long)st->groups.sort * 2 +
		  (unsigned long)st->groups.invert + 1;
	snprintf(buf, sizeof buf, "%zu groups of %zu processes, by initial call "
		 "(Enter lists a group, G ungroups)", st->ngroups, a->m->cur->n_procs);
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_layout(&st->groups, &src, rows - 2);
	lv_draw(&st->groups, gcolumns, 5, &c, st->groups.sort, top + 1, rows - 1, cols);
}

/* Is the HEAP column shown while the list is not sorted by heap (so
 * that the scan did not read it)? */
static int heap_shown(const struct procs_st *st)
{
	int i;

	if (st->procs.sort == SORT_HEAP)
		return 0;
	for (i = 0; i < st->ncols; i++)
		if (fields_proc.f[st->cols[i]].sort == SORT_HEAP)
			return 1;
	return 0;
}

/* The rows on screen: names for those whose scan gave none good enough,
 * and heap sizes when the HEAP column is shown. */
static void shown(struct app *a, void *vst)
{
	const struct procs_st *st = vst;
	const struct snapshot *s = a->m->cur;
	struct bt_pid pids[64], all[64];
	size_t i, n = 0, k = 0;

	if (st->group || !s)
		return;
	for (i = st->procs.offset; i < st->procs.norder && i < st->procs.offset +
	     (size_t)(st->procs.page > 0 ? st->procs.page : 0) && k < 64; i++) {
		const struct proc *p = &s->procs[st->procs.order[i]];

		all[k++] = p->pid;
		if (proc_wants_name(p))
			pids[n++] = p->pid;
	}
	if (n)
		poller_want_names(a->p, pids, n);
	poller_want_heap(a->p, all, heap_shown(st) ? k : 0);
}

static void draw(struct app *a, void *vst, int top, int rows, int cols)
{
	struct procs_st *st = vst;
	struct ctx c = { st, a->m, a->m->cur };
	struct lv_source src;
	char buf[512], b[32], part[128];

	if (st->group) {
		draw_groups(a, st, top, rows, cols);
		return;
	}
	src.ctx = &c;
	src.n = c.s->n_procs;
	src.value = value;
	src.id = ident;
	src.ascending = st->procs.invert;
	src.gen = a->m->refreshes * 100003 + st->proc_gen * 16 +
		  (unsigned long)st->procs.sort * 2 + (unsigned long)st->procs.invert + 1;
	lv_layout(&st->procs, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu processes%s%s%s%s%s%.80s  sorted by %s%s  rates over %s",
		 st->procs.total, c.s->n_procs, c.s->procs_ok ? "" : " (",
		 snapshot_partial(c.s, part, sizeof part), c.s->procs_ok ? "" : ")",
		 c.s->scan == SCAN_INCR && !(a->m->exact_reds && a->m->exact_mem) ?
		 " (top: not proved)" : "",
		 st->in_group ? "  in group " : "", st->in_group ? st->group_name : "",
		 proc_sort_name((enum proc_sort)st->procs.sort),
		 st->procs.invert ? " (ascending)" : "",
		 a->m->window_ms ? (snprintf(b, sizeof b, "%.0f s", a->m->wdt), b) :
		 "one refresh");
	term_put(top, 0, ROLE_DIM, buf, cols);
	{
		/* The columns chosen in the settings file, in its order. */
		struct lv_column shown[32];
		int n = lv_field_columns(&fields_proc, st->cols, st->ncols,
					 st->procs.sort, shown, 32);

		lv_draw(&st->procs, shown, n, a->m, st->procs.sort, top + 1, rows - 1, cols);
	}
}

static void set_sort(struct app *a, struct procs_st *st, int sort)
{
	struct list_state *ls = st->group ? &st->groups : &st->procs;

	if (st->group && sort != SORT_MEMORY && sort != SORT_REDS_RATE &&
	    sort != SORT_MQ && sort != SORT_PROC_COUNT_)
		return;
	lv_sort(ls, sort);
	/* Heap and binary sizes are not in observer_backend's stream: ask
	 * for them only while they are the sort key. */
	poller_set_extra(a->p, proc_sort_needs((enum proc_sort)st->procs.sort));
	if (sort == SORT_HEAP && !st->group)
		ui_note(a, "sorting by heap: every process's heap is read each refresh");
}

/* < and >: the next sortable column shown, left or right. */
static void cycle_sort(struct app *a, struct procs_st *st, int dir)
{
	static const int gcycle[] = { SORT_PROC_COUNT_, SORT_MEMORY, SORT_REDS_RATE,
				      SORT_MQ };
	int i;

	if (!st->group) {
		set_sort(a, st, lv_next_sort(&fields_proc, st->cols, st->ncols,
					 st->procs.sort, dir));
		return;
	}
	for (i = 0; i < 4 && gcycle[i] != st->groups.sort; i++)
		;
	set_sort(a, st, gcycle[(i + dir + 4) % 4]);
}

/* The selected process's row, or -1 (none, or the grouped view). */
static long selected_row(const struct app *a, const struct procs_st *st)
{
	const struct snapshot *s = a->m->cur;
	size_t i;

	if (st->group || !st->procs.has_sel)
		return -1;
	for (i = 0; i < s->n_procs; i++)
		if (bt_pid_key(&s->procs[i].pid) == st->procs.sel)
			return (long)i;
	return -1;
}

static enum reaction open_selected(struct app *a, struct procs_st *st)
{
	const struct snapshot *s = a->m->cur;
	long i;

	if (st->group) {
		if (!st->groups.has_sel || (size_t)st->groups.sel_row >= st->groups.norder)
			return R_DONE;
		snprintf(st->group_name, sizeof st->group_name, "%s",
			 strpool_get(&s->pool,
				     st->groups_v[st->groups.order[st->groups.sel_row]].name));
		st->in_group = 1;
		st->group = 0;
		st->procs.gen = 0;
		st->procs.offset = 0;
		st->procs.sel_row = 0;
		st->procs.move_by_row = 1;
		st->procs.moved = 0;
		st->proc_gen++;
		/* The group's processes in the order the groups were in (by
		 * count means nothing for one process: the list keeps its own). */
		if (st->groups.sort != SORT_PROC_COUNT_) {
			set_sort(a, st, st->groups.sort);
			st->procs.invert = st->groups.invert;
		}
		return R_DONE;
	}
	i = selected_row(a, st);
	if (i >= 0) {
		struct drill_target t;

		memset(&t, 0, sizeof t);
		t.kind = DRILL_PROC;
		t.pid = s->procs[i].pid;
		return ui_open(a, &t, 0);
	}
	return R_DONE;
}

/* The keys that sort by one column. */
static const struct {
	enum action act;
	int sort;
} sort_keys[] = {
	{ A_SORT_MEM, SORT_MEMORY }, { A_SORT_REDS, SORT_REDS_RATE },
	{ A_SORT_MQ, SORT_MQ }, { A_SORT_HEAP, SORT_HEAP },
};

/* w: rates over one refresh, 10 s or 60 s (recon's proc_window). */
static void next_window(struct app *a)
{
	a->window_i = (a->window_i + 1) % 3;
	poller_set_window(a->p, ui_windows[a->window_i]);
	if (a->window_i)
		ui_note(a, "rates over windows of %u s (recon's proc_window)",
			ui_windows[a->window_i] / 1000);
	else
		ui_note(a, "rates over one refresh");
}

static void ask_binleak(struct app *a)
{
	char buf[400];

	if (a->read_only) {
		ui_note(a, "bin_leak is not available: beamtop runs with --read-only");
		return;
	}
	snprintf(buf, sizeof buf, "bin_leak garbage-collects all %llu processes of "
		 "%s (costly on a big node: seconds at 1M processes). Go? y/N",
		 (unsigned long long)a->m->cur->sys.process_count, a->node);
	ui_confirm(a, ACT_BINLEAK, NULL, buf);
}

static enum reaction on_action(struct app *a, void *vst, enum action act)
{
	struct procs_st *st = vst;
	struct list_state *ls = st->group ? &st->groups : &st->procs;
	size_t k;
	long i;

	for (k = 0; k < sizeof sort_keys / sizeof sort_keys[0]; k++)
		if (sort_keys[k].act == act) {
			set_sort(a, st, sort_keys[k].sort);
			return R_DONE;
		}
	switch (act) {
	case A_SORT_LEFT: case A_SORT_RIGHT:
		cycle_sort(a, st, act == A_SORT_RIGHT ? 1 : -1);
		return R_DONE;
	case A_INVERT:
		lv_invert(ls);
		ls->gen = 0;
		return R_DONE;
	case A_GROUP:
		st->group = !st->group;
		st->in_group = 0;
		st->proc_gen++;
		if (st->group && st->groups.sort == 0 && !st->groups.has_sel)
			st->groups.sort = SORT_PROC_COUNT_;
		return R_DONE;
	case A_WINDOW:
		next_window(a);
		return R_DONE;
	case A_ENTER:
		return open_selected(a, st);
	case A_KILL:
		if ((i = selected_row(a, st)) >= 0)
			pane_proc_ask(a, act, &a->m->cur->procs[i].pid);
		return R_DONE;
	case A_BINLEAK:
		ask_binleak(a);
		return R_DONE;
	case A_BACK:
		/* Esc leaves a group's list; a filter is the screen's to clear. */
		if (st->procs.filter[0] || !st->in_group)
			return R_PASS;
		st->in_group = 0;
		st->group = 1;
		st->proc_gen++;
		return R_DONE;
	default:
		return R_PASS;
	}
}

static struct list_state *list(void *vst)
{
	struct procs_st *st = vst;

	return st->group ? &st->groups : &st->procs;
}

/* The sort and the columns the settings file (or F2) chose. */
static void *init(struct app *a)
{
	struct procs_st *st = calloc(1, sizeof *st);
	char err[256];

	if (!st)
		return NULL;
	st->ncols = -1;
	if (a->opts && a->opts->columns[0])
		st->ncols = config_columns(a->opts->columns, st->cols, 16, err, sizeof err);
	if (st->ncols < 0)
		st->ncols = field_default_columns(&fields_proc, st->cols, 16);
	st->groups.sort = SORT_PROC_COUNT_;
	st->procs.sort = a->opts ? (int)a->opts->sort : SORT_MEMORY;
	poller_set_extra(a->p, proc_sort_needs((enum proc_sort)st->procs.sort));
	return st;
}

static void release(void *vst)
{
	struct procs_st *st = vst;

	lv_free(&st->procs);
	lv_free(&st->groups);
	free(st->groups_v);
	free(st);
}

static void save(const void *vst, struct opts *o)
{
	const struct procs_st *st = vst;
	size_t len = 0;
	int i;

	if (st->procs.sort < SORT_PROC_COUNT_)
		o->sort = (enum proc_sort)st->procs.sort;
	o->columns[0] = '\0';
	for (i = 0; i < st->ncols; i++)
		len += (size_t)snprintf(o->columns + len, sizeof o->columns - len, "%s%s",
					i ? "," : "", fields_proc.f[st->cols[i]].name);
}

const struct pane pane_procs = {
	.title = "Processes", .id = "processes", .where = IN_PROCS,
	.init = init, .free = release, .draw = draw, .shown = shown,
	.on_action = on_action, .list = list, .save = save,
};
