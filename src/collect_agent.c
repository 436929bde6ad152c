/*
 * collect_agent.c - the opt-in agent (src/agent/beamtop_agent.erl, built
 * with the installed erlc and embedded), and names for the rows shown.
 *
 * With --agent, full scans are streamed by the agent as numbers only
 * (pid, memory, reductions, queue); names and current functions are then
 * asked for the rows on screen only, with beamtop_agent:names/1 or, with
 * no agent, the proc_names query.  Loading is a change to the node: it is
 * refused in read-only mode, done once (a loaded agent of the same version
 * is used as it is), and beamtop never purges it, as purging scans every
 * process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "collect_priv.h"

#define AGENT_VERSION 1

extern const unsigned char agent_beam[];
extern const size_t agent_beam_len;

/* A call made and waited for (only where a wait is fine: setting up). */
struct sync_call {
	int done;
	int ok;
	char text[200];     /* the answer printed, or why it failed */
	int64_t num;        /* the answer, when it is an integer */
	int is_num;
};

static void on_sync(void *ctx, struct tdec *r, const char *why)
{
	struct sync_call *sc = ctx;

	sc->done = 1;
	sc->ok = r != NULL;
	if (!r) {
		snprintf(sc->text, sizeof sc->text, "%s", why);
		return;
	}
	sc->is_num = tdec_i64(r, &sc->num) == 0;
	if (!sc->is_num)
		tdec_print(r, sc->text, sizeof sc->text);
}

/* Sends a call and waits for its answer.  Returns 0 (sc filled), -1 when
 * the connection was lost, CONN_REFUSED when refused (read-only). */
static int call_sync(struct collector *col, const char *mod, const char *fun,
		     const struct tenc *args, int mutating, struct sync_call *sc)
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

int collect_agent_setup(struct collector *col, char *err, size_t errlen)
{
	struct tenc *t = collect_encoder(col);
	struct sync_call sc;
	int rc, node_otp;

	if (call_sync(col, "beamtop_agent", "version", NULL, 0, &sc) < 0)
		goto lost;
	if (sc.ok && sc.is_num && sc.num == AGENT_VERSION) {
		col->backend = 2; /* already there: used as it is */
		return 0;
	}
	tenc_reset(t);
	tenc_list(t, 1);
	tenc_atom(t, "otp_release");
	tenc_nil(t);
	if (call_sync(col, "erlang", "system_info", t, 0, &sc) < 0)
		goto lost;
	/* The agent is a .beam of the OTP beamtop was built with: older
	 * nodes cannot load it. */
	/* The release comes as a string ("25"): named as a number. */
	node_otp = sc.ok ? atoi(sc.text + (sc.text[0] == '"')) : 0;
	if (sc.ok && node_otp < atoi(BEAMTOP_OTP_RELEASE)) {
		snprintf(err, errlen, "--agent: the agent was built with OTP %s and "
			 "the node runs OTP %d, which cannot load it: run without "
			 "--agent", BEAMTOP_OTP_RELEASE, node_otp);
		return -1;
	}
	tenc_reset(t);
	tenc_list(t, 3);
	tenc_atom(t, "beamtop_agent");
	tenc_string(t, "beamtop_agent.beam");
	tenc_binary(t, agent_beam, (int)agent_beam_len);
	tenc_nil(t);
	rc = call_sync(col, "code", "load_binary", t, 1, &sc);
	if (rc == CONN_REFUSED) {
		snprintf(err, errlen, "--agent loads code into the node, which "
			 "--read-only forbids");
		return -1;
	}
	if (rc < 0)
		goto lost;
	if (!sc.ok || strncmp(sc.text, "{module,beamtop_agent}", 22) != 0) {
		snprintf(err, errlen, "--agent: the node did not load the agent (%s): "
			 "run without --agent", sc.text);
		return -1;
	}
	col->backend = 2;
	return 0;
lost:
	snprintf(err, errlen, "%s", col->err);
	return -1;
}

