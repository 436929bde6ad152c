/*
 * collect_call.c - the collector's calls in flight: sending one (a call of
 * the refresh, a side call of the owner's, an action), remembering what
 * to do with its answer, and handing each event that arrives to whoever
 * waits for it, with a failure ({badrpc, _}, a timeout, an embedded query
 * that failed on the node) said in words.  Also the encoders of the args
 * that several parts use.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/clock.h"
#include "collect_priv.h"

static int find_inflight(const struct collector *col, long id)
{
	int i;

	for (i = 0; i < col->nq; i++)
		if (col->q[i].id == id)
			return i;
	return -1;
}

int col_unwrapped(const struct collector *col)
{
	int i, n = 0;

	for (i = 0; i < col->nq; i++)
		if (!col->q[i].query || col->q[i].query->bare)
			n++;
	return n;
}

void col_forget(struct collector *col, const struct conn_event *ev)
{
	int i;

	if (ev->kind != CONN_EV_REPLY && ev->kind != CONN_EV_TIMEOUT)
		return;
	i = find_inflight(col, (long)ev->id);
	if (i >= 0)
		col->q[i] = col->q[--col->nq];
}

void col_use_relay(struct collector *col)
{
	const struct query_def *q = query_def(QUERY_RELAY);
	struct conn_relay rl;
	char why[200];
	int i;

	if (!q || q->nbinds != 5 || !col_probe_query_ok(col, q, why, sizeof why))
		return;
	rl.form = q->bytes;
	rl.len = q->len;
	for (i = 0; i < 5; i++)
		rl.atoms[i] = q->bind_atoms[i];
	conn_set_relay(col->conn, &rl);
}

/* Sends the call and remembers what to do with its answer.  Returns 0,
 * -1 (connection lost) or CONN_REFUSED (read-only), col->err filled. */
int col_issue_q(struct collector *col, const char *mod, const char *fun,
		const struct tenc *args, unsigned tmo, const struct inflight *q)
{
	struct conn_req r = { mod, fun, args, tmo, q->mutating, q->what,
			      q->tagged ? &q->tag : NULL };
	long id;

	/* An expression reaches erl_eval only with its query's row, which
	 * flags it for the read-only gate: never as a plain call that could
	 * carry a mutating query unflagged. */
	if (strcmp(mod, "erl_eval") == 0 && (!q->query ||
	    q->mutating != q->query->mutating)) {
		snprintf(col->err, sizeof col->err, "erl_eval without a query's row");
		return CONN_REFUSED;
	}
	if (col->nq >= COL_INFLIGHT_MAX) {
		snprintf(col->err, sizeof col->err, "too many queries in flight");
		return -1;
	}
	id = conn_call(col->conn, &r, col->err, sizeof col->err);
	if (id < 0)
		return (int)id;
	col->q[col->nq] = *q;
	col->q[col->nq].id = id;
	col->q[col->nq].sent_ms = clock_ms();
	col->nq++;
	return 0;
}

/* A query's cost, counted towards the proofs' window only when it was
 * sent after the last candidates' answer came (its work on the node then
 * began after that read ended; see model_candidates.c). */
static void col_cost(struct collector *col, const struct inflight *q,
		     uint64_t cost)
{
	if (cost)
		conn_log(col->conn, "  cost %s %llu", q->what ? q->what : "-",
			 (unsigned long long)cost);
	if (col->cand_back_ms && q->sent_ms > col->cand_back_ms)
		col->own_cost += cost;
}

int col_issue(struct collector *col, const char *mod, const char *fun,
	      const struct tenc *args, reply_fn fn, long arg, const char *what)
{
	return col_issue_tmo(col, mod, fun, args, fn, arg, what, 0);
}

int col_issue_tmo(struct collector *col, const char *mod, const char *fun,
		  const struct tenc *args, reply_fn fn, long arg,
		  const char *what, unsigned tmo)
{
	struct inflight q = { .fn = fn, .arg = arg, .what = what };

	return col_issue_q(col, mod, fun, args, tmo, &q) < 0 ? -1 : 0;
}

int collect_side(struct collector *col, const char *mod, const char *fun,
		 const struct tenc *args, unsigned timeout_ms, side_fn fn,
		 void *ctx)
{
	struct inflight q = { .what = "side call", .sfn = fn, .sctx = ctx };

	return col_issue_q(col, mod, fun, args, timeout_ms, &q);
}

int collect_action(struct collector *col, const char *mod, const char *fun,
		   const struct tenc *args, unsigned timeout_ms, side_fn fn,
		   void *ctx)
{
	struct inflight q = { .what = fun, .sfn = fn, .sctx = ctx, .mutating = 1 };

	return col_issue_q(col, mod, fun, args, timeout_ms, &q);
}

struct tenc *collect_encoder(struct collector *col)
{
	return col->side_enc;
}

void col_args_map(struct tenc *t, const char *mod, const char *fun,
		  const char *list, int len)
{
	tenc_reset(t);
	tenc_list(t, 2);
	tenc_fun(t, mod, fun, 1);
	tenc_raw(t, list, len);
	tenc_nil(t);
}

void col_args_zip(struct tenc *t, const char *mod, const char *fun,
		  const char *list, int len, int n, const char *item)
{
	int i;

	tenc_reset(t);
	tenc_list(t, 3);
	tenc_fun(t, mod, fun, 2);
	tenc_raw(t, list, len);
	tenc_list(t, n);
	for (i = 0; i < n; i++)
		tenc_atom(t, item);
	tenc_nil(t);
	tenc_nil(t);
}

