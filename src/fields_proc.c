/*
 * fields_proc.c - the processes' field table: every column of the
 * processes pane, of batch text and of the JSON "top" rows, and every
 * --sort key, each one row here.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/json.h"
#include "beamtop/term.h"

#define M(v) ((const struct model *)(v))
#define P(v, i) (&M(v)->cur->procs[i])

static const char *pstr(const struct model *m, uint32_t h)
{
	return strpool_get(&m->cur->pool, h);
}

/* A row has a rate when it was there at the start of the span and was
 * read now (a stale row is carried from the last full scan). */
static int rate_known(const struct model *m, size_t i)
{
	return m->has_prev && !m->pd[i].is_new && m->wdt > 0 &&
	       !(m->cur->procs[i].have & PF_STALE);
}

static void c_pid(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	fmt_pid(buf, n, &P(m, i)->pid);
}

/* What names a process: its registered name, else its label, else its
 * initial call (proc_lib's real one where known). */
static const char *shown_name(const struct model *m, size_t i)
{
	const struct proc *p = &m->cur->procs[i];

	return pstr(m, !p->registered && p->label ? p->label : p->name);
}

static void c_name(const void *m, size_t i, char *buf, size_t n, int *role)
{
	if (M(m)->pd[i].is_new && M(m)->has_prev)
		*role = ROLE_NEW;
	else if (P(m, i)->registered)
		*role = ROLE_VALUE;
	snprintf(buf, n, "%s", shown_name(M(m), i));
}

static void c_memory(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	fmt_bytes(buf, n, (double)P(m, i)->memory);
}

static void rate(const void *m, size_t i, double v, enum rate_kind kind,
		 char *buf, size_t n, int *role)
{
	int stale = P(m, i)->have & PF_STALE;

	field_rate_text(M(m), M(m)->pd[i].is_new || M(m)->wdt <= 0, stale, v, kind,
			buf, n, role);
	/* Read now after a gap: an average since its last read, marked. */
	if (M(m)->pd[i].span > 1 && !stale && !M(m)->pd[i].is_new && n > 1 &&
	    buf[0] >= '0' && buf[0] <= '9') {
		size_t len = strlen(buf);

		if (len + 2 > n)
			len = n - 2;
		memmove(buf + 1, buf, len);
		buf[len + 1] = '\0';
		buf[0] = '~';
		*role = ROLE_DIM;
	}
}

static void c_reds_rate(const void *m, size_t i, char *buf, size_t n, int *role)
{
	rate(m, i, M(m)->pd[i].reds_rate, RATE_COUNT, buf, n, role);
}

static void c_mem_rate(const void *m, size_t i, char *buf, size_t n, int *role)
{
	rate(m, i, M(m)->pd[i].mem_rate, RATE_GROWTH, buf, n, role);
}

static void c_mq_rate(const void *m, size_t i, char *buf, size_t n, int *role)
{
	rate(m, i, M(m)->pd[i].mq_rate, RATE_COUNT, buf, n, role);
}

static void c_mq(const void *m, size_t i, char *buf, size_t n, int *role)
{
	/* The playbooks' red flag: a queue over a thousand. */
	if (P(m, i)->mq > 1000)
		*role = ROLE_BAD;
	fmt_count(buf, n, P(m, i)->mq);
}

static void c_cf(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	snprintf(buf, n, "%s", pstr(M(m), P(m, i)->cf));
}

static void c_reds(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	fmt_count(buf, n, (double)P(m, i)->reductions);
}

/* Heap and binary are read only while a sort or a column needs them. */
static void c_heap(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	if (P(m, i)->have & PF_HEAP)
		fmt_bytes(buf, n, (double)snapshot_extra(M(m)->cur, i).heap);
	else
		snprintf(buf, n, "-");
}

static void c_bin(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	if (P(m, i)->have & PF_BIN)
		fmt_bytes(buf, n, (double)snapshot_extra(M(m)->cur, i).bin);
	else
		snprintf(buf, n, "-");
}

static void j_pid(struct json *j, const struct model *m, size_t i, const char *k)
{
	char buf[32];

	json_str(j, k, fmt_pid(buf, sizeof buf, &m->cur->procs[i].pid));
}

static void j_name(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_str(j, k, shown_name(m, i));
}

/* null when the process has none. */
static void j_label(struct json *j, const struct model *m, size_t i, const char *k)
{
	const struct proc *p = &m->cur->procs[i];

	if (p->label)
		json_str(j, k, pstr(m, p->label));
	else
		json_null(j, k);
}

/* The initial call (proc_lib's real one where known); null for a
 * registered process, whose name the scan read instead. */
static void j_initial(struct json *j, const struct model *m, size_t i,
		      const char *k)
{
	const struct proc *p = &m->cur->procs[i];

	if (p->registered || !(p->have & PF_NAME))
		json_null(j, k);
	else
		json_str(j, k, pstr(m, p->name));
}

static void j_registered(struct json *j, const struct model *m, size_t i,
			 const char *k)
{
	json_bool(j, k, m->cur->procs[i].registered);
}

static void j_memory(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->procs[i].memory);
}

static void j_reds(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->procs[i].reductions);
}

static void j_mq(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->procs[i].mq);
}

static void j_cf(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_str(j, k, pstr(m, m->cur->procs[i].cf));
}

static void j_reds_rate(struct json *j, const struct model *m, size_t i,
			const char *k)
{
	field_json_rate(j, k, m->pd[i].reds_rate, rate_known(m, i));
}

