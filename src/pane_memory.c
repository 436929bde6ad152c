/*
 * pane_memory.c - the memory pane (the playbooks' first step): every kind
 * erlang:memory() reports with its size, share, rate and trend, binary and
 * ETS marked as the usual leak sources, and how close the node is to its
 * limits.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/layout.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

/* The ring of a kind, or NULL for kinds without history. */
static const struct ring *history(const struct model *m, const char *kind)
{
	int i;

	for (i = 0; i < MODEL_MEM_KINDS; i++)
		if (strcmp(model_mem_kinds[i], kind) == 0)
			return &m->h_mem[i];
	return NULL;
}

static int kind_role(const char *kind)
{
	if (strcmp(kind, "binary") == 0)
		return ROLE_BIN;
	if (strcmp(kind, "ets") == 0)
		return ROLE_ETS;
	if (strcmp(kind, "total") == 0)
		return ROLE_VALUE;
	return ROLE_NORMAL;
}

static void limit_row(int y, int cols, const char *what, uint64_t n, uint64_t max,
		      int known)
{
	char buf[128], a[32], b[32];
	double share = max ? (double)n / (double)max : 0;
	int barw = cols - 48, fill;

	if (!known) {
		/* system_info failed this refresh: unknown, not 0 / 0. */
		snprintf(buf, sizeof buf, "%-10s %9s / %-9s", what, "?", "?");
		term_put(y, 1, ROLE_DIM, buf, cols - 1);
		return;
	}
	snprintf(buf, sizeof buf, "%-10s %9s / %-9s %5.1f%%", what,
		 fmt_count(a, sizeof a, (double)n), fmt_count(b, sizeof b, (double)max),
		 share * 100);
	term_put(y, 1, share > 0.8 ? ROLE_BAD : ROLE_NORMAL, buf, cols - 1);
	if (barw > 40)
		barw = 40;
	if (barw < 5)
		return;
	fill = (int)(share * barw + 0.5);
	term_put(y, 46, ROLE_LABEL, "[", 1);
	term_fill(y, 47, fill, share > 0.8 ? ROLE_BAD : ROLE_PROC, "|");
	term_put(y, 47 + barw, ROLE_LABEL, "]", 1);
}

/* One row per memory kind, with its rate, trend and leak suspicion.
 * Returns the row after them. */
static int draw_kinds(const struct model *m, int y, int end, int cols)
{
	const struct snapshot *s = m->cur;
	uint64_t total = snapshot_mem(s, "total");
	char buf[256], sz[32], rt[32], spark[128];
	int i;

	for (i = 0; i < s->n_mem && y < end; i++, y++) {
		const struct mem_entry *e = &s->mem[i];
		const struct ring *h = history(m, e->kind);
		int role = kind_role(e->kind), x;

		rt[0] = '-', rt[1] = '\0';
		if (h && h->n >= 2 && m->dt > 0)
			fmt_bytes(rt, sizeof rt, (ring_get(h, h->n - 1) -
						  ring_get(h, h->n - 2)) / m->dt);
		snprintf(buf, sizeof buf, "%-16s %10s %6.1f%% %12s  ", e->kind,
			 fmt_bytes(sz, sizeof sz, (double)e->bytes),
			 total ? 100.0 * (double)e->bytes / (double)total : 0, rt);
		x = term_put(y, 0, role, buf, cols);
		if (h) {
			int w = cols - x - 24;

			layout_spark(h, w > 40 ? 40 : w, spark, sizeof spark);
			x += term_put(y, x, ROLE_SPARK, spark, cols - x);
		}
		/* Only what keeps growing: a shrinking or flat kind is no
		 * suspect, whatever its kind. */
		if ((role == ROLE_BIN || role == ROLE_ETS) && h && layout_growing(h))
			term_put(y, x + 1, ROLE_DIM, role == ROLE_BIN ?
				 "leak suspect: refc binaries" :
				 "leak suspect: see ETS (4)", cols - x - 1);
	}
	return y;
}

/* The node's limits, and its I/O since start. */
static void draw_limits(const struct sysinfo *si, int y, int end, int cols)
{
	const struct {
		const char *what;
		uint64_t n, max;
		int known;
	} lim[] = {
		{ "processes", si->process_count, si->process_limit,
		  SI_KNOWN(si, SI_PROCESS_COUNT) && SI_KNOWN(si, SI_PROCESS_LIMIT) },
		{ "ports", si->port_count, si->port_limit,
		  SI_KNOWN(si, SI_PORT_COUNT) && SI_KNOWN(si, SI_PORT_LIMIT) },
		{ "atoms", si->atom_count, si->atom_limit,
		  SI_KNOWN(si, SI_ATOM_COUNT) && SI_KNOWN(si, SI_ATOM_LIMIT) },
		{ "ets tables", si->ets_count, si->ets_limit,
		  SI_KNOWN(si, SI_ETS_COUNT) && SI_KNOWN(si, SI_ETS_LIMIT) },
	};
	char buf[256], in[32], out[32];
	size_t i;

	if (y < end) {
		term_fill(y, 0, cols, ROLE_HEAD, " ");
		term_put(y++, 0, ROLE_HEAD, "LIMITS", cols);
	}
	for (i = 0; i < sizeof lim / sizeof lim[0] && y < end; i++)
		limit_row(y++, cols, lim[i].what, lim[i].n, lim[i].max, lim[i].known);
	if (++y >= end)
		return;
	snprintf(buf, sizeof buf, "I/O since start: in %s, out %s    word size %u, "
		 "%u logical processors",
		 si->have_stats ? fmt_bytes(in, sizeof in, (double)si->io_in) : "?",
		 si->have_stats ? fmt_bytes(out, sizeof out, (double)si->io_out) : "?",
		 si->wordsize, si->logical_processors);
	term_put(y, 1, ROLE_DIM, buf, cols - 1);
}

static void draw(struct app *a, void *st, int top, int rows, int cols)
{
	char buf[128];
	int y = top;

	(void)st;
	term_fill(y, 0, cols, ROLE_HEAD, " ");
	snprintf(buf, sizeof buf, "%-16s %10s %7s %12s  %s", "KIND", "SIZE", "SHARE",
		 "RATE/s", "TREND");
	term_put(y++, 0, ROLE_HEAD, buf, cols);
	y = draw_kinds(a->m, y, top + rows, cols);
	draw_limits(&a->m->cur->sys, y + 1, top + rows, cols);
}

const struct pane pane_memory = {
	.title = "Memory", .id = "memory", .where = IN_MEMORY, .draw = draw,
};
