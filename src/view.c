/*
 * view.c - header, tab bar, status line, help and the too-small message
 * (see view.h).  The pane in between is drawn by the pane itself.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/clock.h"
#include "beamtop/format.h"
#include "beamtop/layout.h"
#include "beamtop/sched.h"
#include "beamtop/term.h"
#include "beamtop/listview.h"
#include "beamtop/ui.h"
#include "beamtop/view.h"

/* Memory kinds of the header's bar: processes, then what `system` holds. */
static const struct {
	const char *kind;
	const char *label;
	int role;
	char mono;
} mem_parts[] = {
	{ "processes", "proc", ROLE_PROC, 'p' },
	{ "binary", "bin", ROLE_BIN, 'b' },
	{ "ets", "ets", ROLE_ETS, 'e' },
	{ "code", "code", ROLE_CODE, 'c' },
	{ "atom", "atom", ROLE_ATOM, 'a' },
	{ NULL, "other", ROLE_SYS, 's' },
};
#define N_MEM_PARTS (int)(sizeof mem_parts / sizeof mem_parts[0])

/* Puts label then value; returns the new x. */
static int label_value(int y, int x, const char *label, const char *value,
		       int value_role, int maxx)
{
	x += term_put(y, x, ROLE_LABEL, label, maxx - x);
	x += term_put(y, x, value_role, value, maxx - x);
	return x;
}

/* The link when it is down (or the pause), from column x.  Returns the
 * columns written. */
static int link_state(const struct app *a, int y, int x, int cols, uint64_t now)
{
	const struct poller_status *st = &a->f.st;
	unsigned long down = (unsigned long)((now - st->down_since_ms) / 1000);
	char buf[128];

	if (st->link == LINK_DOWN) {
		if (st->auth_failed)
			snprintf(buf, sizeof buf, " AUTHENTICATION FAILED %lus, r retries ",
				 down);
		else if (st->retry_at_ms > now)
			snprintf(buf, sizeof buf, " DISCONNECTED %lus, retry in %lus ", down,
				 (unsigned long)((st->retry_at_ms - now + 999) / 1000));
		else
			snprintf(buf, sizeof buf, " DISCONNECTED %lus, retrying ", down);
		return term_put(y, x, ROLE_BAD, buf, cols - x);
	}
	if (!a->paused)
		return 0;
	snprintf(buf, sizeof buf, " PAUSED (%lu newer) ", st->held);
	return term_put(y, x, ROLE_PAUSED, buf, cols - x);
}

/* How the process list was made, and what may be spent on it. */
static int scan_state(const struct app *a, int y, int x, int cols, int narrow)
{
	const struct snapshot *s = a->m->cur;
	char buf[160], n1[16], n2[16];

	if (s->partial)
		snprintf(buf, sizeof buf, narrow ? " partial %s/%s" :
			 "  partial: %s of %s read, top: not proved",
			 fmt_count(n1, sizeof n1, (double)s->n_procs),
			 s->sys.have_info ? fmt_count(n2, sizeof n2,
						      (double)s->sys.process_count) : "?");
	else if (s->scan == SCAN_INCR)
		snprintf(buf, sizeof buf, narrow ? " incr %zu, full %llus ago, %u%%" :
			 "  incremental: %zu read, full scan %llus ago, budget %u%%",
			 s->n_fresh, (unsigned long long)(s->full_age_ms / 1000), a->budget);
	else
		snprintf(buf, sizeof buf, narrow ? " full %s, %u%%" :
			 "  full scan of %s, budget %u%%",
			 fmt_count(n1, sizeof n1, (double)s->n_procs), a->budget);
	return term_put(y, x, s->partial ? ROLE_WARN : ROLE_DIM, buf, cols - x);
}

