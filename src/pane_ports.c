/*
 * pane_ports.c - the ports pane: every port with its owner, traffic per
 * second, queue and memory, sortable by any of them.
 */
#define _GNU_SOURCE /* strcasestr */
#include <inttypes.h>
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
	const struct port_rec *p = &c->s->ports[i];
	const char *f = c->a->ports.filter;
	char own[64], id[32];
	int missing;
	double v;

	*skip = f[0] && !strcasestr(strpool_get(&c->s->pool, p->name), f) &&
		!strcasestr(field_pid_label(c->m, &p->connected, own, sizeof own), f) &&
		!strstr(fmt_port(id, sizeof id, &p->id), f);
	v = model_port_value(c->m, i, (enum port_sort)c->a->ports.sort, &missing);
	/* Rows without the value (new ones for rates) go last, not away. */
	return missing ? -1e300 : v;
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return port_key(&c->s->ports[i]);
}

static void draw(struct app *a, int top, int rows, int cols)
{
	struct ctx c = { a, a->m, a->m->cur };
	struct lv_source src = { &c, c.s->n_ports, value, ident, a->ports.invert, 0 };
	const struct field *sf = field_of_sort(&fields_port, a->ports.sort);
	struct lv_column shown[32];
	int n = lv_field_columns(&fields_port, NULL, 0, shown, 32);
	char buf[160];

	src.gen = a->m->refreshes * 64 + (unsigned long)a->ports.sort * 2 +
		  (unsigned long)a->ports.invert + 1;
	lv_layout(&a->ports, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu ports%s, sorted by %s (< > to change)",
		 a->ports.total, c.s->n_ports, c.s->ports_ok ? "" : " (INCOMPLETE)",
		 sf ? sf->title : "?");
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_draw(&a->ports, shown, n, a->m, a->ports.sort, top + 1, rows - 1, cols);
}

static int on_action(struct app *a, enum action act)
{
	switch (act) {
	case A_SORT_LEFT: case A_SORT_RIGHT:
		lv_sort(&a->ports, lv_next_sort(&fields_port, NULL, 0, a->ports.sort,
						act == A_SORT_RIGHT ? 1 : -1));
		return 1;
	case A_SORT_MEM:
		lv_sort(&a->ports, PORT_SORT_MEMORY);
		return 1;
	case A_INVERT:
		lv_invert(&a->ports);
		return 1;
	case A_ENTER: {
		const struct snapshot *s = a->m->cur;
		struct drill_target t;
		size_t i;

		if (!a->ports.has_sel)
			return 1;
		for (i = 0; i < s->n_ports; i++)
			if (port_key(&s->ports[i]) == a->ports.sel) {
				memset(&t, 0, sizeof t);
				t.kind = DRILL_PORT;
				t.port = s->ports[i].id;
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
	return &a->ports;
}

const struct pane pane_ports = {
	"Ports", "ports", IN_PORTS, draw, on_action, list
};
