/*
 * collect_eval.c - sending the embedded queries (query.h) and reading
 * their answers.
 *
 * A query is erl_eval:expr(Expr, Bindings, none, none, value) through rex.
 * The bindings are the caller's values and the wrapper's own: Heap (the
 * worker's heap limit), Mark (our cut marker: a reference of ours, which
 * nothing on the node can hold by chance), Tmo (the node-side deadline, a
 * little shorter than ours, so that the work there ends before we give up)
 * and Us (our pid, which the wrapper links to).  They are renamed as
 * qc.escript renamed the variables, and sorted, as erl_eval's orddict
 * needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/query.h"
#include "collect_priv.h"

#define MAX_VALS 12

static int cmp_qval(const void *a, const void *b)
{
	return strcmp(((const struct qval *)a)->name, ((const struct qval *)b)->name);
}

/* Us and Mark are ours, the rest the target's (or plain values). */
static void encode_val(struct collector *col, struct tenc *t,
		       const struct qval *v)
{
	const char *node = conn_target(col->conn);

	if (strcmp(v->name, "Us") == 0 && v->kind == QV_RAW && !v->p) {
		conn_encode_self(col->conn, t);
		return;
	}
	if (strcmp(v->name, "Mark") == 0 && v->kind == QV_RAW && !v->p) {
		conn_encode_ref(col->conn, &col->mark, t);
		return;
	}
	switch (v->kind) {
	case QV_INT:
		tenc_long(t, v->i);
		break;
	case QV_PID:
		tenc_pid(t, v->p, node);
		break;
	case QV_PORT:
		tenc_port(t, v->p, node);
		break;
	case QV_REF:
		tenc_ref(t, v->p, node, ((const struct bt_ref *)v->p)->creation);
		break;
	case QV_ATOM:
		tenc_atom(t, v->p);
		break;
	case QV_BINARY:
		tenc_binary(t, v->p, v->len);
		break;
	case QV_RAW:
		tenc_raw(t, v->p, v->len);
		break;
	}
}

/* The node's deadline for work that we give up on after ms. */
static long node_deadline(unsigned ms)
{
	return ms > 1000 ? (long)(ms - ms / 8) : (long)(ms * 3 / 4);
}

/* Encodes erl_eval:expr's arguments into col->eval_enc.  Returns 0, or -1
 * with why filled when vals do not match the query's variables (a bug). */