static void draw_title(const struct app *a, int y, int cols)
{
	const struct snapshot *s = a->m->cur;
	const struct poller_status *st = &a->f.st;
	uint64_t now = clock_ms();
	int narrow = cols < 110, x = 0;
	char buf[256], t[32], b[32];

	if (!narrow)
		x += term_put(y, x, ROLE_TITLE, "beamtop ", cols);
	x += term_put(y, x, ROLE_VALUE, a->node, cols - x);
	if (s) {
		snprintf(buf, sizeof buf, narrow ? " OTP%s up %s" : "  OTP %s  up %s",
			 s->sys.otp_release[0] ? s->sys.otp_release : "?",
			 !s->sys.have_stats ? "?" :
			 fmt_uptime(t, sizeof t, s->sys.uptime_ms +
				    (st->data_ms && st->link == LINK_UP ?
				     now - st->data_ms : 0)));
		x += term_put(y, x, ROLE_NORMAL, buf, cols - x);
	}
	x += narrow ? 1 : 2;
	x += link_state(a, y, x, cols, now);
	if (st->data_ms) {
		double age = (double)(now - st->data_ms) / 1000.0;
		int stale = age > 3.0 * a->interval_ms / 1000.0 + 5;

		snprintf(buf, sizeof buf, narrow ? " %s%.1fs old" : " data %s%.1fs old",
			 stale ? "STALE " : "", age);
		x += term_put(y, x, stale ? ROLE_WARN : ROLE_DIM, buf, cols - x);
	}
	if (!st->cost_ms && !st->bytes) /* no refresh has ended yet */
		snprintf(buf, sizeof buf, narrow ? " every %.1fs" : "  every %.1fs",
			 a->interval_ms / 1000.0);
	else
		snprintf(buf, sizeof buf, narrow ? " every %.1fs%s %.0fms/%s" :
			 "  every %.1fs%s  last %.0fms %s", a->interval_ms / 1000.0,
			 st->stretched ? " (stretched)" : "", st->cost_ms,
			 fmt_bytes(b, sizeof b, (double)st->bytes));
	x += term_put(y, x, st->stretched ? ROLE_WARN : ROLE_DIM, buf, cols - x);
	if (s)
		x += scan_state(a, y, x, cols, narrow);
	if (a->m->window_ms && a->m->wdt > 0) {
		snprintf(buf, sizeof buf, "  rates over %.0fs", a->m->wdt);
		term_put(y, x, ROLE_DIM, buf, cols - x);
	}
}

static void draw_memory_line(const struct app *a, int y, int cols)
{
	const struct snapshot *s = a->m->cur;
	uint64_t parts[N_MEM_PARTS], total, sysmem, known = 0;
	int cells[N_MEM_PARTS], i, j, x = 0, barw;
	char buf[160], b[32];

	total = snapshot_mem(s, "total");
	sysmem = snapshot_mem(s, "system");
	for (i = 0; i < N_MEM_PARTS - 1; i++) {
		parts[i] = snapshot_mem(s, mem_parts[i].kind);
		if (i > 0)
			known += parts[i];
	}
	/* `system` includes binary, ets, code and atom: the rest is "other". */
	parts[N_MEM_PARTS - 1] = sysmem > known ? sysmem - known : 0;
	x += term_put(y, x, ROLE_LABEL, "Mem[", cols);
	barw = cols / 3 < 20 ? 20 : cols / 3;
	layout_split(parts, N_MEM_PARTS, total, barw, cells);
	for (i = 0; i < N_MEM_PARTS; i++) {
		/* Colour tells the kinds apart; without it, letters do. */
		char ch[2] = { a->color ? '|' : mem_parts[i].mono, 0 };

		for (j = 0; j < cells[i]; j++)
			term_put(y, x++, mem_parts[i].role, ch, 1);
	}
	x = 4 + barw;
	snprintf(buf, sizeof buf, "] %s", fmt_bytes(b, sizeof b, (double)total));
	x += term_put(y, x, ROLE_VALUE, buf, cols - x);
	layout_spark(&a->m->h_mem[0], cols < 100 ? 6 : 12, buf, sizeof buf);
	x += 1;
	x += term_put(y, x, ROLE_SPARK, buf, cols - x);
	if (s->sys.have_info)
		snprintf(buf, sizeof buf, "%llu/%s",
			 (unsigned long long)s->sys.process_count,
			 fmt_count(b, sizeof b, (double)s->sys.process_limit));
	else /* the call failed: unknown, not 0 */
		snprintf(buf, sizeof buf, "?/?");
	x = label_value(y, x + 2, "Procs ", buf,
			s->sys.process_limit && s->sys.process_count * 10 >
			s->sys.process_limit * 8 ? ROLE_BAD : ROLE_VALUE, cols);
	layout_spark(&a->m->h_procs, cols < 100 ? 4 : 8, buf, sizeof buf);
	x += 1;
	x += term_put(y, x, ROLE_SPARK, buf, cols - x);
	snprintf(buf, sizeof buf, "%lu", model_runq_total(s));
	x = label_value(y, x + 2, "RunQ ", buf,
			model_runq_total(s) > s->sys.schedulers_online ? ROLE_WARN :
			ROLE_VALUE, cols);
	if (a->m->reds_rate >= 0) {
		snprintf(buf, sizeof buf, "%s/s", fmt_count(b, sizeof b, a->m->reds_rate));
		label_value(y, x + 2, "Reds ", buf, ROLE_VALUE, cols);
	}
}