/* {Pid, Memory, Reductions, QueueLen [, Heap | BinBytes ...]} rows. */
static int decode_agent_chunk(struct collector *col, struct tdec *d,
			      struct snapshot *s)
{
	int n, i, k, arity;

	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct proc tmp, *p;
		uint64_t mq, heap = 0, bin = 0;

		memset(&tmp, 0, sizeof tmp);
		if (tdec_tuple(d, &arity) < 0 || arity < 4 ||
		    tdec_pid(d, &tmp.pid) < 0 || tdec_u64(d, &tmp.memory) < 0 ||
		    tdec_u64(d, &tmp.reductions) < 0 || tdec_u64(d, &mq) < 0)
			return -1;
		tmp.mq = mq > UINT32_MAX ? UINT32_MAX : (uint32_t)mq;
		tmp.have = PF_MEMORY | PF_REDS | PF_MQ;
		for (k = 4; k < arity; k++) {
			uint64_t v;

			if (tdec_u64(d, &v) < 0)
				return -1;
			if ((col->o.extra & PF_HEAP) && !(tmp.have & PF_HEAP)) {
				heap = v;
				tmp.have |= PF_HEAP;
			} else {
				bin = v;
				tmp.have |= PF_BIN;
			}
		}
		p = snapshot_add_proc(s);
		if (!p)
			return -1;
		*p = tmp;
		if ((tmp.have & (PF_HEAP | PF_BIN)) &&
		    snapshot_set_extra(s, s->n_procs - 1, heap, bin) < 0)
			return -1;
	}
	return tdec_list_end(d, n);
}

int col_agent_on_chunk(struct collector *col, struct snapshot *s,
		       const struct conn_event *ev)
{
	struct tdec d = ev->term;
	int arity;

	if (tdec_tuple(&d, &arity) < 0 || arity != 3 ||
	    !tdec_atom_is(&d, "beamtop_agent"))
		return 0;
	if (!col->stream_open || ev->to.num != col->mailbox.num ||
	    ev->to.serial != col->mailbox.serial)
		return 1; /* a chunk of an older stream */
	if (tdec_skip(&d) < 0 || decode_agent_chunk(col, &d, s) < 0) {
		s->procs_ok = -1;
		snapshot_note_error(s, "unreadable agent chunk");
	}
	return 1;
}

static int on_agent_done(struct collector *col, struct snapshot *s,
			 struct tdec *r, long arg)
{
	(void)arg;
	col->stream_open = 0;
	if (!r) {
		s->procs_ok = -1;
		return 0;
	}
	if (s->procs_ok != -1)
		s->procs_ok = 1;
	return 0;
}

int col_agent_start(struct collector *col, struct snapshot *s)
{
	struct tenc *t = col->enc;

	(void)s;
	if (conn_new_mailbox(col->conn, &col->mailbox) < 0) {
		snprintf(col->err, sizeof col->err, "cannot make a mailbox pid");
		return -1;
	}
	tenc_reset(t);
	tenc_list(t, 3);
	conn_encode_mailbox(col->conn, &col->mailbox, t);
	tenc_long(t, 5000);
	tenc_list(t, !!(col->o.extra & PF_HEAP) + !!(col->o.extra & PF_BIN));
	if (col->o.extra & PF_HEAP)
		tenc_atom(t, "total_heap_size");
	if (col->o.extra & PF_BIN)
		tenc_atom(t, "binary");
	tenc_nil(t);
	tenc_nil(t);
	col->stream_open = 1;
	return col_issue(col, "beamtop_agent", "stream", t, on_agent_done, 0,
			 "agent stream");
}

/* Encodes the pids whose names are wanted. */
static void names_args(struct collector *col, struct tenc *t,
		       const struct bt_pid *pids, size_t n, int agent)
{
	size_t i;

	/* The agent takes [Pids]; the query binds Pids. */
	tenc_reset(t);
	if (agent)
		tenc_list(t, 1);
	tenc_list(t, (int)n);
	for (i = 0; i < n; i++)
		tenc_pid(t, &pids[i], conn_target(col->conn));
	tenc_nil(t);
	if (agent)
		tenc_nil(t);
}

