/*
 * poller_drill.c - the connection thread's side of the drill-down and of
 * the actions: the queries that fill a struct drill, the info that is
 * asked again after every refresh while the drill-down is open, the
 * confirmed actions (kill, garbage collect), and bin_leak's three steps.
 *
 * The screen only writes requests under the lock; everything here runs on
 * the connection thread, from the collector's hook or after a refresh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/poller.h"
#include "beamtop/topn.h"
#include "poller_priv.h"

/* Bounds of what the node copies and sends back (see src/queries/ and
 * drill.h). */
#define STATE_WAIT_MS 2000
#define BINLEAK_MS 300000  /* a step of bin_leak may take minutes */
#define BINLEAK_TOP 20

enum {
	Q_INFO, Q_DETAIL, Q_BINARY, Q_MSGS, Q_SAMPLE, Q_STATE, Q_OBJECTS, Q_NAME,
	Q_ACT, Q_BL_BEFORE, Q_BL_GC, Q_BL_AFTER
};

/* Under the lock, from the screen. */
void poller_drill(struct poller *p, enum drill_kind kind,
		  const struct bt_pid *pid, const struct bt_port *port,
		  const struct bt_ref *tab, const char *tabname)
{
	struct drill *d = p->drill;

	drill_reset(d, kind);
	if (pid)
		d->pid = *pid;
	if (port)
		d->port = *port;
	if (tab)
		d->tab = *tab;
	if (tabname)
		snprintf(d->tabname, sizeof d->tabname, "%s", tabname);
	d->sec[SEC_INFO].state = SEC_PENDING;
	p->want = 0;
	p->want_name[0] = '\0';
	p->drill_cap = 0;
	p->drill_serial++;
}

void poller_drill_name(struct poller *p, const char *name)
{
	poller_drill(p, DRILL_PROC, NULL, NULL, NULL, NULL);
	snprintf(p->want_name, sizeof p->want_name, "%s", name);
}

void poller_drill_want(struct poller *p, enum drill_sec sec)
{
	p->drill->sec[sec].state = SEC_PENDING;
	p->drill->sec[sec].n = 0;
	p->want |= 1u << sec;
	p->want_serial++;
}

void poller_action(struct poller *p, enum poller_act act,
		   const struct bt_pid *pid)
{
	p->act = act;
	if (pid)
		p->act_pid = *pid;
	p->act_serial++;
	if (act == ACT_BINLEAK) {
		drill_reset(p->drill, DRILL_BINLEAK);
		p->drill->sec[SEC_INFO].state = SEC_PENDING;
		p->drill_serial++;
		p->bl_phase = BL_BEFORE;
	}
}

static struct dreq *new_req(struct poller *p, unsigned serial, int what)
{
	int i;

	for (i = 0; i < DREQ_SLOTS; i++)
		if (!p->dreq[i].used) {
			p->dreq[i] = (struct dreq){ p, serial, what, 1 };
			return &p->dreq[i];
		}
	return NULL;
}

/* The table as ets functions take it: its name if named, else its id. */
static struct qval tab_val(const struct drill *d)
{
	if (d->tab.len)
		return qval_ptr("Tab", QV_REF, &d->tab, 0);
	return qval_ptr("Tab", QV_ATOM, d->tabname, 0);
}

/* The result of an action, for the status line: "what: how". */
static void set_act_result(struct poller *p, unsigned serial, const char *what,
			   const char *how)
{
	poller_lock(p);
	snprintf(p->act_result, sizeof p->act_result, "%.60s: %.180s", what, how);
	p->act_done = serial;
	poller_unlock(p);
	poller_wake(p);
}

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