/* A bar [|||||   45%] of width w (brackets included) at x. */
static void util_bar(int y, int x, int w, double u, int role)
{
	char pct[16];
	int inner = w - 2, fill, pw;

	term_put(y, x, ROLE_LABEL, "[", 1);
	if (u < 0) {
		snprintf(pct, sizeof pct, "n/a");
		fill = 0;
	} else {
		snprintf(pct, sizeof pct, "%.0f%%", u * 100);
		fill = (int)(u * inner + 0.5);
	}
	pw = (int)strlen(pct);
	term_fill(y, x + 1, fill > inner - pw ? inner - pw : fill, role, "|");
	term_put(y, x + 1 + inner - pw, ROLE_VALUE, pct, pw);
	term_put(y, x + w - 1, ROLE_LABEL, "]", 1);
}

static void draw_sched_line(const struct app *a, int y, int cols)
{
	const struct snapshot *s = a->m->cur;
	static const char *const blocks[] = {
		" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"
	};
	static const char ascii[] = " .:-=+*#@";
	int nn = 0, i, x = 0, w;
	char buf[32];

	for (i = 0; i < s->n_sched; i++)
		nn += s->sched[i].type == SCHED_NORMAL;
	x += term_put(y, x, ROLE_LABEL, "CPU", cols);
	w = nn ? (cols - 40) / nn : 0;
	if (w >= 9) {
		/* Room for a bar per scheduler. */
		if (w > 16)
			w = 16;
		for (i = 0; i < s->n_sched; i++) {
			if (s->sched[i].type != SCHED_NORMAL)
				continue;
			snprintf(buf, sizeof buf, "%u", s->sched[i].id);
			x += 1 + term_put(y, x + 1, ROLE_LABEL, buf, cols - x);
			util_bar(y, x, w - 3, a->m->util[i], ROLE_CPU);
			x += w - 3;
		}
	} else {
		/* Many schedulers: one column each, its height the load. */
		x++;
		for (i = 0; i < s->n_sched && x < cols - 36; i++) {
			double u = a->m->util[i];
			int level = u < 0 ? 0 : (int)(u * 8 + 0.5);

			if (s->sched[i].type != SCHED_NORMAL)
				continue;
			if (layout_utf8())
				term_put(y, x++, u > 0.8 ? ROLE_BAD : ROLE_CPU, blocks[level], 1);
			else
				term_put(y, x++, u > 0.8 ? ROLE_BAD : ROLE_CPU,
					 (char[2]){ ascii[level], 0 }, 1);
		}
		x++;
		x += term_put(y, x, ROLE_LABEL, "all", cols - x);
		util_bar(y, x, 10, a->m->util_type[SCHED_NORMAL], ROLE_CPU);
		x += 10;
	}
	if (x + 30 <= cols) {
		x += 1 + term_put(y, x + 1, ROLE_LABEL, "dcpu", cols - x);
		util_bar(y, x, 10, a->m->util_type[SCHED_DIRTY_CPU], ROLE_DIRTY);
		x += 10;
		x += 1 + term_put(y, x + 1, ROLE_LABEL, "dio", cols - x);
		util_bar(y, x, 10, a->m->util_type[SCHED_DIRTY_IO], ROLE_DIRTY);
	}
}