static void j_mem_rate(struct json *j, const struct model *m, size_t i,
		       const char *k)
{
	field_json_rate(j, k, m->pd[i].mem_rate, rate_known(m, i));
}

static void j_mq_rate(struct json *j, const struct model *m, size_t i,
		      const char *k)
{
	field_json_rate(j, k, m->pd[i].mq_rate, rate_known(m, i));
}

/* Absent, not null, when not read: the key says it was not asked. */
static void j_heap(struct json *j, const struct model *m, size_t i, const char *k)
{
	if (m->cur->procs[i].have & PF_HEAP)
		json_u64(j, k, snapshot_extra(m->cur, i).heap);
}

static void j_bin(struct json *j, const struct model *m, size_t i, const char *k)
{
	if (m->cur->procs[i].have & PF_BIN)
		json_u64(j, k, snapshot_extra(m->cur, i).bin);
}

/* Over how many seconds the row's rates were measured; null without. */
static void j_rate_seconds(struct json *j, const struct model *m, size_t i,
			   const char *k)
{
	const struct proc_delta *d = &m->pd[i];

	if (!rate_known(m, i) || !d->span)
		json_null(j, k);
	else
		json_num(j, k, d->span > 1 ? m->long_dt : m->wdt);
}

static void j_new(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_bool(j, k, m->has_prev && m->pd[i].is_new);
}

static void j_stale(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_bool(j, k, m->cur->procs[i].have & PF_STALE);
}

/* In the order of the JSON rows; the default columns are those shown,
 * left to right.  A pid is never cut but to fit a narrow screen, and
 * then in the middle. */
static const struct field procs[] = {
	{ .name = "pid", .key = "pid", .title = "PID", .minw = 9, .maxw = 15,
	  .left = 1, .middle = 1, .text = TEXT_COL, .sort = -1, .shown = 1,
	  .cell = c_pid, .json = j_pid },
	{ .name = "name", .key = "name", .title = "NAME", .minw = 12, .maxw = 40,
	  .flex = 1, .left = 1, .text = TEXT_COL, .sort = -1, .shown = 1,
	  .cell = c_name, .json = j_name },
	{ .key = "registered", .sort = -1, .json = j_registered },
	{ .key = "label", .sort = -1, .json = j_label },
	{ .key = "initial_call", .sort = -1, .json = j_initial },
	{ .name = "memory", .key = "memory", .alias = { "mem", "m" },
	  .title = "MEMORY", .minw = 9, .text = TEXT_COL, .sort = SORT_MEMORY,
	  .shown = 1, .cell = c_memory, .json = j_memory },
	{ .name = "reds_rate", .key = "reductions_per_sec",
	  .alias = { "reds", "cpu", "r" }, .title = "REDS/s", .minw = 7,
	  .text = TEXT_COL, .sort = SORT_REDS_RATE, .shown = 1,
	  .cell = c_reds_rate, .json = j_reds_rate },
	{ .name = "mq", .key = "message_queue_len", .alias = { "queue", "q" },
	  .title = "MSGQ", .minw = 6, .text = TEXT_COL, .sort = SORT_MQ,
	  .shown = 1, .cell = c_mq, .json = j_mq },
	{ .name = "current_function", .key = "current_function",
	  .title = "CURRENT FUNCTION", .minw = 16, .maxw = 48, .flex = 1,
	  .left = 1, .text = TEXT_LAST, .sort = -1, .shown = 1, .cell = c_cf,
	  .json = j_cf },
	{ .name = "reductions", .key = "reductions", .alias = { "reds_total" },
	  .title = "REDUCTIONS", .minw = 10, .text = TEXT_COL, .sort = SORT_REDS,
	  .shown = 1, .cell = c_reds, .json = j_reds },
	{ .name = "heap", .key = "heap", .alias = { "total_heap_size", "heap_size" },
	  .title = "HEAP", .minw = 9, .sort = SORT_HEAP, .needs = PF_HEAP,
	  .shown = 1, .cell = c_heap, .json = j_heap },
	{ .name = "memory_rate", .key = "memory_per_sec",
	  .alias = { "memory_growth", "growth" }, .title = "MEM/s", .minw = 9,
	  .sort = SORT_MEM_RATE, .shown = 1, .cell = c_mem_rate,
	  .json = j_mem_rate },
	{ .name = "binary", .key = "binary", .alias = { "bin" }, .title = "BINARY",
	  .minw = 9, .sort = SORT_BIN, .needs = PF_BIN, .cell = c_bin,
	  .json = j_bin },
	{ .name = "mq_rate", .key = "message_queue_per_sec",
	  .alias = { "mq_growth" }, .title = "MSGQ/s", .minw = 7,
	  .sort = SORT_MQ_RATE, .cell = c_mq_rate, .json = j_mq_rate },
	{ .key = "rate_seconds", .sort = -1, .json = j_rate_seconds },
	{ .key = "new", .sort = -1, .json = j_new },
	{ .key = "stale", .sort = -1, .json = j_stale },
};

const struct field_list fields_proc = {
	procs, (int)(sizeof procs / sizeof procs[0]), "column"
};

const char *proc_sort_name(enum proc_sort s)
{
	return field_sort_name(&fields_proc, (int)s);
}

int proc_sort_parse(const char *name)
{
	return field_sort_parse(&fields_proc, name);
}

unsigned proc_sort_needs(enum proc_sort s)
{
	const struct field *f = field_of_sort(&fields_proc, (int)s);

	return f ? f->needs : 0;
}
