/*
 * collect.c - the refresh loop, the small node-wide queries (memory, system
 * info, statistics) and the holder of the scheduler_wall_time flag.
 *
 * The flag is reference counted per process on the node: it stays on while
 * some process that turned it on is alive.  An rpc's worker process dies at
 * once, so turning it on by rpc does nothing lasting.  Instead we spawn,
 * with stdlib code only, a process that runs
 *     lists:zipwith3(fun erlang:apply/3, [erlang, gen_server],
 *                    [system_flag, call],
 *                    [[scheduler_wall_time, true],
 *                     [Us, scheduler_wall_time, infinity]])
 * which turns the flag on and then waits on a call to us that we never
 * answer until we leave.  gen_server:call monitors us, so if beamtop dies
 * or the connection drops, the process exits and the flag goes back to
 * what it was; when we leave cleanly we answer the call and it ends at
 * once.  It is spawned rather than run by rex's worker because rex sends
 * its worker's end to the caller: after our death that send would make the
 * node connect back to us (starting its resolver, inet_gethost_native,
 * for good).  A spawned process ends in silence.  Its request is an atom
 * the node has (scheduler_wall_time), so that it creates none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "beamtop/query.h"
#include "collect_priv.h"

const char *const col_info_keys[] = {
	"process_count", "process_limit", "port_count", "port_limit",
	"atom_count", "atom_limit", "ets_count", "ets_limit", "schedulers",
	"schedulers_online", "dirty_cpu_schedulers",
	"dirty_cpu_schedulers_online", "dirty_io_schedulers",
	"logical_processors", "wordsize", "otp_release", "version", NULL
};
#define N_INFO_KEYS (int)(sizeof col_info_keys / sizeof col_info_keys[0] - 1)

const char *const col_stat_keys[] = {
	"reductions", "wall_clock", "run_queue_lengths_all",
	"scheduler_wall_time_all", "io", NULL
};
#define N_STAT_KEYS (int)(sizeof col_stat_keys / sizeof col_stat_keys[0] - 1)

/* The holder's inflight entry keeps this arg so its reply is recognised. */
#define ARG_HOLDER (-7)

struct collector *collect_new(struct conn *c, const struct collect_opts *o)
{
	struct collector *col = calloc(1, sizeof *col);

	if (!col)
		return NULL;
	col->conn = c;
	col->o = *o;
	if (!col->o.chunk)
		col->o.chunk = 5000;
	col->backend = o->source == PROCS_PLAIN ? 0 :
		       o->source == PROCS_BACKEND ? 1 : -1;
	procs_init(col);
	tabs_init(col);
	col->enc = tenc_new();
	col->side_enc = tenc_new();
	col->eval_enc = tenc_new();
	if (!col->enc || !col->side_enc || !col->eval_enc) {
		tenc_free(col->enc);
		tenc_free(col->side_enc);
		tenc_free(col->eval_enc);
		free(col);
		return NULL;
	}
	return col;
}

void collect_set_extra(struct collector *col, unsigned extra)
{
	col->o.extra = extra;
}

void collect_set_owner(struct collector *col, const struct collect_opts *o)
{
	col->o.hook = o->hook;
	col->o.hook_ctx = o->hook_ctx;
	col->o.stop = o->stop;
}

const char *collect_source_name(const struct collector *col)
{
	return col->backend == 2 ? "agent" : col->backend_slow ? "plain" :
	       col->backend == 1 ? "observer_backend" :
	       col->backend == 0 ? "plain" : "unknown";
}

static int find_inflight(const struct collector *col, long id)
{
	int i;

	for (i = 0; i < col->nq; i++)
		if (col->q[i].id == id)
			return i;
	return -1;
}

/* Sends the call and remembers what to do with its answer.  Returns 0,
 * -1 (connection lost) or -2 (refused: read-only), col->err filled. */
int col_issue_q(struct collector *col, const char *mod, const char *fun,
		const struct tenc *args, unsigned tmo, const struct inflight *q)
{
	struct conn_req r = { mod, fun, args, tmo, q->mutating, q->what };
	long id;

	if (col->nq >= COL_INFLIGHT_MAX) {
		snprintf(col->err, sizeof col->err, "too many queries in flight");
		return -1;
	}
	id = conn_call(col->conn, &r, col->err, sizeof col->err);
	if (id < 0)
		return (int)id;
	col->q[col->nq] = *q;
	col->q[col->nq].id = id;
	col->nq++;
	return 0;
}