static void binleak_report(struct poller *p, struct tdec *r)
{
	struct drill *d = p->drill;
	struct dsection *s = &d->sec[SEC_INFO];
	struct keymap map;
	uint64_t *after = calloc(p->bl_n + 1, sizeof *after), mem, total = 0;
	size_t top[BINLEAK_TOP], n, i;
	int arity, len, k;
	char b1[32], b2[32], b3[32], pid[32];

	keymap_init(&map);
	if (!after || keymap_reset(&map, p->bl_n) < 0 || tdec_tuple(r, &arity) < 0 ||
	    arity != 2 || tdec_u64(r, &mem) < 0 || tdec_list(r, &len) < 0) {
		free(after);
		keymap_free(&map);
		snprintf(s->why, sizeof s->why, "unexpected answer");
		s->state = SEC_FAILED;
		return;
	}
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
	/* Processes missing after the collection hold nothing now: all of
	 * theirs was freed (or they died). */
	{
		struct bl_ctx c = { p->bl_before, after };

		n = topn_select(&c, p->bl_n, bl_key, BINLEAK_TOP, 0, top);
		for (i = 0; i < p->bl_n; i++)
			if (after[i] < p->bl_before[i].bytes)
				total += p->bl_before[i].bytes - after[i];
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
	}
	free(after);
	keymap_free(&map);
}

/* binleak_scan's answer, the first time: keep it to compare. */
static int binleak_keep(struct poller *p, struct tdec *r)
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

static int issue(struct poller *p, struct collector *col, int what,
		 unsigned serial);

static void fill_creation(struct poller *p, struct bt_pid *pid)
{
	const struct snapshot *s = p->m ? p->m->cur : NULL;
	long i;

	if (!s || s->n_procs == 0)
		return;
	i = model_find_proc(p->m, pid);
	pid->creation = s->procs[i >= 0 ? (size_t)i : 0].pid.creation;
}

static void on_reply(void *ctx, struct tdec *r, const char *why)
{
	struct dreq req = *(struct dreq *)ctx;
	struct poller *p = req.p;
	struct drill *d = p->drill;
	char buf[200];

	((struct dreq *)ctx)->used = 0;
	if (req.what == Q_ACT) {
		char pid[32];

		fmt_pid(pid, sizeof pid, &p->act_pid);
		if (!r) {
			set_act_result(p, req.serial, pid, why);
			return;
		}
		snprintf(buf, sizeof buf, "ok (the node answered ");
		tdec_print(r, buf + strlen(buf), sizeof buf - strlen(buf) - 1);
		strcat(buf, ")");
		set_act_result(p, req.serial, pid, buf);
		return;
	}
	poller_lock(p);
	if (req.serial != (req.what >= Q_BL_BEFORE ? p->bl_serial : p->drill_serial)) {
		poller_unlock(p); /* looking at something else by now */
		return;
	}
	switch (req.what) {
	case Q_INFO:
		p->info_inflight = 0;
		if (d->kind == DRILL_PROC)
			drill_proc_info(d, r, why);
		if (p->detail_after_info) {
			p->detail_after_info = 0;
			poller_unlock(p);
			issue(p, NULL, Q_DETAIL, req.serial);
			poller_wake(p);
			return;
		}
		else if (d->kind == DRILL_ETS)
			drill_ets_info(d, r, why);
		else if (d->kind == DRILL_PORT)
			drill_port_info(d, r, why);
		break;
	case Q_DETAIL:
		drill_proc_detail(d, r, why);
		break;
	case Q_BINARY:
		drill_proc_binary(d, r, why);
		break;
	case Q_MSGS:
		if (drill_proc_messages(d, r, why, !p->read_only)) {
			/* Too long or too big to copy: watch what arrives. */
			poller_unlock(p);
			issue(p, NULL, Q_SAMPLE, req.serial);
			poller_wake(p);
			return;
		}
		break;
	case Q_SAMPLE:
		drill_proc_sample(d, r, why);
		break;
	case Q_STATE:
		drill_proc_state(d, r, why);
		break;
	case Q_OBJECTS:
		drill_ets_objects(d, r, why);
		break;
	case Q_NAME:
		if (r && tdec_pid(r, &d->pid) == 0) {
			p->want_name[0] = '\0';
			p->sent_drill = 0; /* now ask about the pid */
		} else {
			d->sec[SEC_INFO].state = SEC_FAILED;
			d->no_such_name = r != NULL;
			snprintf(d->sec[SEC_INFO].why, sizeof d->sec[SEC_INFO].why,
				 r ? "no process is registered as %.160s" :
				 "cannot look %.100s up: %.90s", p->want_name, why);
		}
		break;
	case Q_BL_BEFORE:
		if (!r || binleak_keep(p, r) < 0) {
			p->bl_phase = BL_DONE;
			d->sec[SEC_INFO].state = SEC_FAILED;
			snprintf(d->sec[SEC_INFO].why, sizeof d->sec[SEC_INFO].why,
				 "bin_leak: measuring failed: %s", why ? why : "bad answer");
			break;
		}
		p->bl_phase = BL_GC;
		poller_unlock(p);
		issue(p, NULL, Q_BL_GC, req.serial);
		poller_wake(p);
		return;
	case Q_BL_GC:
		if (!r) {
			p->bl_phase = BL_DONE;
			d->sec[SEC_INFO].state = SEC_FAILED;
			snprintf(d->sec[SEC_INFO].why, sizeof d->sec[SEC_INFO].why,
				 "bin_leak: garbage collection %s", why);
			break;
		}
		p->bl_phase = BL_AFTER;
		poller_unlock(p);
		issue(p, NULL, Q_BL_AFTER, req.serial);
		poller_wake(p);
		return;
	case Q_BL_AFTER:
		p->bl_phase = BL_DONE;
		if (r)
			binleak_report(p, r);
		else {
			d->sec[SEC_INFO].state = SEC_FAILED;
			snprintf(d->sec[SEC_INFO].why, sizeof d->sec[SEC_INFO].why,
				 "bin_leak: measuring again %s", why);
		}
		break;
	}
	poller_unlock(p);
	poller_wake(p);
}

