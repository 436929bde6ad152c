/*
 * pane_ports.c - the ports pane: every port with its owner, traffic per
 * second, queue and memory, sortable by any of them.
 */
#define _GNU_SOURCE /* strcasestr */
#include <inttypes.h>
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
	const struct port_rec *p = &c->s->ports[i];
	const char *f = c->ls->filter;
	char own[64], id[32];
	int missing;
	double v;

	*skip = f[0] && !strcasestr(strpool_get(&c->s->pool, p->name), f) &&
		!strcasestr(field_pid_label(c->m, &p->connected, own, sizeof own), f) &&
		!strstr(fmt_port(id, sizeof id, &p->id), f);
	v = model_port_value(c->m, i, (enum port_sort)c->ls->sort, &missing);
	/* Rows without the value (new ones for rates) go last, not away. */
	return missing ? -1e300 : v;
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return port_key(&c->s->ports[i]);
}

static void draw(struct app *a, void *vst, int top, int rows, int cols)
{
	struct list_state *ls = vst;
	struct ctx c = { ls, a->m, a->m->cur };
	struct lv_source src = { &c, c.s->n_ports, value, ident, ls->invert, 0 };
	const struct field *sf = field_of_sort(&fields_port, ls->sort);
	struct lv_column shown[32];
	int n = lv_field_columns(&fields_port, NULL, 0, ls->sort, shown, 32);
	char buf[160];

	src.gen = a->m->refreshes * 64 + (unsigned long)ls->sort * 2 +
		  (unsigned long)ls->invert + 1;
	lv_layout(ls, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu ports%s, sorted by %s (< > to change)",
		 ls->total, c.s->n_ports, c.s->ports_ok ? "" : " (INCOMPLETE)",
		 sf ? sf->title : "?");
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_draw(ls, shown, n, a->m, ls->sort, top + 1, rows - 1, cols);
}

static enum reaction on_action(struct app *a, void *vst, enum action act)
{
	struct list_state *ls = vst;

	switch (act) {
	case A_SORT_LEFT: case A_SORT_RIGHT:
		lv_sort(ls, lv_next_sort(&fields_port, NULL, 0, ls->sort,
						act == A_SORT_RIGHT ? 1 : -1));
		return R_DONE;
	case A_SORT_MEM:
		lv_sort(ls, PORT_SORT_MEMORY);
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
		for (i = 0; i < s->n_ports; i++)
			if (port_key(&s->ports[i]) == ls->sel) {
				memset(&t, 0, sizeof t);
				t.kind = DRILL_PORT;
				t.port = s->ports[i].id;
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
	return lv_state_new(a->opts ? a->opts->ports_sort : PORT_SORT_IO);
}

static void save(const void *vst, struct opts *o)
{
	o->ports_sort = ((const struct list_state *)vst)->sort;
}

const struct pane pane_ports = {
	.title = "Ports", .id = "ports", .where = IN_PORTS,
	.init = init, .free = lv_state_free, .draw = draw,
	.on_action = on_action, .list = lv_state, .save = save,
};
