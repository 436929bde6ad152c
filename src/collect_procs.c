/*
 * collect_procs.c - the process list, from one of two sources.
 *
 * observer_backend:procs_info/1 (runtime_tools, compiled, on most nodes)
 * walks the processes on the target and streams them as {procs_info,
 * Scan, Chunk} messages of up to 10,000 etop_proc_info records.  It runs
 * under the procs_stream query (src/queries/procs_stream.expr), which
 * passes each chunk on to a mailbox of ours and ends the scan at its
 * deadline or as soon as our connection drops, so that a quit or a crash
 * of beamtop leaves the node no work; its answer (after every chunk: the
 * same worker sent them) is the number of chunks sent.  Each refresh
 * streams to a fresh mailbox pid, so chunks of an earlier stream that
 * timed out are recognised and dropped.  Where that query cannot be sent
 * (erl_eval is not loaded), the plain chunks below are used instead: they
 * are small enough that what is left when beamtop goes is a few ms.
 *
 * Without runtime_tools: erlang:processes() and then, a chunk of pids at a
 * time (collect_chunk.c), lists:zipwith(fun erlang:process_info/2, Pids,
 * [Items, ...]).  That path can also read
 * fields the backend does not give (heap size, binaries).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/clock.h"
#include "beamtop/format.h"
#include "collect_priv.h"


/* Name of a process as shown: registered name, process label (OTP 27+,
 * a binary or string) or initial call. */
static int decode_name(struct tdec *d, char *out, size_t outlen,
		       uint8_t *registered)
{
	enum tkind k;

	*registered = 0;
	if (tdec_kind(d, &k, NULL) < 0)
		return -1;
	if (k == TK_ATOM) {
		char tmp[TDEC_ATOM_MAX];

		if (tdec_atom(d, tmp, sizeof tmp) < 0)
			return -1;
		/* Elixir module aliases read as Elixir writes them. */
		snprintf(out, outlen, "%s", fmt_alias(tmp));
		*registered = 1;
		return 0;
	}
	if (k == TK_TUPLE)
		return tdec_mfa(d, out, outlen);
	if (k == TK_BINARY || k == TK_STRING || k == TK_LIST || k == TK_NIL)
		return tdec_text(d, out, outlen);
	return -1;
}

/* A current function: {M,F,A}, or an atom such as `undefined`. */
static uint32_t decode_cf(struct tdec *d, struct strpool *pool)
{
	char tmp[TDEC_ATOM_MAX * 2 + 32];

	if (tdec_mfa(d, tmp, sizeof tmp) == 0 ||
	    tdec_atom(d, tmp, sizeof tmp) == 0)
		return strpool_add(pool, tmp);
	tdec_skip(d);
	return 0;
}

/* {etop_proc_info, Pid, Mem, Reds, Name, Runtime, CF, MQ}; later fields,
 * if a future OTP adds any, are skipped. */
static int decode_etop(struct tdec *d, struct snapshot *s)
{
	struct tdec save = *d;
	char name[TDEC_ATOM_MAX * 2 + 32];
	struct proc *p, tmp;
	uint64_t mq;
	int arity, i;

	memset(&tmp, 0, sizeof tmp);
	if (tdec_tuple(d, &arity) < 0 || arity < 8 ||
	    !tdec_atom_is(d, "etop_proc_info") || tdec_pid(d, &tmp.pid) < 0 ||
	    tdec_u64(d, &tmp.memory) < 0 || tdec_u64(d, &tmp.reductions) < 0)
		goto bad;
	if (decode_name(d, name, sizeof name, &tmp.registered) < 0) {
		if (tdec_skip(d) < 0)
			goto bad;
		name[0] = '\0';
	}
	if (tdec_skip(d) < 0) /* runtime: always 0 without tracing */
		goto bad;
	tmp.cf = decode_cf(d, &s->pool);
	if (tdec_u64(d, &mq) < 0)
		goto bad;
	for (i = 8; i < arity; i++)
		if (tdec_skip(d) < 0)
			goto bad;
	tmp.mq = mq > UINT32_MAX ? UINT32_MAX : (uint32_t)mq;
	tmp.name = strpool_add(&s->pool, name);
	tmp.have = PF_MEMORY | PF_REDS | PF_MQ | PF_NAME | PF_CF;
	/* observer_backend gives proc_lib's real initial call, but a label
	 * kept in the dictionary only the names query finds. */
	tmp.naming = tmp.registered ? NAMING_FINAL : NAMING_ASK;
	p = snapshot_add_proc(s);
	if (!p)
		return -1;
	*p = tmp;
	return 0;
bad:
	*d = save;
	return -1;
}

