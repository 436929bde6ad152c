/*
 * pane_ets.c - the ETS pane: every table with its owner, size, memory and
 * growth, sortable by memory, size or growth (the playbooks' ETS steps).
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/listview.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

static const char *const type_name[] = {
	"set", "ordered_set", "bag", "duplicate_bag", "?"
};
static const char *const prot_name[] = { "public", "protected", "private", "?" };

struct ctx {
	const struct app *a;
	const struct model *m;
	const struct snapshot *s;
};

static const char *owner_text(const struct ctx *c, size_t i, char *buf, size_t n)
{
	return ui_pid_label(c->m, &c->s->ets[i].owner, buf, n);
}

static double value(const void *vc, size_t i, int *skip)
{
	const struct ctx *c = vc;
	const struct ets_tab *e = &c->s->ets[i];
	const char *f = c->a->ets.filter;
	char own[64];

	*skip = f[0] && !strcasestr(strpool_get(&c->s->pool, e->name), f) &&
		!strcasestr(owner_text(c, i, own, sizeof own), f);
	switch (c->a->ets.sort) {
	case ETS_SORT_SIZE:
		return (double)e->size;
	case ETS_SORT_GROWTH:
		return c->m->ed[i].is_new ? -1e300 : c->m->ed[i].mem_rate;
	default:
		return (double)e->memory;
	}
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return ets_key(&c->s->ets[i]);
}

static void cell_name(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	if (c->m->ed[i].is_new && c->m->has_prev)
		*role = ROLE_NEW;
	snprintf(buf, n, "%s", strpool_get(&c->s->pool, c->s->ets[i].name));
}

static void cell_id(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;
	const struct ets_tab *e = &c->s->ets[i];

	*role = ROLE_DIM;
	if (e->named)
		snprintf(buf, n, "(named)");
	else
		fmt_ref(buf, n, &e->id);
}

static void cell_type(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	snprintf(buf, n, "%s", type_name[c->s->ets[i].type % 5]);
}

static void cell_prot(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	snprintf(buf, n, "%s", prot_name[c->s->ets[i].protection % 4]);
}

static void cell_owner(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;
	char tmp[64];

	(void)role;
	snprintf(buf, n, "%s", owner_text(c, i, tmp, sizeof tmp));
}

static void cell_size(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	fmt_count(buf, n, (double)c->s->ets[i].size);
}

static void cell_mem(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	fmt_bytes(buf, n, (double)c->s->ets[i].memory);
}

static void cell_growth(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;
	const struct ets_delta *d = &c->m->ed[i];

	if (d->is_new || !c->m->has_prev) {
		snprintf(buf, n, "-");
		return;
	}
	fmt_bytes(buf, n, d->mem_rate);
	if (d->mem_rate > 0)
		*role = ROLE_WARN;
}

static void cell_srate(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;
	const struct ets_delta *d = &c->m->ed[i];

	(void)role;
	if (d->is_new || !c->m->has_prev)
		snprintf(buf, n, "-");
	else
		fmt_count(buf, n, d->size_rate);
}

static const struct lv_column columns[] = {
	{ "NAME", 20, 1, 0, -1, cell_name },
	{ "SIZE", 7, 0, 1, ETS_SORT_SIZE, cell_size },
	{ "MEMORY", 9, 0, 1, ETS_SORT_MEMORY, cell_mem },
	{ "GROWTH/s", 9, 0, 1, ETS_SORT_GROWTH, cell_growth },
	{ "OWNER", 16, 0, 0, -1, cell_owner },
	{ "TYPE", 11, 0, 0, -1, cell_type },
	{ "PROT", 9, 0, 0, -1, cell_prot },
	{ "ROWS/s", 7, 0, 1, -1, cell_srate },
	{ "ID", 22, 0, 0, -1, cell_id },
};
#define N_COLUMNS (int)(sizeof columns / sizeof columns[0])

static void draw(struct app *a, int top, int rows, int cols)
{
	static const char *const sort_name[] = { "memory", "size", "growth" };
	struct ctx c = { a, a->m, a->m->cur };
	struct lv_source src = { &c, c.s->n_ets, value, ident, a->ets.invert, 0 };
	char buf[160];

	src.gen = a->m->refreshes * 64 + (unsigned long)a->ets.sort * 2 +
		  (unsigned long)a->ets.invert + 1;
	lv_layout(&a->ets, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu tables%s, sorted by %s (M memory, S size, "
		 "g growth)", a->ets.total, c.s->n_ets, c.s->ets_ok ? "" : " (INCOMPLETE)",
		 sort_name[a->ets.sort % 3]);
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_draw(&a->ets, columns, N_COLUMNS, &c, a->ets.sort, top + 1, rows - 1, cols);
}

static void set_sort(struct list_state *ls, int sort)
{
	lv_sort(ls, sort);
}

static int on_action(struct app *a, enum action act)
{
	switch (act) {
	case A_SORT_MEM:
		set_sort(&a->ets, ETS_SORT_MEMORY);
		return 1;
	case A_SORT_SIZE:
		set_sort(&a->ets, ETS_SORT_SIZE);
		return 1;
	case A_SORT_GROWTH:
		set_sort(&a->ets, ETS_SORT_GROWTH);
		return 1;
	case A_SORT_LEFT: case A_SORT_RIGHT:
		set_sort(&a->ets, (a->ets.sort + (act == A_SORT_RIGHT ? 1 : 2)) % 3);
		return 1;
	case A_INVERT:
		lv_invert(&a->ets);
		return 1;
	case A_ENTER: {
		const struct snapshot *s = a->m->cur;
		struct drill_target t;
		size_t i;

		if (!a->ets.has_sel)
			return 1;
		for (i = 0; i < s->n_ets; i++)
			if (ets_key(&s->ets[i]) == a->ets.sel) {
				memset(&t, 0, sizeof t);
				t.kind = DRILL_ETS;
				t.tab = s->ets[i].id;
				snprintf(t.tabname, sizeof t.tabname, "%s",
					 strpool_get(&s->pool, s->ets[i].name));
				/* A named table is addressed by its name. */
				if (s->ets[i].named)
					t.tab.len = 0;
				ui_drill(a, &t, 0);
				break;
			}
		return 1;
	}
	default:
		return 0;
	}
}

static struct list_state *list(struct app *a)
{
	return &a->ets;
}

const struct pane pane_ets = { "ETS", "ets", IN_ETS, draw, on_action, list };