/* Sends one query; the snapshot of the request is taken under the lock by
 * the caller.  Returns what collect returned. */
static int issue(struct poller *p, struct collector *col, int what,
		 unsigned serial)
{
	struct drill d;
	struct tenc *t;
	struct dreq *req;
	struct qargs a = { 0 };
	long cap;
	int rc;

	/* Steps that follow one another from reply handlers (bin_leak) use
	 * the thread's current collector. */
	if (!col)
		col = p->col;
	if (!col)
		return -1;
	req = new_req(p, serial, what);
	if (!req)
		return -3; /* every slot waits for an answer: try again later */
	poller_lock(p);
	/* A pid typed on the command line has no creation: the node's is
	 * that of its processes (a pid of another incarnation is gone). */
	if (p->drill->kind == DRILL_PROC && p->drill->pid.creation == 0)
		fill_creation(p, &p->drill->pid);
	p->drill->mark = *collect_mark(col);
	p->drill->cap = p->drill_cap ? p->drill_cap : DRILL_CAP_BYTES;
	cap = (long)p->drill->cap;
	d.kind = p->drill->kind;
	d.pid = p->drill->pid;
	d.port = p->drill->port;
	d.tab = p->drill->tab;
	snprintf(d.tabname, sizeof d.tabname, "%s", p->drill->tabname);
	poller_unlock(p);
	switch (what) {
	case Q_INFO:
		if (d.kind == DRILL_ETS) {
			t = collect_encoder(col);
			tenc_reset(t);
			tenc_list(t, 1);
			if (d.tab.len)
				tenc_ref(t, &d.tab, p->node, d.tab.creation);
			else
				tenc_atom(t, d.tabname);
			tenc_nil(t);
			return collect_side(col, "ets", "info", t, 0, on_reply, req);
		}
		if (d.kind == DRILL_PORT) {
			qargs_add(&a, qval_ptr("Port", QV_PORT, &d.port, 0));
			return collect_query(col, QUERY_PORT_INFO, &a, 0, on_reply, req);
		} else {
			const char *items;
			int len;

			t = collect_encoder(col);
			collect_proc_info_items(col, t);
			items = tenc_data(t, &len);
			qargs_add(&a, qval_ptr("Items", QV_RAW, items, len));
			qargs_add(&a, qval_ptr("Pid", QV_PID, &d.pid, 0));
			return collect_query(col, QUERY_PROC_INFO, &a, 0, on_reply, req);
		}
	case Q_DETAIL:
		qargs_add(&a, qval_int("Cap", cap));
		qargs_add(&a, qval_ptr("Pid", QV_PID, &d.pid, 0));
		return collect_query(col, QUERY_PROC_DETAIL, &a, 0, on_reply, req);
	case Q_BINARY:
		qargs_add(&a, qval_ptr("Pid", QV_PID, &d.pid, 0));
		return collect_query(col, QUERY_PROC_BINARY, &a, 0, on_reply, req);
	case Q_MSGS:
		qargs_add(&a, qval_int("Cap", cap));
		qargs_add(&a, qval_int("MaxCopy", DRILL_MSGS_MAX_COPY));
		qargs_add(&a, qval_int("N", DRILL_MSGS_N));
		qargs_add(&a, qval_ptr("Pid", QV_PID, &d.pid, 0));
		return collect_query(col, QUERY_PROC_MESSAGES, &a, 0, on_reply, req);
	case Q_SAMPLE:
		qargs_add(&a, qval_int("N", DRILL_MSGS_N));
		qargs_add(&a, qval_ptr("Pid", QV_PID, &d.pid, 0));
		qargs_add(&a, qval_int("Wait", DRILL_SAMPLE_MS));
		rc = collect_query(col, QUERY_PROC_SAMPLE, &a, DRILL_SAMPLE_MS + 5000,
				   on_reply, req);
		if (rc == -2) /* read-only after all */
			on_reply(req, NULL, "not sampled: --read-only");
		return rc == -2 ? 0 : rc;
	case Q_STATE:
		qargs_add(&a, qval_int("Cap", cap));
		qargs_add(&a, qval_ptr("Pid", QV_PID, &d.pid, 0));
		qargs_add(&a, qval_int("Wait", STATE_WAIT_MS));
		return collect_query(col, QUERY_PROC_STATE, &a, STATE_WAIT_MS + 5000,
				     on_reply, req);
	case Q_OBJECTS:
		qargs_add(&a, qval_int("Cap", cap));
		qargs_add(&a, qval_int("K", DRILL_OBJECTS_K));
		qargs_add(&a, tab_val(&d));
		return collect_query(col, QUERY_ETS_OBJECTS, &a, 0, on_reply, req);
	case Q_NAME: {
		char name[256];

		poller_lock(p);
		/* An Elixir alias as typed (MyApp.Worker) is 'Elixir.MyApp.Worker'. */
		snprintf(name, sizeof name, "%s%.240s",
			 p->want_name[0] >= 'A' && p->want_name[0] <= 'Z' ? "Elixir." : "",
			 p->want_name);
		poller_unlock(p);
		qargs_add(&a, qval_ptr("Name", QV_BINARY, name, (int)strlen(name)));
		return collect_query(col, QUERY_PROC_BY_NAME, &a, 0, on_reply, req);
	}
	case Q_ACT: {
		enum poller_act act;
		struct bt_pid pid;

		t = collect_encoder(col);
		tenc_reset(t);
		poller_lock(p);
		act = p->act;
		pid = p->act_pid;
		poller_unlock(p);
		tenc_list(t, act == ACT_KILL ? 2 : 1);
		tenc_pid(t, &pid, p->node);
		if (act == ACT_KILL)
			tenc_atom(t, "kill");
		tenc_nil(t);
		rc = collect_action(col, "erlang", act == ACT_KILL ? "exit" :
				    "garbage_collect", t, 0, on_reply, req);
		if (rc == -2) {
			req->used = 0;
			set_act_result(p, serial, "refused", "beamtop is read-only");
			return 0;
		}
		return rc;
	}
	case Q_BL_BEFORE:
	case Q_BL_AFTER:
		return collect_query(col, QUERY_BINLEAK_SCAN, NULL, BINLEAK_MS, on_reply,
				     req);
	case Q_BL_GC:
		rc = collect_query(col, QUERY_BINLEAK_GC, NULL, BINLEAK_MS, on_reply, req);
		if (rc == -2) {
			req->used = 0;
			poller_lock(p);
			p->bl_phase = BL_DONE;
			p->drill->sec[SEC_INFO].state = SEC_FAILED;
			snprintf(p->drill->sec[SEC_INFO].why,
				 sizeof p->drill->sec[SEC_INFO].why,
				 "bin_leak refused: beamtop is read-only");
			poller_unlock(p);
			poller_wake(p);
			return 0;
		}
		return rc;
	}
	return 0;
}