int col_raw_term(struct tdec *d, const char **bytes, int *len)
{
	int start = d->idx;

	if (tdec_skip(d) < 0)
		return -1;
	*bytes = d->buf + start;
	*len = d->idx - start;
	return 0;
}

/* Is the reply {badrpc, _}? */
static int is_badrpc(struct tdec *r)
{
	struct tdec d = *r;
	int arity;

	return tdec_tuple(&d, &arity) == 0 && arity == 2 &&
	       tdec_atom_is(&d, "badrpc");
}

/* "memory failed (system_limit: ...)": the reason of {badrpc, Reason},
 * briefly. */
static void badrpc_note(char *note, size_t n, const char *what,
			const struct tdec *reply)
{
	struct tdec d = *reply;
	char why[64];
	int arity;

	why[0] = '\0';
	if (tdec_tuple(&d, &arity) == 0 && tdec_skip(&d) == 0)
		tdec_print(&d, why, sizeof why);
	/* rex could not spawn the call's process: the process limit. */
	if (strstr(why, "system_limit"))
		snprintf(note, n, "%s failed (system_limit)", what);
	else
		snprintf(note, n, "%s failed%s%.40s%s", what, why[0] ? " (" : "",
			 why, why[0] ? ")" : "");
}

/* A side call's answer, or why it has none, to its handler. */
static void answer_side(struct collector *col, const struct inflight *q,
			struct conn_event *ev)
{
	if (ev->kind == CONN_EV_TIMEOUT) {
		q->sfn(q->sctx, NULL, "timed out");
	} else if (is_badrpc(&ev->term)) {
		struct tdec d = ev->term;
		int arity;

		/* {badrpc, Reason}: say what went wrong, briefly. */
		snprintf(col->why, sizeof col->why, "failed: ");
		if (tdec_tuple(&d, &arity) == 0 && tdec_skip(&d) == 0)
			tdec_print(&d, col->why + 8, sizeof col->why - 8);
		q->sfn(q->sctx, NULL, col->why);
	} else {
		q->sfn(q->sctx, &ev->term, NULL);
	}
}

int col_dispatch(struct collector *col, struct snapshot *s,
		    struct conn_event *ev)
{
	struct inflight q;
	char note[96];
	uint64_t cost = 0;
	int i, rc, u;

	if (ev->kind == CONN_EV_INFO) {
		if (!col_procs_on_info(col, s, ev) && !col_agent_on_chunk(col, s, ev))
			col_holder_on_info(col, ev);
		return 0;
	}
	if (ev->kind != CONN_EV_REPLY && ev->kind != CONN_EV_TIMEOUT)
		return 0;
	i = find_inflight(col, (long)ev->id);
	if (i < 0)
		return 0;
	q = col->q[i];
	col->q[i] = col->q[--col->nq];
	if (ev->kind == CONN_EV_REPLY && !is_badrpc(&ev->term) &&
	    (u = col_unwrap(col, &q, &ev->term, &cost, col->why, sizeof col->why)) != 1) {
		/* An embedded query that failed on the node: say how. */
		if (!q.fn) {
			q.sfn(q.sctx, NULL, col->why);
			return 0;
		}
		col->timed_out = u < 0;
		rc = q.fn(col, s, NULL, q.arg);
		col->timed_out = 0;
		if (rc == 0 && s)
			snapshot_note_error(s, col->why);
		return rc < 0 ? -1 : 0;
	}
	col_cost(col, &q, cost);
	if (!q.fn) {
		answer_side(col, &q, ev);
		return 0;
	}
	if (s && ev->kind == CONN_EV_REPLY)
		s->answers++;
	if (ev->kind == CONN_EV_REPLY && !is_badrpc(&ev->term))
		return q.fn(col, s, &ev->term, q.arg) < 0 ? -1 : 0;
	col->timed_out = ev->kind == CONN_EV_TIMEOUT;
	rc = q.fn(col, s, NULL, q.arg);
	col->timed_out = 0;
	if (rc == 0 && s) {
		if (ev->kind == CONN_EV_TIMEOUT)
			snprintf(note, sizeof note, "%s timed out", q.what);
		else
			badrpc_note(note, sizeof note, q.what, &ev->term);
		snapshot_note_error(s, note);
	}
	return rc < 0 ? -1 : 0;
}

static void on_sync(void *ctx, struct tdec *r, const char *why)
{
	struct col_sync *sc = ctx;

	sc->done = 1;
	sc->ok = r != NULL;
	if (!r) {
		snprintf(sc->text, sizeof sc->text, "%s", why);
		return;
	}
	sc->is_num = tdec_i64(r, &sc->num) == 0;
	if (!sc->is_num) {
		struct tdec a = *r;

		sc->is_atom = tdec_atom(&a, sc->text, sizeof sc->text) == 0;
		if (!sc->is_atom)
			tdec_print(r, sc->text, sizeof sc->text);
	}
}

int col_call_sync(struct collector *col, const char *mod, const char *fun,
		     const struct tenc *args, int mutating, struct col_sync *sc)
{
	int rc;

	memset(sc, 0, sizeof *sc);
	rc = mutating ? collect_action(col, mod, fun, args, 0, on_sync, sc) :
	     collect_side(col, mod, fun, args, 0, on_sync, sc);
	if (rc < 0)
		return rc;
	while (!sc->done)
		if (collect_idle(col, 100, col->err, sizeof col->err) < 0)
			return -1;
	return 0;
}

int collect_node_name(struct collector *col, char *out, size_t outlen)
{
	struct col_sync sc;

	if (col_call_sync(col, "erlang", "node", NULL, 0, &sc) < 0)
		return -1;
	if (!sc.ok || !sc.is_atom)
		return 1;
	snprintf(out, outlen, "%s", sc.text);
	return 0;
}