int collect_names_async(struct collector *col, const struct bt_pid *pids,
			size_t n, side_fn fn, void *ctx)
{
	struct tenc *t = collect_encoder(col);
	struct qargs a = { 0 };
	const char *raw;
	/* Labels live under '$process_label', an atom that the agent's code
	 * would make on a node without labels: where there are labels the
	 * query, checked on the node first, names the rows. */
	int agent = col->backend == 2 && !col_labels(col), len;

	names_args(col, t, pids, n, agent);
	if (agent)
		return collect_side(col, "beamtop_agent", "names", t, 0, fn, ctx);
	raw = tenc_data(t, &len);
	qargs_add(&a, qval_ptr("Pids", QV_RAW, raw, len));
	return collect_query(col, col_labels(col) ? QUERY_PROC_NAMES_LABEL :
			     QUERY_PROC_NAMES, &a, 0, fn, ctx);
}

int collect_apply_names(struct snapshot *s, const struct pidmap *map,
			struct tdec *r)
{
	char name[TDEC_ATOM_MAX * 2 + 32], cf[TDEC_ATOM_MAX * 2 + 32];
	int n, i, arity;

	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct bt_pid pid;
		long row;
		int reg;

		if (tdec_tuple(r, &arity) < 0 || arity != 4 || tdec_pid(r, &pid) < 0)
			return -1;
		name[0] = cf[0] = '\0';
		if (tdec_atom_is(r, "undefined")) {
			if (tdec_skip(r) < 0 || tdec_skip(r) < 0)
				return -1;
			continue;
		}
		/* An initial call, a registered name or a label (any term). */
		if (tdec_mfa(r, name, sizeof name) < 0 &&
		    tdec_as_text(r, name, sizeof name) < 0)
			return -1;
		reg = tdec_atom_is(r, "true");
		if (!reg && tdec_skip(r) < 0)
			return -1;
		if (tdec_mfa(r, cf, sizeof cf) < 0 && tdec_skip(r) < 0)
			return -1;
		row = pidmap_get(map, s, bt_pid_key(&pid));
		if (row < 0)
			continue;
		/* Elixir module aliases read as Elixir writes them. */
		s->procs[row].name = strpool_add(&s->pool, reg ? fmt_alias(name) : name);
		s->procs[row].cf = strpool_add(&s->pool, cf);
		s->procs[row].registered = (uint8_t)reg;
		s->procs[row].have |= PF_NAME | PF_CF;
	}
	return tdec_list_end(r, n);
}

struct names_wait {
	struct snapshot *s;
	const struct pidmap *map;
	int done;
};

static void on_names(void *ctx, struct tdec *r, const char *why)
{
	struct names_wait *w = ctx;

	(void)why;
	w->done = 1;
	if (r)
		collect_apply_names(w->s, w->map, r);
}

int collect_names(struct collector *col, struct snapshot *s,
		  const struct pidmap *map, const size_t *rows, size_t n,
		  char *err, size_t errlen)
{
	struct bt_pid *pids = malloc((n ? n : 1) * sizeof *pids);
	struct names_wait w = { s, map, 0 };
	size_t i, k = 0;
	int rc;

	if (!pids)
		return 0;
	for (i = 0; i < n; i++)
		if (!(s->procs[rows[i]].have & PF_NAME))
			pids[k++] = s->procs[rows[i]].pid;
	if (k == 0) {
		free(pids);
		return 0;
	}
	rc = collect_names_async(col, pids, k, on_names, &w);
	free(pids);
	if (rc < 0) {
		snprintf(err, errlen, "%s", col->err);
		return -1;
	}
	while (!w.done)
		if (collect_idle(col, 100, err, errlen) < 0)
			return -1;
	return 0;
}