void drill_hook(struct poller *p, struct collector *col)
{
	unsigned serial, want, want_serial, act_serial;
	enum poller_act act;
	enum drill_kind kind;
	int named, typed, i;

	poller_lock(p);
	serial = p->drill_serial;
	kind = p->drill->kind;
	named = p->want_name[0] != '\0';
	typed = p->drill->pid.creation == 0;
	want = p->want;
	want_serial = p->want_serial;
	act = p->act;
	act_serial = p->act_serial;
	poller_unlock(p);

	/* Until the node has said which atoms it has, nothing is asked. */
	if (!collect_ready(col))
		return;
	if (act_serial != p->sent_act) {
		p->sent_act = act_serial;
		if (act == ACT_BINLEAK) {
			p->bl_serial = serial;
			issue(p, col, Q_BL_BEFORE, serial);
		} else if (act != ACT_NONE) {
			issue(p, col, Q_ACT, act_serial);
		}
	}
	if (kind == DRILL_NONE || kind == DRILL_BINLEAK)
		return;
	/* A typed pid waits for the first snapshot, which tells the node's
	 * creation (see fill_creation()). */
	if (kind == DRILL_PROC && !named && typed &&
	    (!p->m->cur || p->m->cur->n_procs == 0))
		return;
	if (serial != p->sent_drill) {
		p->sent_drill = serial;
		p->sent_want = 0;
		p->info_inflight = 1;
		if (issue(p, col, named ? Q_NAME : Q_INFO, serial) == -3) {
			p->sent_drill = 0; /* no slot free: the next hook asks */
			p->info_inflight = 0;
			return;
		}
		/* The parts of any size are read once, when the drill-down
		 * opens (and again on request), never every refresh: after the
		 * summary, so that the process handling our reading of them is
		 * not what the summary's status shows. */
		p->detail_after_info = !named && kind == DRILL_PROC;
		return;
	}
	if (named)
		return; /* the name is not resolved yet */
	if (want_serial != p->sent_want) {
		unsigned sent = want, again = 0;

		p->sent_want = want_serial;
		for (i = 0; i < SEC_COUNT_; i++) {
			if (!(want & (1u << i)))
				continue;
			if (issue(p, col, i == SEC_MSGS ? Q_MSGS : i == SEC_STATE ?
				  Q_STATE : i == SEC_BINARY ? Q_BINARY :
				  i == SEC_OBJECTS ? Q_OBJECTS : Q_DETAIL, serial) == -3)
				again |= 1u << i;
			if (i == SEC_LINKS || i == SEC_DICT || i == SEC_ANCESTORS)
				want &= ~((1u << SEC_LINKS) | (1u << SEC_DICT) |
					  (1u << SEC_ANCESTORS));
		}
		poller_lock(p);
		/* What the screen asked meanwhile stays, and so does what found
		 * no free slot (asked again by the next hook). */
		p->want = (p->want & ~sent) | again;
		if (again)
			p->sent_want = 0;
		poller_unlock(p);
	}
}

