/*
 * pane_ets.c - the ETS pane: every table with its owner, size, memory and
 * growth, sortable by memory, size or growth (the playbooks' ETS steps).
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <string.h>

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

static double value(const void *vc, size_t i, int *skip)
{
	const struct ctx *c = vc;
	const struct ets_tab *e = &c->s->ets[i];
	const char *f = c->a->ets.filter;
	char own[64];
	int missing;
	double v;

	*skip = f[0] && !strcasestr(strpool_get(&c->s->pool, e->name), f) &&
		!strcasestr(field_pid_label(c->m, &e->owner, own, sizeof own), f);
	v = model_ets_value(c->m, i, (enum ets_sort)c->a->ets.sort, &missing);
	/* Rows without the value (new ones for growth) go last, not away. */
	return missing ? -1e300 : v;
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return ets_key(&c->s->ets[i]);
}

static void draw(struct app *a, int top, int rows, int cols)
{
	struct ctx c = { a, a->m, a->m->cur };
	struct lv_source src = { &c, c.s->n_ets, value, ident, a->ets.invert, 0 };
	const struct field *sf = field_of_sort(&fields_ets, a->ets.sort);
	struct lv_column shown[32];
	int n = lv_field_columns(&fields_ets, NULL, 0, shown, 32);
	char buf[160];

	src.gen = a->m->refreshes * 64 + (unsigned long)a->ets.sort * 2 +
		  (unsigned long)a->ets.invert + 1;
	lv_layout(&a->ets, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu tables%s, sorted by %s (M memory, S size, "
		 "g growth)", a->ets.total, c.s->n_ets, c.s->ets_ok ? "" : " (INCOMPLETE)",
		 sf ? sf->title : "?");
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_draw(&a->ets, shown, n, a->m, a->ets.sort, top + 1, rows - 1, cols);
}

static int on_action(struct app *a, enum action act)
{
	switch (act) {
	case A_SORT_MEM:
		lv_sort(&a->ets, ETS_SORT_MEMORY);
		return 1;
	case A_SORT_SIZE:
		lv_sort(&a->ets, ETS_SORT_SIZE);
		return 1;
	case A_SORT_GROWTH:
		lv_sort(&a->ets, ETS_SORT_GROWTH);
		return 1;
	case A_SORT_LEFT: case A_SORT_RIGHT:
		lv_sort(&a->ets, lv_next_sort(&fields_ets, NULL, 0, a->ets.sort,
					       act == A_SORT_RIGHT ? 1 : -1));
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