static int eval_args(struct collector *col, const struct query_def *q,
		     const struct qval *vals, int nvals, unsigned ms, char *why,
		     size_t whylen)
{
	struct qval all[MAX_VALS];
	struct tenc *t = col->eval_enc;
	int n = 0, i;

	if (nvals < 0 || nvals + 4 > MAX_VALS) {
		snprintf(why, whylen, "query %s: too many values", q->name);
		return -1;
	}
	if (nvals)
		memcpy(all, vals, (size_t)nvals * sizeof *all);
	n = nvals;
	if (!q->bare) {
		all[n++] = (struct qval){ "Heap", QV_INT, q->heap_words, NULL, 0 };
		all[n++] = (struct qval){ "Mark", QV_RAW, 0, NULL, 0 };
		all[n++] = (struct qval){ "Tmo", QV_INT, node_deadline(ms), NULL, 0 };
		all[n++] = (struct qval){ "Us", QV_RAW, 0, NULL, 0 };
	}
	qsort(all, (size_t)n, sizeof *all, cmp_qval);
	if (n != q->nbinds) {
		snprintf(why, whylen, "query %s binds %d variables, not %d", q->name,
			 q->nbinds, n);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (strcmp(all[i].name, q->bind_names[i]) != 0) {
			snprintf(why, whylen, "query %s has no variable %s", q->name,
				 all[i].name);
			return -1;
		}
	tenc_reset(t);
	tenc_list(t, 5);
	tenc_raw(t, (const char *)q->bytes, (int)q->len);
	if (n) {
		tenc_list(t, n);
		for (i = 0; i < n; i++) {
			tenc_tuple(t, 2);
			tenc_atom(t, q->bind_atoms[i]);
			encode_val(col, t, &all[i]);
		}
	}
	tenc_nil(t);
	tenc_atom(t, "none");
	tenc_atom(t, "none");
	tenc_atom(t, "value");
	tenc_nil(t);
	return tenc_ok(t) ? 0 : -1;
}

/* Finds the query and checks that it may go to this node. */
static const struct query_def *ready(const struct collector *col,
				     const char *name, char *why, size_t whylen)
{
	const struct query_def *q = query_find(name);

	if (!q) {
		snprintf(why, whylen, "no such query: %s", name);
		return NULL;
	}
	if (!probe_query_ok(col, q, why, whylen))
		return NULL;
	return q;
}

int collect_query(struct collector *col, const char *name,
		  const struct qval *vals, int nvals, unsigned timeout_ms,
		  side_fn fn, void *ctx)
{
	const struct query_def *q = query_find(name);
	unsigned ms = timeout_ms ? timeout_ms : conn_default_timeout(col->conn);
	struct inflight f = { 0, NULL, 0, name, fn, ctx, 0, NULL };

	/* Refused before anything else, as the connection would refuse it. */
	if (q && q->mutating && conn_read_only(col->conn)) {
		snprintf(col->err, sizeof col->err, "%s refused: beamtop is read-only",
			 name);
		return -2;
	}
	q = ready(col, name, col->why, sizeof col->why);
	if (!q || eval_args(col, q, vals, nvals, ms, col->why, sizeof col->why) < 0) {
		fn(ctx, NULL, col->why);
		return 0;
	}
	f.mutating = q->mutating;
	f.query = q;
	return col_issue_q(col, "erl_eval", "expr", col->eval_enc, timeout_ms, &f);
}

int col_query(struct collector *col, const char *name,
	      const struct qval *vals, int nvals, reply_fn fn, long arg,
	      const char *what)
{
	const struct query_def *q = ready(col, name, col->why, sizeof col->why);
	struct inflight f = { 0, fn, arg, what, NULL, NULL, 0, NULL };

	if (!q || eval_args(col, q, vals, nvals, conn_default_timeout(col->conn),
			    col->why, sizeof col->why) < 0)
		return -2;
	f.query = q;
	return col_issue_q(col, "erl_eval", "expr", col->eval_enc, 0, &f) < 0 ? -1 : 0;
}

/* The drill-down's summary items.  Some answers make an atom the first
 * time a node gives them (garbage_collection's minor_gcs): such an item
 * is asked only when that atom exists.  label likewise, though for
 * another reason: a node older than OTP 27 has the atom but refuses the
 * item; '$process_label' (proc_lib's) says that it knows it. */
static const struct { const char *item, *makes; } info_items[] = {
	{ "registered_name", NULL }, { "initial_call", NULL },
	{ "current_function", NULL }, { "current_stacktrace", NULL },
	{ "status", NULL }, { "memory", NULL }, { "heap_size", NULL },
	{ "stack_size", NULL }, { "total_heap_size", NULL },
	{ "message_queue_len", NULL }, { "reductions", NULL },
	{ "trap_exit", NULL }, { "priority", NULL }, { "group_leader", NULL },
	{ "garbage_collection", "minor_gcs" }, { "label", "$process_label" },
};
#define N_INFO_ITEMS (int)(sizeof info_items / sizeof info_items[0])

const char *col_proc_info_item(int i)
{
	if (i < N_INFO_ITEMS)
		return info_items[i].item;
	if (i < 2 * N_INFO_ITEMS)
		return info_items[i - N_INFO_ITEMS].makes;
	return NULL;
}

int collect_proc_info_items(struct collector *col, struct tenc *t)
{
	int i, n = 0;
	const char *ok[N_INFO_ITEMS];

	for (i = 0; i < N_INFO_ITEMS; i++)
		if (col_atom_ok(col, info_items[i].item) &&
		    (!info_items[i].makes || col_atom_ok(col, info_items[i].makes)))
			ok[n++] = info_items[i].item;
	tenc_reset(t);
	tenc_list(t, n);
	for (i = 0; i < n; i++)
		tenc_atom(t, ok[i]);
	tenc_nil(t);
	return n;
}

int collect_query_ok(const struct collector *col, const char *name,
		     char *why, size_t whylen)
{
	return ready(col, name, why, whylen) != NULL;
}

int col_unwrap(const struct collector *col, const struct inflight *f,
	       struct tdec *r, char *why, size_t whylen)
{
	struct tdec d = *r;
	struct bt_ref ref;
	int64_t kind = 0, v = 0;
	int arity;
	char text[160], b[32];

	if (!f->query || f->query->bare)
		return 1;
	if (tdec_tuple(&d, &arity) < 0 || (arity != 2 && arity != 3) ||
	    tdec_ref(&d, &ref) < 0 || !bt_ref_eq(&ref, &col->mark)) {
		snprintf(why, whylen, "%s: unexpected answer", f->what);
		return 0;
	}
	if (arity == 2) {
		*r = d;
		return 1;
	}
	if (tdec_i64(&d, &kind) < 0)
		kind = 0;
	switch (kind) {
	case 4:
		if (tdec_print(&d, text, sizeof text) < 0)
			snprintf(text, sizeof text, "?");
		snprintf(why, whylen, "%s failed on the node: %s", f->what, text);
		break;
	case 5:
		snprintf(why, whylen, "%s stopped on the node at its heap limit "
			 "(%s): the answer would be bigger than a query may copy",
			 f->what, fmt_bytes(b, sizeof b, (double)f->query->heap_words * 8));
		break;
	case 6:
		if (tdec_i64(&d, &v) < 0)
			v = 0;
		snprintf(why, whylen, "%s timed out on the node after %lld ms; "
			 "its work there was stopped", f->what, (long long)v);
		break;
	default:
		snprintf(why, whylen, "%s: unexpected answer", f->what);
	}
	return 0;
}