int col_issue(struct collector *col, const char *mod, const char *fun,
	      const struct tenc *args, reply_fn fn, long arg, const char *what)
{
	return col_issue_tmo(col, mod, fun, args, fn, arg, what,
			     arg == ARG_HOLDER ? CONN_NO_DEADLINE : 0);
}

int col_issue_tmo(struct collector *col, const char *mod, const char *fun,
		  const struct tenc *args, reply_fn fn, long arg,
		  const char *what, unsigned tmo)
{
	struct inflight q = { 0, fn, arg, what, NULL, NULL, 0, NULL };

	return col_issue_q(col, mod, fun, args, tmo, &q) < 0 ? -1 : 0;
}

int collect_side(struct collector *col, const char *mod, const char *fun,
		 const struct tenc *args, unsigned timeout_ms, side_fn fn,
		 void *ctx)
{
	struct inflight q = { 0, NULL, 0, "side call", fn, ctx, 0, NULL };

	return col_issue_q(col, mod, fun, args, timeout_ms, &q);
}

int collect_action(struct collector *col, const char *mod, const char *fun,
		   const struct tenc *args, unsigned timeout_ms, side_fn fn,
		   void *ctx)
{
	struct inflight q = { 0, NULL, 0, fun, fn, ctx, 1, NULL };

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

/* Encodes [fun M:F/1, [Atoms...]] for a lists:map over atom keys. */
static void args_map_atoms(struct tenc *t, const char *mod, const char *fun,
			   const char *const *keys, int n)
{
	int i;

	tenc_reset(t);
	tenc_list(t, 2);
	tenc_fun(t, mod, fun, 1);
	tenc_list(t, n);
	for (i = 0; i < n; i++)
		tenc_atom(t, keys[i]);
	tenc_nil(t);
	tenc_nil(t);
}

static int on_memory(struct collector *col, struct snapshot *s,
		     struct tdec *r, long arg)
{
	int n, i, arity;

	(void)col, (void)arg;
	if (!r || tdec_list(r, &n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct mem_entry e;

		memset(&e, 0, sizeof e);
		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, e.kind, sizeof e.kind) < 0 ||
		    tdec_u64(r, &e.bytes) < 0)
			return 0; /* keep what was read before the surprise */
		if (s->n_mem < SNAP_MEM_MAX)
			s->mem[s->n_mem++] = e;
	}
	return 0;
}

static void set_info(struct sysinfo *si, const char *key, struct tdec *r)
{
	struct { const char *key; uint64_t *v64; uint32_t *v32; int f; } map[] = {
		{ "process_count", &si->process_count, NULL, SI_PROCESS_COUNT },
		{ "process_limit", &si->process_limit, NULL, SI_PROCESS_LIMIT },
		{ "port_count", &si->port_count, NULL, SI_PORT_COUNT },
		{ "port_limit", &si->port_limit, NULL, SI_PORT_LIMIT },
		{ "atom_count", &si->atom_count, NULL, SI_ATOM_COUNT },
		{ "atom_limit", &si->atom_limit, NULL, SI_ATOM_LIMIT },
		{ "ets_count", &si->ets_count, NULL, SI_ETS_COUNT },
		{ "ets_limit", &si->ets_limit, NULL, SI_ETS_LIMIT },
		{ "schedulers", NULL, &si->schedulers, SI_SCHEDULERS },
		{ "schedulers_online", NULL, &si->schedulers_online, SI_SCHEDULERS_ONLINE },
		{ "dirty_cpu_schedulers", NULL, &si->dirty_cpu, SI_DIRTY_CPU },
		{ "dirty_cpu_schedulers_online", NULL, &si->dirty_cpu_online,
		  SI_DIRTY_CPU_ONLINE },
		{ "dirty_io_schedulers", NULL, &si->dirty_io, SI_DIRTY_IO },
		{ "logical_processors", NULL, &si->logical_processors, SI_LOGICAL },
		{ "wordsize", NULL, &si->wordsize, SI_WORDSIZE },
	};
	size_t i;
	uint64_t v;

	if (strcmp(key, "otp_release") == 0) {
		if (tdec_text(r, si->otp_release, sizeof si->otp_release) == 0)
			return;
	} else if (strcmp(key, "system_version") == 0) {
		/* "Erlang/OTP 25 [erts-13.1.5] ...": where otp_release is not an
		 * atom on the node yet. */
		char text[256], *p;

		if (tdec_text(r, text, sizeof text) == 0) {
			if ((p = strstr(text, "OTP ")) != NULL)
				sscanf(p + 4, "%15[0-9]", si->otp_release);
			if ((p = strstr(text, "[erts-")) != NULL)
				sscanf(p + 6, "%31[0-9.]", si->erts_version);
			return;
		}
	} else if (strcmp(key, "version") == 0) {
		if (tdec_text(r, si->erts_version, sizeof si->erts_version) == 0)
			return;
	} else {
		for (i = 0; i < sizeof map / sizeof map[0]; i++) {
			if (strcmp(map[i].key, key) != 0)
				continue;
			if (tdec_u64(r, &v) < 0)
				break; /* e.g. `unknown`: leave it 0 */
			if (map[i].v64)
				*map[i].v64 = v;
			else
				*map[i].v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			si->known |= 1u << map[i].f;
			return;
		}
	}
	tdec_skip(r);
}