int view_header_rows(const struct app *a, int cols)
{
	(void)a, (void)cols;
	return 3;
}

static void draw_tabs(const struct app *a, int y, int cols)
{
	char buf[200];
	int i, x = 0;

	term_fill(y, 0, cols, ROLE_TAB, " ");
	for (i = 0; i < pane_count; i++) {
		int on = a->pane == i;

		snprintf(buf, sizeof buf, " %d %s ", i + 1, pane_table[i]->title);
		x += term_put(y, x, on ? ROLE_TAB_ON : ROLE_TAB, buf, cols - x);
	}
	if (a->pane == PANE_PROC) {
		const struct drill_target *t = pane_proc_target(a->ps[PANE_PROC]);
		char id[160];

		switch (t->kind) {
		case DRILL_ETS:
			snprintf(id, sizeof id, "ets %s", fmt_alias(t->tabname));
			break;
		case DRILL_PORT:
			fmt_port(id, sizeof id, &t->port);
			break;
		case DRILL_BINLEAK:
			snprintf(id, sizeof id, "bin_leak");
			break;
		default:
			/* The drill-down's own pid: a name given with --pid has
			 * one only once the node has told it. */
			if (a->f.want_name[0])
				snprintf(id, sizeof id, "%.150s", a->f.want_name);
			else
				fmt_pid(id, sizeof id, &a->f.drill->pid);
			break;
		}
		snprintf(buf, sizeof buf, " %s ", id);
		term_put(y, x, ROLE_TAB_ON, buf, cols - x);
	}
}

static void draw_status(struct app *a, int y, int cols)
{
	const struct pane *pn = pane_table[a->pane];
	const struct list_state *ls = pn->list ? pn->list(a->ps[a->pane]) : NULL;
	char buf[300];
	int i, x = 0;

	term_fill(y, 0, cols, ROLE_NORMAL, " ");
	if (a->confirming) {
		term_fill(y, 0, cols, ROLE_PAUSED, " ");
		term_put(y, 0, ROLE_PAUSED, a->confirm_text, cols);
		return;
	}
	if (a->filtering && ls) {
		snprintf(buf, sizeof buf, "Filter: %s", ls->filter);
		x = term_put(y, 0, ROLE_INPUT, buf, cols);
		term_put(y, x, ROLE_INPUT, " ", 1);
		term_put(y, x + 2, ROLE_DIM, "Enter: keep  Esc: clear", cols - x - 2);
		return;
	}
	if (a->note[0] && clock_ms() < a->note_until) {
		term_put(y, 0, ROLE_WARN, a->note, cols);
		return;
	}
	if (a->f.st.link == LINK_DOWN || a->f.st.message[0]) {
		/* The reason the data is old, where it cannot be missed. */
		snprintf(buf, sizeof buf, "%s", a->f.st.message);
		if (a->f.st.link == LINK_DOWN) {
			term_put(y, 0, ROLE_BAD, buf, cols);
			return;
		}
	}
	for (i = 0; i < input_nbindings && x < cols; i++) {
		const struct binding *b = &input_bindings[i];
		char key[16];

		if (!b->short_help || !(b->where & pane_where(a, pn)))
			continue;
		snprintf(key, sizeof key, "%.*s", (int)strcspn(b->label, " "), b->label);
		x += term_put(y, x, ROLE_KEY, key, cols - x);
		x += term_put(y, x, ROLE_KEYTEXT, b->short_help, cols - x);
		x++;
	}
	if (ls && ls->filter[0] && x < cols) {
		snprintf(buf, sizeof buf, " filter: %s", ls->filter);
		x += term_put(y, x, ROLE_INPUT, buf, cols - x);
	}
	if (a->f.st.message[0] && x + 2 < cols)
		term_put(y, x + 1, ROLE_WARN, a->f.st.message, cols - x - 1);
}