int col_procs_decode_chunk(struct tdec *d, struct snapshot *s)
{
	int n, i;

	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (decode_etop(d, s) < 0)
			return -1;
	return tdec_list_end(d, n);
}

static int plain_start(struct collector *col, struct snapshot *s);

/* The end of a stream (procs_stream's answer: how many chunks it sent). */
static int on_stream_done(struct collector *col, struct snapshot *s,
			  struct tdec *r, long arg)
{
	uint64_t sent;

	col->stream_open = 0;
	if (!r && col->timed_out && arg != COL_ARG_AGENT) {
		/* Too busy to walk every process in time: chunks that answer
		 * in time instead, now and for the next scans. */
		col->backend_slow = 1;
		if (s->n_procs == 0)
			return plain_start(col, s) < 0 ? -1 : 1;
	}
	if (!r || tdec_u64(r, &sent) < 0) {
		s->procs_ok = -1; /* keep the chunks that came */
		return 0;
	}
	if (sent != col->stream_chunks) {
		s->procs_ok = -1;
		snapshot_note_error(s, "process chunks lost on the way");
		return 1;
	}
	if (s->procs_ok != -1)
		s->procs_ok = 1;
	return 0;
}

int col_stream_start(struct collector *col, const char *mod, const char *fun,
		     const struct tenc *args, long arg)
{
	struct qargs a = { 0 };
	const char *box, *raw;
	int boxlen, rawlen, rc;

	if (conn_new_mailbox(col->conn, &col->mailbox) < 0) {
		snprintf(col->err, sizeof col->err, "cannot make a mailbox pid");
		return -1;
	}
	tenc_reset(col->box_enc);
	conn_encode_mailbox(col->conn, &col->mailbox, col->box_enc);
	box = tenc_data(col->box_enc, &boxlen);
	raw = tenc_data(args, &rawlen);
	qargs_add(&a, qval_ptr("Args", QV_RAW, raw, rawlen));
	qargs_add(&a, qval_ptr("Box", QV_RAW, box, boxlen));
	qargs_add(&a, qval_ptr("Fun", QV_ATOM, fun, 0));
	qargs_add(&a, qval_ptr("Mod", QV_ATOM, mod, 0));
	col->stream_open = 1;
	col->stream_chunks = 0;
	rc = col_query(col, QUERY_PROCS_STREAM, &a, on_stream_done, arg, "processes");
	if (rc != 0)
		col->stream_open = 0;
	return rc;
}

int col_procs_on_info(struct collector *col, struct snapshot *s,
		      const struct conn_event *ev)
{
	struct tdec d = ev->term;
	int arity;

	if (tdec_tuple(&d, &arity) < 0 || arity != 3 ||
	    !tdec_atom_is(&d, "procs_info"))
		return 0;
	if (!col->stream_open || ev->to.num != col->mailbox.num ||
	    ev->to.serial != col->mailbox.serial)
		return 1; /* a chunk of an older stream */
	col->stream_chunks++;
	if (tdec_skip(&d) < 0 || col_procs_decode_chunk(&d, s) < 0) {
		s->procs_ok = -1; /* incomplete, whatever the end says */
		snapshot_note_error(s, "unreadable process chunk");
	}
	return 1;
}

/* Items asked per process in plain mode. */
static int plain_items(const struct collector *col, const char **items)
{
	int n = 0;

	items[n++] = "memory";
	items[n++] = "reductions";
	items[n++] = "message_queue_len";
	items[n++] = "registered_name";
	items[n++] = "current_function";
	items[n++] = "initial_call";
	if (col_labels(col))
		items[n++] = "label";
	if (col->o.extra & PF_HEAP)
		items[n++] = "total_heap_size";
	if (col->o.extra & PF_BIN)
		items[n++] = "binary";
	return n;
}

