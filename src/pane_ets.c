/*
 * pane_ets.c - the ETS pane: every table with its owner, size, memory and
 * growth, sortable by memory, size or growth (the playbooks' ETS steps).
 */
#define _GNU_SOURCE /* strcasestr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/listview.h"
#include "beamtop/opts.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

struct ctx {
	const struct list_state *ls;
	const struct model *m;
	const struct snapshot *s;
};

static double value(const void *vc, size_t i, int *skip)
{
	const struct ctx *c = vc;
	const struct ets_tab *e = &c->s->ets[i];
	const char *f = c->ls->filter;
	char own[64];
	int missing;
	double v;

	*skip = f[0] && !strcasestr(strpool_get(&c->s->pool, e->name), f) &&
		!strcasestr(field_pid_label(c->m, &e->owner, own, sizeof own), f);
	v = model_ets_value(c->m, i, (enum ets_sort)c->ls->sort, &missing);
	/* Rows without the value (new ones for growth) go last, not away. */
	return missing ? -1e300 : v;
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return ets_key(&c->s->ets[i]);
}

static void draw(struct app *a, void *vst, int top, int rows, int cols)
{
	struct list_state *ls = vst;
	struct ctx c = { ls, a->m, a->m->cur };
	struct lv_source src = { &c, c.s->n_ets, value, ident, ls->invert, 0 };
	const struct field *sf = field_of_sort(&fields_ets, ls->sort);
	struct lv_column shown[32];
	int n = lv_field_columns(&fields_ets, NULL, 0, ls->sort, shown, 32);
	char buf[160];

	src.gen = a->m->refreshes * 64 + (unsigned long)ls->sort * 2 +
		  (unsigned long)ls->invert + 1;
	lv_layout(ls, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu tables%s, sorted by %s (M memory, S size, "
		 "g growth)", ls->total, c.s->n_ets, c.s->ets_ok ? "" : " (INCOMPLETE)",
		 sf ? sf->title : "?");
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_draw(ls, shown, n, a->m, ls->sort, top + 1, rows - 1, cols);
}

static enum reaction on_action(struct app *a, void *vst, enum action act)
{
	struct list_state *ls = vst;

	switch (act) {
	case A_SORT_MEM:
		lv_sort(ls, ETS_SORT_MEMORY);
		return R_DONE;
	case A_SORT_SIZE:
		lv_sort(ls, ETS_SORT_SIZE);
		return R_DONE;
	case A_SORT_GROWTH:
		lv_sort(ls, ETS_SORT_GROWTH);
		return R_DONE;
	case A_SORT_LEFT: case A_SORT_RIGHT:
		lv_sort(ls, lv_next_sort(&fields_ets, NULL, 0, ls->sort,
					       act == A_SORT_RIGHT ? 1 : -1));
		return R_DONE;
	case A_INVERT:
		lv_invert(ls);
		return R_DONE;
	case A_ENTER: {
		const struct snapshot *s = a->m->cur;
		struct drill_target t;
		size_t i;

		if (!ls->has_sel)
			return R_DONE;
		for (i = 0; i < s->n_ets; i++)
			if (ets_key(&s->ets[i]) == ls->sel) {
				memset(&t, 0, sizeof t);
				t.kind = DRILL_ETS;
				t.tab = s->ets[i].id;
				snprintf(t.tabname, sizeof t.tabname, "%s",
					 strpool_get(&s->pool, s->ets[i].name));
				/* A named table is addressed by its name. */
				if (s->ets[i].named)
					t.tab.len = 0;
				return ui_open(a, &t, 0);
			}
		return R_DONE;
	}
	default:
		return R_PASS;
	}
}

/* The sort the settings file (or F2) chose. */
static void *init(struct app *a)
{
	return lv_state_new(a->opts ? a->opts->ets_sort : ETS_SORT_MEMORY);
}

static void save(const void *vst, struct opts *o)
{
	o->ets_sort = ((const struct list_state *)vst)->sort;
}

const struct pane pane_ets = {
	.title = "ETS", .id = "ets", .where = IN_ETS,
	.init = init, .free = lv_state_free, .draw = draw,
	.on_action = on_action, .list = lv_state, .save = save,
};