void drill_after_refresh(struct poller *p, struct collector *col)
{
	enum drill_kind kind;
	unsigned serial;
	int named;

	poller_lock(p);
	kind = p->drill->kind;
	serial = p->drill_serial;
	named = p->want_name[0] != '\0';
	poller_unlock(p);
	/* Keep the summary live while it is on screen. */
	if (kind != DRILL_NONE && kind != DRILL_BINLEAK && !named &&
	    serial == p->sent_drill && !p->info_inflight) {
		p->info_inflight = 1;
		if (issue(p, col, Q_INFO, serial) == -3)
			p->info_inflight = 0;
	}
}

void drill_link_lost(struct poller *p)
{
	int i;

	/* Replies to these will never come: ask again once reconnected. */
	for (i = 0; i < DREQ_SLOTS; i++)
		p->dreq[i].used = 0;
	p->info_inflight = 0;
	p->sent_drill = 0;
	poller_lock(p);
	if (p->bl_phase != BL_IDLE && p->bl_phase != BL_DONE) {
		p->bl_phase = BL_DONE;
		p->drill->sec[SEC_INFO].state = SEC_FAILED;
		snprintf(p->drill->sec[SEC_INFO].why, sizeof p->drill->sec[SEC_INFO].why,
			 "bin_leak: the connection was lost");
	}
	poller_unlock(p);
}
