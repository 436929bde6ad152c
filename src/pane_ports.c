/*
 * pane_ports.c - the ports pane: every port with its owner, traffic per
 * second, queue and memory, sortable by any of them.
 */
#define _GNU_SOURCE /* strcasestr */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/listview.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

struct ctx {
	const struct app *a;
	const struct model *m;
	const struct snapshot *s;
};

static const char *owner_text(const struct ctx *c, size_t i, char *buf, size_t n)
{
	return ui_pid_label(c->m, &c->s->ports[i].connected, buf, n);
}

static double value(const void *vc, size_t i, int *skip)
{
	const struct ctx *c = vc;
	const struct port_rec *p = &c->s->ports[i];
	const struct port_delta *d = &c->m->od[i];
	const char *f = c->a->ports.filter;
	char own[64], id[32];

	*skip = f[0] && !strcasestr(strpool_get(&c->s->pool, p->name), f) &&
		!strcasestr(owner_text(c, i, own, sizeof own), f) &&
		!strstr(fmt_port(id, sizeof id, &p->id), f);
	switch (c->a->ports.sort) {
	case PORT_SORT_IN: return d->in_rate;
	case PORT_SORT_OUT: return d->out_rate;
	case PORT_SORT_QUEUE: return (double)p->queue;
	case PORT_SORT_MEMORY: return (double)p->memory;
	default: return d->in_rate + d->out_rate;
	}
}

static uint64_t ident(const void *vc, size_t i)
{
	const struct ctx *c = vc;

	return port_key(&c->s->ports[i]);
}

static void cell_id(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	if (c->m->od[i].is_new && c->m->has_prev)
		*role = ROLE_NEW;
	fmt_port(buf, n, &c->s->ports[i].id);
}

static void cell_name(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	snprintf(buf, n, "%s", strpool_get(&c->s->pool, c->s->ports[i].name));
}

static void cell_owner(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;
	char tmp[64];

	(void)role;
	snprintf(buf, n, "%s", owner_text(c, i, tmp, sizeof tmp));
}

static void rate(const struct ctx *c, size_t i, double v, char *buf, size_t n)
{
	if (c->m->od[i].is_new || !c->m->has_prev)
		snprintf(buf, n, "-");
	else
		fmt_bytes(buf, n, v);
}

static void cell_in(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	rate(c, i, c->m->od[i].in_rate, buf, n);
}

static void cell_out(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	rate(c, i, c->m->od[i].out_rate, buf, n);
}

static void cell_queue(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	if (c->s->ports[i].queue > 0)
		*role = ROLE_WARN;
	fmt_bytes(buf, n, (double)c->s->ports[i].queue);
}

static void cell_mem(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	fmt_bytes(buf, n, (double)c->s->ports[i].memory);
}

static void cell_os(const void *vc, size_t i, char *buf, size_t n, int *role)
{
	const struct ctx *c = vc;

	(void)role;
	if (c->s->ports[i].os_pid >= 0)
		snprintf(buf, n, "%" PRId64, c->s->ports[i].os_pid);
	else
		snprintf(buf, n, "-");
}

static const struct lv_column columns[] = {
	{ "PORT", 12, 0, 0, -1, cell_id },
	{ "NAME", 16, 1, 0, -1, cell_name },
	{ "CONNECTED", 16, 0, 0, -1, cell_owner },
	{ "IN/s", 9, 0, 1, PORT_SORT_IN, cell_in },
	{ "OUT/s", 9, 0, 1, PORT_SORT_OUT, cell_out },
	{ "QUEUE", 9, 0, 1, PORT_SORT_QUEUE, cell_queue },
	{ "MEMORY", 9, 0, 1, PORT_SORT_MEMORY, cell_mem },
	{ "OS_PID", 7, 0, 1, -1, cell_os },
};
#define N_COLUMNS (int)(sizeof columns / sizeof columns[0])

static const char *const sort_name[] = { "in+out", "in", "out", "queue", "memory" };

static void draw(struct app *a, int top, int rows, int cols)
{
	struct ctx c = { a, a->m, a->m->cur };
	struct lv_source src = { &c, c.s->n_ports, value, ident, a->ports.invert, 0 };
	char buf[160];

	src.gen = a->m->refreshes * 64 + (unsigned long)a->ports.sort * 2 +
		  (unsigned long)a->ports.invert + 1;
	lv_layout(&a->ports, &src, rows - 2);
	snprintf(buf, sizeof buf, "%zu of %zu ports%s, sorted by %s (< > to change)",
		 a->ports.total, c.s->n_ports, c.s->ports_ok ? "" : " (INCOMPLETE)",
		 sort_name[a->ports.sort % PORT_SORT_COUNT_]);
	term_put(top, 0, ROLE_DIM, buf, cols);
	lv_draw(&a->ports, columns, N_COLUMNS, &c, a->ports.sort, top + 1, rows - 1,
		cols);
}

static int on_action(struct app *a, enum action act)
{
	switch (act) {
	case A_SORT_LEFT: case A_SORT_RIGHT:
		lv_sort(&a->ports, (a->ports.sort + (act == A_SORT_RIGHT ? 1 :
			PORT_SORT_COUNT_ - 1)) % PORT_SORT_COUNT_);
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