/* "(processes, ETS)" for a binding that works only in some panes. */
static void where_text(unsigned where, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	if (where == IN_ALL)
		return;
	for (i = 0; i < PANE_PROC + 1; i++) {
		if (!(where & pane_table[i]->where))
			continue;
		len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s",
					len ? ", " : "  (", pane_table[i]->id);
	}
	if (len && len < n)
		snprintf(buf + len, n - len, ")");
}

static void draw_help(const struct app *a, int rows, int cols)
{
	int i, y = 0, line = 0, total = 0;
	char buf[300], where[120];

	for (i = 0; i < input_nbindings; i++)
		total += input_bindings[i].help != NULL;
	term_put(y++, 0, ROLE_TITLE, total - a->help_top > rows - 3 ?
		 "beamtop keys (Down: more; any other key leaves)" :
		 "beamtop keys (any key to leave)", cols);
	y++;
	for (i = 0; i < input_nbindings; i++) {
		const struct binding *b = &input_bindings[i];

		if (!b->help)
			continue;
		if (line++ < a->help_top)
			continue;
		if (y >= rows - 1)
			break;
		term_put(y, 1, ROLE_KEY, b->label, 12);
		where_text(b->where, where, sizeof where);
		snprintf(buf, sizeof buf, "%s%s", b->help, where);
		term_put(y++, 14, ROLE_NORMAL, buf, cols - 14);
	}
	term_put(rows - 1, 0, ROLE_DIM, "Colours off with --no-color or NO_COLOR.  "
		 "Batch mode: beamtop -b (see the man page).", cols);
}

void view_draw(struct app *a)
{
	int rows = term_rows(), cols = term_cols(), top;
	const struct pane *pn = pane_table[a->pane];

	term_begin();
	if (cols < VIEW_MIN_COLS || rows < VIEW_MIN_ROWS) {
		char buf[96];

		layout_too_small(buf, sizeof buf, cols, rows, VIEW_MIN_COLS,
				 VIEW_MIN_ROWS);
		term_put(rows / 2 > 0 ? rows / 2 - 1 : 0, 0, ROLE_WARN, buf, cols);
		term_put(rows / 2, 0, ROLE_DIM, "q quits", cols);
		term_end();
		return;
	}
	if (a->help) {
		draw_help(a, rows, cols);
		term_end();
		return;
	}
	if (!a->m->cur) {
		term_put(0, 0, ROLE_TITLE, "beamtop ", cols);
		term_put(0, 8, ROLE_VALUE, a->node, cols - 8);
		term_put(2, 0, ROLE_DIM, "waiting for the first refresh...", cols);
		draw_status(a, rows - 1, cols);
		term_end();
		return;
	}
	draw_title(a, 0, cols);
	draw_memory_line(a, 1, cols);
	draw_sched_line(a, 2, cols);
	top = view_header_rows(a, cols);
	draw_tabs(a, top, cols);
	pn->draw(a, a->ps[a->pane], top + 1, rows - top - 2, cols);
	draw_status(a, rows - 1, cols);
	term_end();
}
