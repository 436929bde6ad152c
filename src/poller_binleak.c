/*
 * poller_binleak.c - bin_leak's three steps on the connection thread, as
 * recon does them: measure every process's refc binaries, garbage-collect
 * every process (confirmed first, never when read-only), measure again,
 * and report the processes that released the most.  Each step is a row
 * of the drill-down's request table (poller_drill.c): these are their
 * answers.  They hold a row for every process, so they are decoded and
 * joined outside the lock, which is taken only to write what the screen
 * reads (the drill-down, the step).
 */
#include <stdio.h>
#include <stdlib.h>

#include "beamtop/format.h"
#include "beamtop/topn.h"
#include "poller_priv.h"

#define BINLEAK_SETTLE_MS 3000 /* the node's binary figure, after, settles */

#define BINLEAK_TOP 20

/* bin_leak: after both measurements, the top processes by bytes freed. */
struct bl_ctx {
	const struct bl_row *rows;
	const uint64_t *after;
};

static double bl_key(const void *vc, size_t i, int *skip)
{
	const struct bl_ctx *c = vc;
	uint64_t b = c->rows[i].bytes, a = c->after[i];

	*skip = a >= b;
	return (double)(b - (a < b ? a : b));
}

/* Ends the run, saying why it stopped. */
static int stop(struct poller *p, const char *what, const char *why)
{
	struct dsection *s = &p->drill->sec[SEC_INFO];

	poller_lock(p);
	p->bl_phase = BL_DONE;
	s->state = SEC_FAILED;
	snprintf(s->why, sizeof s->why, "bin_leak: %s%s%.150s", what,
		 why ? " " : "", why ? why : "");
	poller_unlock(p);
	return -1;
}

static void set_phase(struct poller *p, enum binleak_phase ph)
{
	poller_lock(p);
	p->bl_phase = ph;
	poller_unlock(p);
}

/* The lines of the report, once the second measurement is in after[]. */
static void report_lines(struct poller *p, const uint64_t *after, uint64_t mem)
{
	struct drill *d = p->drill;
	struct dsection *s = &d->sec[SEC_INFO];
	struct bl_ctx c = { p->bl_before, after };
	size_t top[BINLEAK_TOP], n, i;
	uint64_t total = 0;
	char b1[32], b2[32], b3[32], pid[32];

	/* Processes missing after the collection hold nothing now: all of
	 * theirs was freed (or they died). */
	n = topn_select(&c, p->bl_n, bl_key, BINLEAK_TOP, 0, top);
	for (i = 0; i < p->bl_n; i++)
		if (after[i] < p->bl_before[i].bytes)
			total += p->bl_before[i].bytes - after[i];
	/* Only the lines are written under the lock. */
	poller_lock(p);
	p->bl_phase = BL_DONE;
	drill_reset(d, DRILL_BINLEAK);
	s->state = SEC_OK;
	p->bl_mem_after = mem;
	drill_add(s, "node's binary memory: %s before, %s after (%s freed)",
		  fmt_bytes(b1, sizeof b1, (double)p->bl_mem_before),
		  fmt_bytes(b2, sizeof b2, (double)mem),
		  fmt_bytes(b3, sizeof b3, p->bl_mem_before > mem ?
			    (double)(p->bl_mem_before - mem) : 0.0))->heading = 1;
	drill_add(s, "processes released %s of references in all; the top "
		  "ones (Enter looks into one):",
		  fmt_bytes(b1, sizeof b1, (double)total))->heading = 1;
	for (i = 0; i < n; i++) {
		const struct bl_row *row = &p->bl_before[top[i]];
		struct dline *l = drill_add(s, "%-14s freed %10s   held %s in %llu binar%s",
			fmt_pid(pid, sizeof pid, &row->pid),
			fmt_bytes(b1, sizeof b1, (double)(row->bytes - after[top[i]])),
			fmt_bytes(b2, sizeof b2, (double)row->bytes),
			(unsigned long long)row->count, row->count == 1 ? "y" : "ies");

		if (l) {
			l->target = DT_PID;
			l->pid = row->pid;
		}
	}
	if (n == 0)
		drill_add(s, "no process released any binary");
	poller_unlock(p);
}