static int on_info(struct collector *col, struct snapshot *s, struct tdec *r,
		   long arg)
{
	int n, i;

	(void)arg;
	if (!r || tdec_list(r, &n) < 0 || n != col->n_info_sent)
		return 0;
	for (i = 0; i < n; i++)
		set_info(&s->sys, col->info_sent[i], r);
	s->sys.have_info = 1;
	return 0;
}

/* {A, B} of integers. */
static int pair_u64(struct tdec *r, uint64_t *a, uint64_t *b)
{
	struct tdec save = *r;
	int arity;

	if (tdec_tuple(r, &arity) == 0 && arity == 2 && tdec_u64(r, a) == 0 &&
	    tdec_u64(r, b) == 0)
		return 0;
	*r = save;
	return -1;
}

static int decode_sched(struct snapshot *s, struct tdec *r)
{
	int n, i, arity;

	if (tdec_atom_is(r, "undefined"))
		return 0; /* the flag is off: no utilisation this time */
	if (tdec_list(r, &n) < 0)
		return -1;
	free(s->sched);
	s->sched = calloc((size_t)(n ? n : 1), sizeof *s->sched);
	if (!s->sched)
		return -1;
	for (i = 0; i < n; i++) {
		struct sched_sample *x = &s->sched[i];
		uint64_t id;

		if (tdec_tuple(r, &arity) < 0 || arity != 3 || tdec_u64(r, &id) < 0 ||
		    tdec_u64(r, &x->active) < 0 || tdec_u64(r, &x->total) < 0)
			return -1;
		x->id = (uint32_t)id;
	}
	s->n_sched = n;
	return tdec_list_end(r, n);
}

static int on_stats(struct collector *col, struct snapshot *s, struct tdec *r,
		    long arg)
{
	uint64_t a, b, rq[1024];
	int n, arity;

	(void)col, (void)arg;
	if (!r || tdec_list(r, &n) < 0 || n != N_STAT_KEYS)
		return 0;
	if (pair_u64(r, &s->sys.reductions, &b) < 0)
		return 0;
	if (pair_u64(r, &s->sys.uptime_ms, &b) < 0)
		return 0;
	if (tdec_int_list(r, rq, (int)(sizeof rq / sizeof rq[0]), &n) < 0)
		return 0;
	if (n > (int)(sizeof rq / sizeof rq[0]))
		n = (int)(sizeof rq / sizeof rq[0]);
	free(s->runq);
	s->runq = malloc((size_t)(n ? n : 1) * sizeof *s->runq);
	if (s->runq) {
		memcpy(s->runq, rq, (size_t)n * sizeof *rq);
		s->n_runq = n;
	}
	if (decode_sched(s, r) < 0) {
		s->n_sched = 0;
		return 0;
	}
	/* {{input, In}, {output, Out}} */
	if (tdec_tuple(r, &arity) == 0 && arity == 2 &&
	    tdec_tuple(r, &arity) == 0 && arity == 2 && tdec_skip(r) == 0 &&
	    tdec_u64(r, &a) == 0 && tdec_tuple(r, &arity) == 0 && arity == 2 &&
	    tdec_skip(r) == 0 && tdec_u64(r, &b) == 0) {
		s->sys.io_in = a;
		s->sys.io_out = b;
	}
	s->sys.have_stats = 1;
	return 0;
}