/* Sum of sizes in process_info(P, binary): [{Id, Size, RefCount}]. */
static int sum_binaries(struct tdec *d, uint64_t *sum)
{
	int n, i, arity;
	uint64_t size;

	*sum = 0;
	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (tdec_tuple(d, &arity) < 0 || arity < 2 || tdec_skip(d) < 0 ||
		    tdec_u64(d, &size) < 0)
			return -1;
		for (arity -= 2; arity > 0; arity--)
			if (tdec_skip(d) < 0)
				return -1;
		*sum += size;
	}
	return tdec_list_end(d, n);
}

/* The value of a numeric process_info/2 item into p or x: 1 when key is
 * one and its value could be read, else 0 (d not moved). */
static int number_item(const char *key, struct tdec *d, struct proc *p,
		       struct proc_extra *x)
{
	uint64_t v;

	if (strcmp(key, "memory") == 0 && tdec_u64(d, &v) == 0) {
		p->memory = v;
		p->have |= PF_MEMORY;
	} else if (strcmp(key, "reductions") == 0 && tdec_u64(d, &v) == 0) {
		p->reductions = v;
		p->have |= PF_REDS;
	} else if (strcmp(key, "message_queue_len") == 0 && tdec_u64(d, &v) == 0) {
		p->mq = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		p->have |= PF_MQ;
	} else if (strcmp(key, "total_heap_size") == 0 && tdec_u64(d, &v) == 0) {
		x->heap = v; /* words: see snapshot_extra() */
		p->have |= PF_HEAP;
	} else if (strcmp(key, "binary") == 0 && sum_binaries(d, &v) == 0) {
		x->bin = v;
		p->have |= PF_BIN;
	} else {
		return 0;
	}
	return 1;
}

/* One process_info/2 result: undefined, or [{Item, Value}, ...]; heap
 * (in words) and binaries go to *x. */
static int decode_info(struct tdec *d, struct snapshot *s, struct proc *p,
		       struct proc_extra *x)
{
	char key[64], name[TDEC_ATOM_MAX * 2 + 32], init[TDEC_ATOM_MAX * 2 + 32];
	char label[TDEC_ATOM_MAX * 2 + 32];
	int n, i, arity;
	uint8_t reg;

	name[0] = init[0] = label[0] = '\0';
	if (tdec_atom_is(d, "undefined"))
		return 1; /* died since processes() */
	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (tdec_tuple(d, &arity) < 0 || arity != 2 ||
		    tdec_atom(d, key, sizeof key) < 0)
			return -1;
		if (number_item(key, d, p, x))
			continue;
		if (strcmp(key, "registered_name") == 0 &&
			   decode_name(d, name, sizeof name, &reg) == 0) {
			if (!reg)
				name[0] = '\0';
		} else if (strcmp(key, "initial_call") == 0 &&
			   tdec_mfa(d, init, sizeof init) == 0) {
			;
		} else if (strcmp(key, "label") == 0 && tdec_atom_is(d, "undefined")) {
			; /* no label */
		} else if (strcmp(key, "label") == 0 &&
			   tdec_as_text(d, label, sizeof label) == 0) {
			;
		} else if (strcmp(key, "current_function") == 0) {
			p->cf = decode_cf(d, &s->pool);
			p->have |= PF_CF;
		} else if (tdec_skip(d) < 0) {
			return -1;
		}
	}
	if (tdec_list_end(d, n) < 0)
		return -1;
	p->registered = name[0] != '\0';
	/* The registered name, else the initial call, which proc_lib's
	 * processes share: the names query finds their real one (and a label
	 * kept in the dictionary) for the rows shown first. */
	p->name = strpool_add(&s->pool, name[0] ? name : init);
	p->label = strpool_add(&s->pool, label);
	p->naming = name[0] ? NAMING_FINAL : NAMING_ASK;
	p->have |= PF_NAME;
	return 0;
}

static int on_plain_chunk(struct collector *col, struct snapshot *s,
			  struct tdec *r, long arg)
{
	struct tdec pids;
	int n, i, ok = 1;