/* binleak_scan's second answer: what each process holds now, matched by
 * pid with the first.  Returns -1 on an unexpected answer. */
static int report(struct poller *p, struct tdec *r)
{
	struct keymap map;
	uint64_t *after = calloc(p->bl_n + 1, sizeof *after), mem;
	size_t i;
	int arity, len, k, rc = -1;

	keymap_init(&map);
	if (!after || keymap_reset(&map, p->bl_n) < 0 || tdec_tuple(r, &arity) < 0 ||
	    arity != 2 || tdec_u64(r, &mem) < 0 || tdec_list(r, &len) < 0)
		goto out;
	for (i = 0; i < p->bl_n; i++)
		keymap_put(&map, bt_pid_key(&p->bl_before[i].pid), i);
	for (k = 0; k < len; k++) {
		struct bt_pid pp;
		uint64_t bytes, count;
		long j;

		if (tdec_tuple(r, &arity) < 0 || arity != 3 || tdec_pid(r, &pp) < 0 ||
		    tdec_u64(r, &bytes) < 0 || tdec_u64(r, &count) < 0)
			break;
		j = keymap_get(&map, bt_pid_key(&pp));
		if (j >= 0)
			after[j] = bytes;
	}
	report_lines(p, after, mem);
	rc = 0;
out:
	free(after);
	keymap_free(&map);
	return rc;
}

/* binleak_scan's answer, the first time: keep it to compare. */
static int keep(struct poller *p, struct tdec *r)
{
	int arity, len, k;

	if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
	    tdec_u64(r, &p->bl_mem_before) < 0 || tdec_list(r, &len) < 0)
		return -1;
	free(p->bl_before);
	p->bl_before = calloc((size_t)len + 1, sizeof *p->bl_before);
	if (!p->bl_before)
		return -1;
	p->bl_n = 0;
	for (k = 0; k < len; k++) {
		struct bl_row *row = &p->bl_before[p->bl_n];
		int ar;

		if (tdec_tuple(r, &ar) < 0 || ar != 3 || tdec_pid(r, &row->pid) < 0 ||
		    tdec_u64(r, &row->bytes) < 0 || tdec_u64(r, &row->count) < 0)
			return -1;
		p->bl_n++;
	}
	return 0;
}

int binleak_measured(struct poller *p, unsigned serial, struct tdec *r,
		     const char *why)
{
	(void)serial;
	if (!r || keep(p, r) < 0)
		return stop(p, "measuring failed:", why ? why : "bad answer");
	set_phase(p, BL_GC);
	return DR_BL_GC;
}

int binleak_collected(struct poller *p, unsigned serial, struct tdec *r,
		      const char *why)
{
	(void)serial;
	if (!r)
		return stop(p, "garbage collection", why);
	set_phase(p, BL_AFTER);
	return DR_BL_AFTER;
}

int binleak_measured_again(struct poller *p, unsigned serial, struct tdec *r,
			   const char *why)
{
	(void)serial;
	if (!r)
		return stop(p, "measuring again", why);
	if (report(p, r) < 0)
		stop(p, "measuring again:", "unexpected answer");
	return -1;
}

/* bin_leak's node figure: read as it is before the collection, settled
 * after it (see binleak_scan.expr). */
void binleak_args_before(struct collector *col, const struct dr_view *v,
			struct qargs *a)
{
	(void)col;
	(void)v;
	qargs_add(a, qval_int("Settle", 0));
}

void binleak_args_after(struct collector *col, const struct dr_view *v,
		       struct qargs *a)
{
	(void)col;
	(void)v;
	qargs_add(a, qval_int("Settle", BINLEAK_SETTLE_MS));
}
