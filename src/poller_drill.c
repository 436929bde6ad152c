/*
 * poller_drill.c - the connection thread's side of the drill-down and of
 * the actions: the requests that fill a struct drill, the summary that is
 * asked again after every refresh while the drill-down is open, the
 * confirmed actions (kill, garbage collect), and bin_leak's three steps.
 *
 * Every request is a row of dr_rows: the query it sends (or the plain
 * call), how its values are made from the target, and what its answer
 * does, which may be to ask the next request.  Requests wait in a
 * dreq_queue until they can go, so that none is lost when the collector
 * is busy.  Whether a request may change the node is its query's to say
 * (query.h), never this file's: the collector refuses a mutating query on
 * a read-only connection, and the refusal is answered like a failure.
 *
 * The screen only writes requests under the lock; everything here runs on
 * the connection thread, from the collector's hook or after a refresh.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/poller.h"
#include "poller_priv.h"

/* Bounds of what the node copies and sends back (see src/queries/ and
 * drill.h). */
#define STATE_WAIT_MS 2000
#define BINLEAK_MS 300000  /* a step of bin_leak may take minutes */

/* From the screen: each takes the lock (the drill-down is read by the
 * screen's frames under it). */
static void set_target(struct poller *p, enum drill_kind kind,
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

void poller_drill(struct poller *p, enum drill_kind kind,
		  const struct bt_pid *pid, const struct bt_port *port,
		  const struct bt_ref *tab, const char *tabname)
{
	poller_lock(p);
	set_target(p, kind, pid, port, tab, tabname);
	poller_unlock(p);
}

void poller_drill_name(struct poller *p, const char *name)
{
	poller_lock(p);
	set_target(p, DRILL_PROC, NULL, NULL, NULL, NULL);
	snprintf(p->want_name, sizeof p->want_name, "%s", name);
	poller_unlock(p);
}

void poller_drill_want(struct poller *p, enum drill_sec sec)
{
	poller_lock(p);
	p->drill->sec[sec].state = SEC_PENDING;
	p->drill->sec[sec].n = 0;
	p->want |= 1u << sec;
	p->want_serial++;
	poller_unlock(p);
}

void poller_action(struct poller *p, enum poller_act act,
		   const struct bt_pid *pid)
{
	poller_lock(p);
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
	poller_unlock(p);
}

/* The values of the queries, from the target as it was when sent. */
static void args_proc_info(struct collector *col, const struct dr_view *v,
			   struct qargs *a)
{
	struct tenc *t = collect_encoder(col);
	const char *items;
	int len;

	collect_proc_info_items(col, t);
	items = tenc_data(t, &len);
	qargs_add(a, qval_ptr("Items", QV_RAW, items, len));
	qargs_add(a, qval_ptr("Pid", QV_PID, &v->pid, 0));
}

static void args_port(struct collector *col, const struct dr_view *v,
		      struct qargs *a)
{
	(void)col;
	qargs_add(a, qval_ptr("Port", QV_PORT, &v->port, 0));
}

/* The name as typed ('quoted' or :atom as the shells write it), and an
 * Elixir alias typed as Elixir writes it (MyApp.Worker) as the atom it
 * stands for too: 'Elixir.MyApp.Worker'. */
static void args_name(struct collector *col, const struct dr_view *v,
		      struct qargs *a)
{
	struct tenc *t = collect_encoder(col);
	char atom[256], alias[264];
	const char *raw;
	int len, two;

	parse_name(v->name, atom, sizeof atom);
	two = atom[0] >= 'A' && atom[0] <= 'Z' && strncmp(atom, "Elixir.", 7) != 0;
	snprintf(alias, sizeof alias, "Elixir.%s", atom);
	tenc_reset(t);
	tenc_list(t, two ? 2 : 1);
	tenc_binary(t, atom, (int)strlen(atom));
	if (two)
		tenc_binary(t, alias, (int)strlen(alias));
	tenc_nil(t);
	raw = tenc_data(t, &len);
	qargs_add(a, qval_ptr("Names", QV_RAW, raw, len));
}

static void args_pid(struct collector *col, const struct dr_view *v,
		     struct qargs *a)
{
	(void)col;
	qargs_add(a, qval_ptr("Pid", QV_PID, &v->pid, 0));
}

static void args_cap_pid(struct collector *col, const struct dr_view *v,
			 struct qargs *a)
{
	args_pid(col, v, a);
	qargs_add(a, qval_int("Cap", v->cap));
}

static void args_msgs(struct collector *col, const struct dr_view *v,
		      struct qargs *a)
{
	args_cap_pid(col, v, a);
	/* Past the count, a long queue is copied only once C was confirmed:
	 * then its size in bytes (the cap) is the only bound. */
	qargs_add(a, qval_int("MaxCopy", v->cap > DRILL_CAP_BYTES ? LONG_MAX / 2 :
			      DRILL_MSGS_MAX_COPY));
	qargs_add(a, qval_int("N", DRILL_MSGS_N));
}

static void args_sample(struct collector *col, const struct dr_view *v,
			struct qargs *a)
{
	args_pid(col, v, a);
	qargs_add(a, qval_int("N", DRILL_MSGS_N));
	qargs_add(a, qval_int("Wait", DRILL_SAMPLE_MS));
}

static void args_state(struct collector *col, const struct dr_view *v,
		       struct qargs *a)
{
	args_cap_pid(col, v, a);
	qargs_add(a, qval_int("Wait", STATE_WAIT_MS));
}

/* The table as ets functions take it: its name if named, else its id. */
static struct qval tab_val(const struct dr_view *v)
{
	if (v->tab.len)
		return qval_ptr("Tab", QV_REF, &v->tab, 0);
	return qval_ptr("Tab", QV_ATOM, v->tabname, 0);
}

static void args_objects(struct collector *col, const struct dr_view *v,
			 struct qargs *a)
{
	(void)col;
	qargs_add(a, qval_int("Cap", v->cap));
	qargs_add(a, qval_int("K", DRILL_OBJECTS_K));
	qargs_add(a, tab_val(v));
}

/* The two plain calls: ets:info(Tab), and the actions. */
static int call_ets_info(struct collector *col, const struct dr_view *v,
			 side_fn fn, void *ctx)
{
	struct tenc *t = collect_encoder(col);

	tenc_reset(t);
	tenc_list(t, 1);
	if (v->tab.len)
		tenc_ref(t, &v->tab, v->node, v->tab.creation);
	else
		tenc_atom(t, v->tabname);
	tenc_nil(t);
	return collect_side(col, "ets", "info", t, 0, fn, ctx);
}

static int call_act(struct collector *col, const struct dr_view *v,
		    side_fn fn, void *ctx)
{
	struct tenc *t = collect_encoder(col);
	int kill = v->act == ACT_KILL;

	tenc_reset(t);
	tenc_list(t, kill ? 2 : 1);
	tenc_pid(t, &v->act_pid, v->node);
	if (kill)
		tenc_atom(t, "kill");
	tenc_nil(t);
	return collect_action(col, "erlang", kill ? "exit" : "garbage_collect", t,
			      0, fn, ctx);
}

/* The answers, under the lock. */
static int answer_proc_info(struct poller *p, unsigned serial, struct tdec *r,
			    const char *why)
{
	(void)serial;
	drill_proc_info(p->drill, r, why);
	/* The parts of any size are read once, when the drill-down opens
	 * (and again on request), never every refresh: after the summary,
	 * so that the process handling our reading of them is not what the
	 * summary's status shows. */
	if (!p->detail_after_info)
		return -1;
	p->detail_after_info = 0;
	return DR_DETAIL;
}

static int answer_name(struct poller *p, unsigned serial, struct tdec *r,
		       const char *why)
{
	struct drill *d = p->drill;
	struct dsection *s = &d->sec[SEC_INFO];

	(void)serial;
	if (r && tdec_pid(r, &d->pid) == 0) {
		p->want_name[0] = '\0';
		p->sent_drill = 0; /* now ask about the pid */
		return -1;
	}
	s->state = SEC_FAILED;
	d->no_such_name = r != NULL;
	snprintf(s->why, sizeof s->why, r ? "no process is registered as %.160s" :
		 "cannot look %.100s up: %.90s", p->want_name, why);
	return -1;
}

static int answer_msgs(struct poller *p, unsigned serial, struct tdec *r,
		       const char *why)
{
	/* A queue too long or too big to copy is sampled as it arrives,
	 * which traces the process: the sampling query says whether that
	 * may be done here. */
	int can = p->eng->col && collect_query_allowed(p->eng->col, dr_rows[DR_SAMPLE].query);

	(void)serial;
	return drill_proc_messages(p->drill, r, why, can) ? DR_SAMPLE : -1;
}

/* The result of an action, for the status line: "pid: how". */
static int answer_act(struct poller *p, unsigned serial, struct tdec *r,
		      const char *why)
{
	char pid[32], how[200] = "ok (the node answered ";
	size_t at = strlen(how);

	fmt_pid(pid, sizeof pid, &p->act_pid);
	if (r) {
		tdec_print(r, how + at, sizeof how - at - 1);
		strcat(how, ")");
	}
	snprintf(p->act_result, sizeof p->act_result, "%.60s: %.180s", pid,
		 r ? how : why);
	p->act_done = serial;
	return -1;
}

/* A query whose answer is taken by a function of the poller's (answer)
 * or by drill.c alone (render); a plain call, likewise. */
#define QA(id, tmo, scope, args, answer) { id, tmo, scope, args, NULL, answer, NULL }
#define QR(id, tmo, scope, args, render) { id, tmo, scope, args, NULL, NULL, render }
#define CALL(scope, call, answer, render) \
	{ QUERY_COUNT_, 0, scope, NULL, call, answer, render }
const struct dr_row dr_rows[DR_COUNT_] = {
	[DR_PROC_INFO] = QA(QUERY_PROC_INFO, 0, DR_SCOPE_DRILL, args_proc_info,
			    answer_proc_info),
	[DR_ETS_INFO] = CALL(DR_SCOPE_DRILL, call_ets_info, NULL, drill_ets_info),
	[DR_PORT_INFO] = QR(QUERY_PORT_INFO, 0, DR_SCOPE_DRILL, args_port,
			    drill_port_info),
	[DR_NAME] = QA(QUERY_PROC_BY_NAME, 0, DR_SCOPE_DRILL, args_name,
		       answer_name),
	[DR_DETAIL] = QR(QUERY_PROC_DETAIL, 0, DR_SCOPE_DRILL, args_cap_pid,
			 drill_proc_detail),
	[DR_MSGS] = QA(QUERY_PROC_MESSAGES, 0, DR_SCOPE_DRILL, args_msgs,
		       answer_msgs),
	[DR_SAMPLE] = QR(QUERY_PROC_SAMPLE, DRILL_SAMPLE_MS + 5000, DR_SCOPE_DRILL,
			 args_sample, drill_proc_sample),
	[DR_STATE] = QR(QUERY_PROC_STATE, STATE_WAIT_MS + 5000, DR_SCOPE_DRILL,
			args_state, drill_proc_state),
	[DR_OBJECTS] = QR(QUERY_ETS_OBJECTS, 0, DR_SCOPE_DRILL, args_objects,
			  drill_ets_objects),
	[DR_BINARY] = QR(QUERY_PROC_BINARY, 0, DR_SCOPE_DRILL, args_pid,
			 drill_proc_binary),
	[DR_ACT] = CALL(DR_SCOPE_ACT, call_act, answer_act, NULL),
	[DR_BL_BEFORE] = QA(QUERY_BINLEAK_SCAN, BINLEAK_MS, DR_SCOPE_BINLEAK, binleak_args_before,
			    binleak_measured),
	[DR_BL_GC] = QA(QUERY_BINLEAK_GC, BINLEAK_MS, DR_SCOPE_BINLEAK, NULL,
			binleak_collected),
	[DR_BL_AFTER] = QA(QUERY_BINLEAK_SCAN, BINLEAK_MS, DR_SCOPE_BINLEAK, binleak_args_after,
			   binleak_measured_again),
};
#undef QA
#undef QR
#undef CALL

/* Is serial still what the request's scope is about?  Under the lock. */
static int current(const struct poller *p, enum dr_scope scope, unsigned serial)
{
	if (scope == DR_SCOPE_DRILL)
		return serial == p->drill_serial;
	if (scope == DR_SCOPE_BINLEAK)
		return serial == p->bl_serial;
	return 1;
}

static void flush(struct poller *p, struct collector *col);

static void on_reply(void *ctx, struct tdec *r, const char *why)
{
	struct dreq_slot req = *(struct dreq_slot *)ctx;
	struct poller *p = req.owner;
	const struct dr_row *row = &dr_rows[req.kind];
	int next = -1;

	dreq_done(ctx);
	if (row->scope == DR_SCOPE_BINLEAK) {
		/* bin_leak's answers hold every process: they take the lock
		 * themselves, only to write.  (Its serial is this thread's.) */
		if (current(p, row->scope, req.serial))
			next = row->answer(p, req.serial, r, why);
	} else {
		poller_lock(p);
		/* (Not current: the screen looks at something else by now.) */
		if (current(p, row->scope, req.serial)) {
			if (row->answer)
				next = row->answer(p, req.serial, r, why);
			else
				row->render(p->drill, r, why);
		}
		poller_unlock(p);
	}
	if (next >= 0) {
		dreq_want(&p->dq, next, req.serial);
		flush(p, p->eng->col);
	}
	poller_wake(p);
}

static void fill_creation(struct poller *p, struct bt_pid *pid)
{
	const struct snapshot *s = p->eng->m->cur;
	long i;

	if (!s || s->n_procs == 0)
		return;
	i = model_find_proc(p->eng->m, pid);
	pid->creation = s->procs[i >= 0 ? (size_t)i : 0].pid.creation;
}

/* Copies what request req needs under the lock.  0 when it is no longer
 * wanted (its target changed). */
static int take_view(struct poller *p, struct collector *col,
		     const struct dreq_slot *req, struct dr_view *v)
{
	struct drill *d = p->drill;
	int ok;

	poller_lock(p);
	ok = current(p, dr_rows[req->kind].scope, req->serial);
	if (ok) {
		/* A pid typed on the command line has no creation: the
		 * node's is that of its processes (a pid of another
		 * incarnation is gone). */
		if (d->kind == DRILL_PROC && d->pid.creation == 0)
			fill_creation(p, &d->pid);
		d->mark = *collect_mark(col);
		d->cap = p->drill_cap ? p->drill_cap : DRILL_CAP_BYTES;
		v->kind = d->kind;
		v->pid = d->pid;
		v->port = d->port;
		v->tab = d->tab;
		snprintf(v->tabname, sizeof v->tabname, "%s", d->tabname);
		v->cap = (long)d->cap;
		snprintf(v->name, sizeof v->name, "%s", p->want_name);
		v->act = p->act;
		v->act_pid = p->act_pid;
	}
	poller_unlock(p);
	v->node = p->eng->node;
	return ok;
}

/* dreq_flush()'s sender: one request, by its row. */
static enum dreq_sent send_one(void *ctx, struct dreq_slot *req)
{
	struct collector *col = ctx;
	struct poller *p = req->owner;
	const struct dr_row *row = &dr_rows[req->kind];
	struct dr_view v;
	struct qargs a = { 0 };
	int rc;

	if (!take_view(p, col, req, &v))
		return DREQ_DROPPED;
	if (row->call) {
		rc = row->call(col, &v, on_reply, req);
	} else {
		if (row->args)
			row->args(col, &v, &a);
		rc = collect_query(col, row->query, &a, row->timeout_ms, on_reply, req);
	}
	if (rc == -2) {
		/* Refused (it would change a read-only node): say so where
		 * its answer would have gone. */
		on_reply(req, NULL, "refused: beamtop is read-only");
		return DREQ_SENT;
	}
	/* Not sent (no room among the calls in flight, or the link is
	 * going: then drill_link_lost() forgets it): it goes later. */
	return rc < 0 ? DREQ_LATER : DREQ_SENT;
}

/* Sends what waits, once the node has said which atoms it has (before
 * that every query would be refused). */
static void flush(struct poller *p, struct collector *col)
{
	if (col && collect_ready(col))
		dreq_flush(&p->dq, p, send_one, col);
}

/* The request that opens a drill-down of kind (by name: the lookup). */
static int first_request(enum drill_kind kind, int named)
{
	if (named)
		return DR_NAME;
	return kind == DRILL_ETS ? DR_ETS_INFO : kind == DRILL_PORT ? DR_PORT_INFO :
	       DR_PROC_INFO;
}

/* The request that reads section sec, asked on request. */
static int section_request(int sec)
{
	switch (sec) {
	case SEC_MSGS:
		return DR_MSGS;
	case SEC_STATE:
		return DR_STATE;
	case SEC_BINARY:
		return DR_BINARY;
	case SEC_OBJECTS:
		return DR_OBJECTS;
	default:
		return DR_DETAIL; /* links, dictionary, ancestors: one query */
	}
}

/* What the screen asked since the last hook, into requests. */
static void want_new(struct poller *p)
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

	if (act_serial != p->sent_act) {
		p->sent_act = act_serial;
		if (act == ACT_BINLEAK) {
			p->bl_serial = serial;
			dreq_want(&p->dq, DR_BL_BEFORE, serial);
		} else if (act != ACT_NONE) {
			dreq_want(&p->dq, DR_ACT, act_serial);
		}
	}
	if (kind == DRILL_NONE || kind == DRILL_BINLEAK)
		return;
	/* A typed pid waits for the first snapshot, which tells the node's
	 * creation (see fill_creation()). */
	if (kind == DRILL_PROC && !named && typed &&
	    (!p->eng->m->cur || p->eng->m->cur->n_procs == 0))
		return;
	if (serial != p->sent_drill) {
		p->sent_drill = serial;
		p->sent_want = 0;
		p->detail_after_info = !named && kind == DRILL_PROC;
		dreq_want(&p->dq, first_request(kind, named), serial);
		return;
	}
	if (named || want_serial == p->sent_want)
		return; /* (named: the name is not resolved yet) */
	p->sent_want = want_serial;
	for (i = 0; i < SEC_COUNT_; i++)
		if (want & (1u << i))
			dreq_want(&p->dq, section_request(i), serial);
	/* What the screen asked meanwhile stays for the next hook. */
	poller_lock(p);
	p->want &= ~want;
	poller_unlock(p);
}

void drill_hook(struct poller *p, struct collector *col)
{
	/* Until the node has said which atoms it has, nothing is asked. */
	if (!collect_ready(col))
		return;
	want_new(p);
	flush(p, col);
}

void drill_after_refresh(struct poller *p, struct collector *col)
{
	enum drill_kind kind;
	unsigned serial;
	int named, k;

	poller_lock(p);
	kind = p->drill->kind;
	serial = p->drill_serial;
	named = p->want_name[0] != '\0';
	poller_unlock(p);
	/* Keep the summary live while it is on screen (once at a time). */
	if (kind != DRILL_NONE && kind != DRILL_BINLEAK && !named &&
	    serial == p->sent_drill) {
		k = first_request(kind, 0);
		if (!dreq_busy(&p->dq, k))
			dreq_want(&p->dq, k, serial);
	}
	flush(p, col);
}

void drill_link_lost(struct poller *p)
{
	/* Replies to these will never come: ask again once reconnected. */
	dreq_clear(&p->dq);
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
