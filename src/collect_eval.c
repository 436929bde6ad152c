/*
 * collect_eval.c - sending the embedded queries (query.h) and reading
 * their answers.
 *
 * A query is erl_eval:expr(Expr, Bindings, none, none, value) through rex.
 * The bindings are the caller's values and the wrapper's own: Heap (the
 * worker's heap limit), Mark (our cut marker: a reference of ours, which
 * nothing on the node can hold by chance), Tmo (the node-side deadline, a
 * little shorter than ours, so that the work there ends before we give up)
 * and Us (our pid, which the wrapper links to).  They go in the order
 * the query's row lists them: renamed as qc.escript renamed the
 * variables, and sorted, as erl_eval's orddict needs.  What the caller
 * binds is checked against the row first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/query.h"
#include "collect_priv.h"

/* A caller's value: the target's pids, ports and tables, or plain
 * values. */
static void encode_val(struct collector *col, struct tenc *t,
		       const struct qval *v)
{
	const char *node = conn_target(col->conn);

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

/* The value of the declared variable `name`: the caller's, or one of the
 * wrapper's own (Heap, Mark, Tag, Tmo, Us; query_args_check() left no
 * other). */
static void encode_bind(struct collector *col, struct tenc *t,
			const struct query_def *q, const struct qargs *a,
			const char *name, unsigned ms, const struct bt_ref *tag)
{
	int i;

	for (i = 0; a && i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0) {
			encode_val(col, t, &a->v[i]);
			return;
		}
	if (strcmp(name, "Heap") == 0)
		tenc_long(t, q->heap_words);
	else if (strcmp(name, "Mark") == 0)
		conn_encode_ref(col->conn, &col->mark, t);
	else if (strcmp(name, "Tmo") == 0)
		tenc_long(t, node_deadline(ms));
	else if (strcmp(name, "Tag") == 0)
		conn_encode_ref(col->conn, tag, t);
	else
		conn_encode_self(col->conn, t);
}

/* Encodes erl_eval:expr's arguments into col->eval_enc, the bindings in
 * the query's declared order (sorted: erl_eval's orddict).  Returns 0, or
 * -1 with why filled when a does not match the query's variables (a bug). */
static int eval_args(struct collector *col, const struct query_def *q,
		     const struct qargs *a, unsigned ms, const struct bt_ref *tag,
		     char *why, size_t whylen)
{
	struct tenc *t = col->eval_enc;
	int i;

	if (query_args_check(q, a, why, whylen) < 0)
		return -1;
	tenc_reset(t);
	tenc_list(t, 5);
	tenc_raw(t, (const char *)q->bytes, (int)q->len);
	if (q->nbinds) {
		tenc_list(t, q->nbinds);
		for (i = 0; i < q->nbinds; i++) {
			tenc_tuple(t, 2);
			tenc_atom(t, q->bind_atoms[i]);
			encode_bind(col, t, q, a, q->bind_names[i], ms, tag);
		}
	}
	tenc_nil(t);
	tenc_atom(t, "none");
	tenc_atom(t, "none");
	tenc_atom(t, "value");
	tenc_nil(t);
	if (!tenc_ok(t)) {
		snprintf(why, whylen, "query %s: its values cannot be encoded",
			 q->name);
		return -1;
	}
	return 0;
}

int collect_query_allowed(const struct collector *col, enum query_id id)
{
	const struct query_def *q = query_def(id);

	return !(q && q->mutating && conn_read_only(col->conn));
}

/* The one way a query leaves: refused first when it would change a
 * read-only node (as the connection would refuse it, for it is flagged
 * from the query's own row), then not sent where the node lacks what it
 * needs.  Returns 0 (sent, or f's handler told why not: *told set), -1
 * (lost) or CONN_REFUSED (read-only). */
static int send_query(struct collector *col, enum query_id id,
		      const struct qargs *a, unsigned timeout_ms,
		      struct inflight *f, int *told)
{
	const struct query_def *q = query_def(id);
	unsigned ms = timeout_ms ? timeout_ms : conn_default_timeout(col->conn);

	*told = 0;
	if (!q) {
		snprintf(col->why, sizeof col->why, "no such query: %d", (int)id);
		*told = 1;
		return 0;
	}
	if (!f->what)
		f->what = q->name;
	if (!collect_query_allowed(col, id)) {
		snprintf(col->why, sizeof col->why, "%s refused: beamtop is read-only",
			 q->name);
		snprintf(col->err, sizeof col->err, "%s", col->why);
		return CONN_REFUSED;
	}
	/* A wrapped query answers with a send of its own, tagged with a
	 * reference made here (see qc.escript's wrapper). */
	f->tagged = !q->bare;
	if (f->tagged && conn_new_ref(col->conn, &f->tag) < 0) {
		snprintf(col->why, sizeof col->why, "cannot make a reference");
		*told = 1;
		return 0;
	}
	if (!col_probe_query_ok(col, q, col->why, sizeof col->why) ||
	    eval_args(col, q, a, ms, &f->tag, col->why, sizeof col->why) < 0) {
		*told = 1;
		return 0;
	}
	f->mutating = q->mutating;
	f->query = q;
	return col_issue_q(col, "erl_eval", "expr", col->eval_enc, timeout_ms, f);
}

int collect_query(struct collector *col, enum query_id id,
		  const struct qargs *a, unsigned timeout_ms, side_fn fn,
		  void *ctx)
{
	struct inflight f = { .sfn = fn, .sctx = ctx };
	int told, rc = send_query(col, id, a, timeout_ms, &f, &told);

	if (told)
		fn(ctx, NULL, col->why);
	return rc;
}

int col_query(struct collector *col, enum query_id id, const struct qargs *a,
	      reply_fn fn, long arg, const char *what)
{
	struct inflight f = { .fn = fn, .arg = arg, .what = what };
	int told, rc = send_query(col, id, a, 0, &f, &told);

	return told || rc == CONN_REFUSED ? COL_NOT_SENT : rc;
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

int col_unwrap(const struct collector *col, const struct inflight *f,
	       struct tdec *r, uint64_t *cost, char *why, size_t whylen)
{
	struct tdec d = *r;
	struct bt_ref ref;
	int64_t kind = 0, v = 0;
	int arity;
	char text[160], b[32];

	*cost = 0;
	if (!f->query || f->query->bare)
		return 1;
	if (tdec_tuple(&d, &arity) < 0 || (arity != 4 && arity != 3) ||
	    tdec_ref(&d, &ref) < 0 || !bt_ref_eq(&ref, &col->mark)) {
		snprintf(why, whylen, "%s: unexpected answer", f->what);
		return 0;
	}
	if (tdec_i64(&d, &kind) < 0)
		kind = -1;
	if (arity == 4 && kind == 0) {
		/* {Mark, 0, Value, Cost}: the value, then what it cost. */
		struct tdec after = d;

		if (tdec_skip(&after) == 0 && tdec_u64(&after, cost) < 0)
			*cost = 0;
		*r = d;
		return 1;
	}
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
		return -1;
	default:
		snprintf(why, whylen, "%s: unexpected answer", f->what);
	}
	return 0;
}