	col_chunked_ids(&col->procs, arg, &pids);
	if (!r || tdec_list(r, &n) < 0) {
		ok = 0;
	} else {
		/* Results come in the order of the pids we sent. */
		for (i = 0; i < n; i++) {
			struct proc tmp, *p;
			struct proc_extra x = { 0, 0 };
			int rc;

			memset(&tmp, 0, sizeof tmp);
			if (tdec_pid(&pids, &tmp.pid) < 0) {
				ok = 0;
				break;
			}
			rc = decode_info(r, s, &tmp, &x);
			if (rc < 0) {
				ok = 0;
				break;
			}
			if (rc == 1)
				continue;
			p = snapshot_add_proc(s);
			if (!p)
				return -1;
			*p = tmp;
			if ((tmp.have & (PF_HEAP | PF_BIN)) &&
			    snapshot_set_extra(s, s->n_procs - 1, x.heap, x.bin) < 0)
				return -1;
		}
	}
	col_chunked_back(&col->procs, arg, ok ? 1 : col->timed_out ? -1 : 0);
	if (col_chunked_next(col, &col->procs) < 0)
		return -1;
	if (col_chunked_done(&col->procs))
		s->procs_ok = col->procs.failed ? -1 : 1;
	return 0;
}

/* lists:zipwith(fun erlang:process_info/2, Pids, [Items, ...]). */
static int send_plain_chunk(struct collector *col, const char *raw, int rawlen,
			    int n, long start, unsigned tmo)
{
	const char *items[8];
	int nitems = plain_items(col, items);
	struct tenc *t = col->enc;

	tenc_reset(t);
	tenc_list(t, 3);
	tenc_fun(t, "erlang", "process_info", 2);
	col_args_chunk(t, raw, rawlen, n);
	col_args_items(t, n, items, nitems);
	tenc_nil(t);
	return col_issue_tmo(col, "lists", "zipwith", t, on_plain_chunk, start,
			     "process_info", tmo);
}

static int on_plain_pids(struct collector *col, struct snapshot *s,
			 struct tdec *r, long arg)
{
	int n;

	(void)arg;
	if (!r || (n = col_chunked_take(&col->procs, r)) < 0)
		return 0;
	/* The chunks get one call's deadline in all, from now: on a busy
	 * node the list is partial rather than late. */
	col->procs.lat_ms = (double)(clock_ms() - col->procs_list_t0);
	col->procs.window_ms = conn_timeout(col->conn);
	col->procs.until = clock_ms() + col->procs.window_ms;
	if (n == 0) {
		s->procs_ok = 1;
		return 0;
	}
	return col_chunked_next(col, &col->procs);
}

void col_procs_init(struct collector *col)
{
	col_chunked_init(&col->procs, (int)col->o.chunk);
	col->procs.send = send_plain_chunk;
}

static int plain_start(struct collector *col, struct snapshot *s)
{
	(void)s;
	col->plain_ran = 1;
	col->procs_list_t0 = clock_ms();
	return col_issue(col, "erlang", "processes", NULL, on_plain_pids, 0,
			 "processes");
}

int col_procs_start(struct collector *col, struct snapshot *s)
{
	struct tenc *t = col->enc;
	int rc;

	s->procs_ok = 0;
	col->plain_ran = 0;
	if (col->backend == 2)
		return col_agent_start(col, s);
	if (col->backend != 1 || col->backend_slow ||
	    (col->o.extra & (PF_HEAP | PF_BIN)))
		return plain_start(col, s);
	tenc_reset(t);
	tenc_nil(t);
	rc = col_stream_start(col, "observer_backend", "procs_info", t, 0);
	if (rc != COL_NOT_SENT)
		return rc;
	/* No query can be sent to this node (erl_eval is not loaded): a
	 * stream that would outlive us, never; chunks. */
	col->backend = 0;
	return plain_start(col, s);
}

void col_procs_finish(struct collector *col, struct snapshot *s)
{
	col->stream_open = 0;
	if (s->procs_ok < 0)
		s->procs_ok = 0;
	s->procs_listed = s->n_procs;
	if (col->plain_ran) {
		s->procs_listed = (size_t)col->procs.n;
		s->procs_unread = (size_t)col->procs.unread;
		s->chunk = col->procs.per;
		/* Whole chunks answer in time again: the backend may too. */
		if (s->procs_ok && col->procs.per == col->procs.max_per)
			col->backend_slow = 0;
	}
}