const reply_fn col_decoders[DEC_COUNT_] = {
	[DEC_MEMORY] = on_memory, [DEC_INFO] = on_info, [DEC_STATS] = on_stats,
	[DEC_ETS_CHUNK] = ets_on_chunk, [DEC_PORTS_CHUNK] = ports_on_chunk,
};

static int on_holder(struct collector *col, struct snapshot *s, struct tdec *r,
		     long arg)
{
	(void)s, (void)arg;
	/* The answer is the holder's pid; its call to us tells that it holds
	 * the flag.  No pid: it could not be spawned. */
	if (!r && col->hold_state == 1)
		col->hold_state = 3;
	return 0;
}

static int start_holder(struct collector *col)
{
	struct tenc *t = col->enc;

	tenc_reset(t);
	tenc_list(t, 3);
	tenc_atom(t, "lists");
	tenc_atom(t, "zipwith3");
	tenc_list(t, 4);
	tenc_fun(t, "erlang", "apply", 3);
	tenc_list(t, 2);
	tenc_atom(t, "erlang");
	tenc_atom(t, "gen_server");
	tenc_nil(t);
	tenc_list(t, 2);
	tenc_atom(t, "system_flag");
	tenc_atom(t, "call");
	tenc_nil(t);
	tenc_list(t, 2);
	tenc_list(t, 2);
	tenc_atom(t, "scheduler_wall_time");
	tenc_atom(t, "true");
	tenc_nil(t);
	tenc_list(t, 3);
	conn_encode_self(col->conn, t);
	tenc_atom(t, "scheduler_wall_time");
	tenc_atom(t, "infinity");
	tenc_nil(t);
	tenc_nil(t);
	tenc_nil(t);
	tenc_nil(t);
	if (col_issue(col, "erlang", "spawn", t, on_holder, ARG_HOLDER,
		      "scheduler flag holder") < 0)
		return -1;
	col->hold_state = 1;
	return 0;
}

/* {'$gen_call', {From, Tag}, scheduler_wall_time}: our holder is in place; keep
 * From and Tag to answer it when we leave.  Returns 1 if it was that. */
static int holder_on_info(struct collector *col, const struct conn_event *ev)
{
	struct tdec d = ev->term;
	const char *tag;
	int arity, len;

	if (tdec_tuple(&d, &arity) < 0 || arity != 3 ||
	    !tdec_atom_is(&d, "$gen_call") || tdec_tuple(&d, &arity) < 0 ||
	    arity != 2 || tdec_pid(&d, &col->hold_from) < 0 ||
	    col_raw_term(&d, &tag, &len) < 0 ||
	    !tdec_atom_is(&d, "scheduler_wall_time"))
		return 0;
	if (len > (int)sizeof col->hold_tag)
		return 1; /* a tag we cannot echo: the holder ends when we do */
	memcpy(col->hold_tag, tag, (size_t)len);
	col->hold_tag_len = len;
	col->hold_state = 2;
	return 1;
}

void collect_free(struct collector *col)
{
	char err[256];
	struct conn_event ev;
	uint64_t end;

	if (!col)
		return;
	/* Let the answers in flight come back before we go (for a second at
	 * most): an answer sent to a node that has gone makes the node
	 * connect back to it.  Longer queries end by themselves when we go. */
	end = conn_now_ms() + 1000;
	while (col->conn && conn_pending(col->conn) > 0 && conn_now_ms() < end)
		if (conn_poll(col->conn, 50, &ev, err, sizeof err) < 0)
			break;
	if (col->hold_state == 2) {
		/* Answer the holder's call so that it ends now (it sends us
		 * nothing more). */
		tenc_reset(col->enc);
		tenc_tuple(col->enc, 2);
		tenc_raw(col->enc, col->hold_tag, col->hold_tag_len);
		tenc_atom(col->enc, "ok");
		col->hold_state = 4;
		conn_send(col->conn, &col->hold_from, col->enc, err, sizeof err);
	}
	tenc_free(col->enc);
	tenc_free(col->side_enc);
	tenc_free(col->eval_enc);
	tenc_free(col->info_args);
	chunked_free(&col->procs);
	chunked_free(&col->ets);
	chunked_free(&col->ports);
	keymap_free(&col->seen);
	keymap_free(&col->base_keys);
	scan_free(col);
	free(col);
}

/* Gives each scheduler sample its type, now that the counts are known, and
 * sorts them by id (the node lists them in no particular order). */
static int cmp_sched(const void *a, const void *b)
{
	const struct sched_sample *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void finish(struct snapshot *s)
{
	int i;

	/* Counts not asked (no atom for them on the node), from what was
	 * read whole. */
	if (!SI_KNOWN(&s->sys, SI_ETS_COUNT) && s->sys.have_info && s->ets_ok > 0) {
		s->sys.ets_count = s->n_ets;
		s->sys.known |= 1u << SI_ETS_COUNT;
	}

	if (s->n_sched > 1)
		qsort(s->sched, (size_t)s->n_sched, sizeof *s->sched, cmp_sched);
	for (i = 0; i < s->n_sched; i++) {
		uint32_t id = s->sched[i].id;

		if (id <= s->sys.schedulers || !s->sys.have_info)
			s->sched[i].type = SCHED_NORMAL;
		else if (id <= s->sys.schedulers + (s->sys.dirty_cpu ? s->sys.dirty_cpu :
						    s->sys.dirty_cpu_online))
			s->sched[i].type = SCHED_DIRTY_CPU;
		else
			s->sched[i].type = SCHED_DIRTY_IO;
	}
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

/* Hands one event to whoever waits for it.  Returns -1 on connection loss. */
static int dispatch(struct collector *col, struct snapshot *s,
		    struct conn_event *ev)
{
	struct inflight q;
	char note[96];
	int i, rc;

	if (ev->kind == CONN_EV_INFO) {
		if (!procs_on_info(col, s, ev) && !agent_on_chunk(col, s, ev))
			holder_on_info(col, ev);
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
	    !col_unwrap(col, &q, &ev->term, col->why, sizeof col->why)) {
		/* An embedded query that failed on the node: say how. */
		if (!q.fn) {
			q.sfn(q.sctx, NULL, col->why);
			return 0;
		}
		rc = q.fn(col, s, NULL, q.arg);
		if (rc == 0 && s)
			snapshot_note_error(s, col->why);
		return rc < 0 ? -1 : 0;
	}
	if (!q.fn) {
		if (ev->kind == CONN_EV_TIMEOUT) {
			q.sfn(q.sctx, NULL, "timed out");
		} else if (is_badrpc(&ev->term)) {
			struct tdec d = ev->term;
			int arity;

			/* {badrpc, Reason}: say what went wrong, briefly. */
			snprintf(col->why, sizeof col->why, "failed: ");
			if (tdec_tuple(&d, &arity) == 0 && tdec_skip(&d) == 0)
				tdec_print(&d, col->why + 8, sizeof col->why - 8);
			q.sfn(q.sctx, NULL, col->why);
		} else {
			q.sfn(q.sctx, &ev->term, NULL);
		}
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

/* Queries of this refresh still to answer (the holder and side calls are
 * not). */
static int refresh_pending(const struct collector *col)
{
	int i, n = 0;

	for (i = 0; i < col->nq; i++)
		if (col->q[i].fn && col->q[i].arg != ARG_HOLDER)
			n++;
	return n;
}

/* One wait for whatever comes, with the owner's hook before it. */
static int wait_one(struct collector *col, struct snapshot *s, unsigned ms)
{
	struct conn_event ev;

	if (col->o.hook)
		col->o.hook(col->o.hook_ctx, col);
	if (conn_poll(col->conn, ms, &ev, col->err, sizeof col->err) < 0)
		return -1;
	return dispatch(col, s, &ev);
}

int collect_idle(struct collector *col, unsigned ms, char *err, size_t errlen)
{
	uint64_t end = conn_now_ms() + ms;

	/* Between refreshes only the holder, side calls and stale answers can
	 * arrive; nothing of a refresh is in flight, so no snapshot is
	 * touched (stream chunks to an old mailbox are dropped). */
	do {
		uint64_t now = conn_now_ms();
		unsigned slice = end > now ? (unsigned)(end - now) : 0;

		if (wait_one(col, NULL, slice < 50 ? slice : 50) < 0) {
			snprintf(err, errlen, "%s", col->err);
			return -1;
		}
		if (col->o.stop && *col->o.stop)
			return 0;
	} while (conn_now_ms() < end);
	return 0;
}

int collect_refresh(struct collector *col, struct snapshot *s,
		    const struct snapshot *base, char *err, size_t errlen)
{
	struct tenc *t = col->enc;
	struct timespec t0, t1;
	uint64_t bytes0 = conn_bytes_in(col->conn);
	int i;

	snapshot_clear(s);
	col->s = s;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s->t_ms = conn_now_ms();
	s->wall = time(NULL);
	col->err[0] = '\0';

	if (col->hold_state == 0 && start_holder(col) < 0)
		goto lost;
	/* Nothing that could carry an atom the node lacks goes before the
	 * node has said what it has. */
	if (col->probe_state == 0 && probe_start(col) < 0)
		goto lost;
	while (probe_busy(col)) {
		if (col->o.stop && *col->o.stop) {
			snprintf(err, errlen, "interrupted");
			return -2;
		}
		if (wait_one(col, s, 50) < 0 || probe_step(col) < 0)
			goto lost;
		if (conn_now_ms() - s->t_ms > conn_default_timeout(col->conn) + 1000) {
			col->probe_state = 2; /* no answer: queries stay unsent */
			break;
		}
	}
	/* The first refresh waits for the holder's call to reach us, which
	 * means the flag is on: otherwise this sample is `undefined` and the
	 * utilisation is unknown for one refresh more. */
	while (col->hold_state == 1) {
		if (col->o.stop && *col->o.stop) {
			snprintf(err, errlen, "interrupted");
			return -2;
		}
		if (wait_one(col, s, 50) < 0)
			goto lost;
		if (conn_now_ms() - s->t_ms > 5000)
			break; /* no holder after all: carry on without it */
	}
	/* A node's first erlang:memory() makes ~300 atoms (the allocators'
	 * names); where that could hurt, the same figures come from
	 * system_info(info)'s text, which makes none. */
	if (col_memory_direct(col) ?
	    col_issue(col, "erlang", "memory", NULL, on_memory, 0, "memory") < 0 :
	    col_issue(col, "erlang", "system_info", col_args_info(col), on_memory_text,
		      0, "memory") < 0)
		goto lost;
	/* Only the items the node has atoms for (see collect_probe.c). */
	col->n_info_sent = 0;
	for (i = 0; i < N_INFO_KEYS; i++)
		if (col_atom_ok(col, col_info_keys[i]))
			col->info_sent[col->n_info_sent++] = col_info_keys[i];
	if (!col_atom_ok(col, "otp_release") && col_atom_ok(col, "system_version"))
		col->info_sent[col->n_info_sent++] = "system_version";
	args_map_atoms(t, "erlang", "system_info", col->info_sent, col->n_info_sent);
	if (col_issue(col, "lists", "map", t, on_info, 0, "system_info") < 0)
		goto lost;
	args_map_atoms(t, "erlang", "statistics", col_stat_keys, N_STAT_KEYS);
	if (col_issue(col, "lists", "map", t, on_stats, 0, "statistics") < 0)
		goto lost;
	if (!col->o.no_procs && scan_start(col, s, base) < 0)
		goto lost;
	if (!col->o.no_ets && ets_start(col, s) < 0)
		goto lost;
	if (!col->o.no_ports && ports_start(col, s) < 0)
		goto lost;

	while (refresh_pending(col) > 0) {
		if (col->o.stop && *col->o.stop) {
			snprintf(err, errlen, "interrupted");
			return -2;
		}
		if (wait_one(col, s, 50) < 0)
			goto lost;
	}
	procs_finish(col, s);
	if (!col->o.no_procs)
		scan_finish(col, s);
	tabs_finish(s);
	finish(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->wall_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	s->bytes = conn_bytes_in(col->conn) - bytes0;
	return 0;
lost:
	snprintf(err, errlen, "%s", col->err[0] ? col->err : "connection lost");
	col->nq = 0;
	col->hold_state = 0;
	col->probe_state = 0;
	return -1;
}
