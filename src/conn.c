/*
 * conn.c - the one ei connection to the target (see conn.h).
 *
 * This file is the only one that holds the ei connection: it sets our
 * node up, lets ei do the handshake and the framing, sends the calls and
 * reads what comes back.  Finding the node (conn_net.c), making the names
 * (conn_name.c), explaining a refusal (conn_status.c) and keeping the
 * table of calls in flight (conn_calls.c) are done beside it.  We never
 * use ei_rpc: it has no deadline, and it takes any message for its reply.
 */
#include <ei.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "beamtop/clock.h"
#include "beamtop/conn.h"
#include "conn_priv.h"

struct conn {
	ei_cnode ec;
	int fd;
	int read_only;
	FILE *call_log;
	char target[MAXNODELEN + 1];
	unsigned timeout_ms;
	struct conn_calls calls;
	ei_x_buff rx;
	ei_x_buff tx;
	struct conn_relay relay;
	uint64_t bytes_in;
	uint64_t late;
};

/* ei_init() once per process, whichever thread connects first. */
static pthread_once_t ei_once = PTHREAD_ONCE_INIT;
static int ei_init_rc;

static void init_ei(void)
{
	ei_init_rc = ei_init();
}

/* A conn not yet connected, our node set up under nm's names.  NULL with
 * the reason in err. */
static struct conn *conn_new(const struct conn_opts *o,
			     const struct conn_names *nm, unsigned ms, char *err,
			     size_t errlen)
{
	struct conn *c = calloc(1, sizeof *c);

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->fd = -1;
	c->timeout_ms = ms;
	c->read_only = o->read_only;
	if (o->call_log && *o->call_log)
		c->call_log = fopen(o->call_log, "ae");
	snprintf(c->target, sizeof c->target, "%s", o->node);
	if (ei_x_new(&c->rx) < 0 || ei_x_new(&c->tx) < 0) {
		snprintf(err, errlen, "out of memory");
		conn_close(c);
		return NULL;
	}
	/* The creation tells our incarnations apart on the target. */
	if (ei_connect_xinit(&c->ec, nm->self_host, nm->self_alive, nm->self_node,
			     NULL, o->cookie,
			     (unsigned)(time(NULL) & 0x7fffffff) | 1u) < 0) {
		snprintf(err, errlen, "cannot set up our node %s", nm->self_node);
		conn_close(c);
		return NULL;
	}
	return c;
}

/* Connects c to the node at w.  Returns 0, or -1 with the reason in err. */
static int handshake(struct conn *c, const struct conn_where *w,
		     const struct conn_names *nm, const struct conn_opts *o,
		     unsigned ms, char *err, size_t errlen)
{
	/* Probe the port first so that "nothing listens" and "a node refused
	 * us" are told apart: ei reports both as the same -1. */
	struct in_addr addr = w->addr;   /* ei takes it as not const */
	int fd = conn_tcp_connect(&addr, w->port, ms);

	if (fd < 0) {
		if (errno == ECONNREFUSED)
			snprintf(err, errlen, "connection refused by %s port %d "
				 "(node %s not listening there)", w->host, w->port,
				 o->node);
		else if (errno == ETIMEDOUT)
			snprintf(err, errlen, "timed out connecting to %s port %d "
				 "after %u ms", w->host, w->port, ms);
		else
			snprintf(err, errlen, "cannot connect to %s port %d: %s",
				 w->host, w->port, strerror(errno));
		return -1;
	}
	close(fd);
	fd = ei_xconnect_host_port_tmo(&c->ec, &addr, w->port, ms);
	if (fd < 0) {
		if (erl_errno == ETIMEDOUT)
			snprintf(err, errlen, "%s did not complete the handshake within "
				 "%u ms", o->node, ms);
		else
			conn_refusal(w, nm, o, ms, err, errlen);
		return -1;
	}
	c->fd = fd;
	return 0;
}

int conn_open(struct conn **out, const struct conn_opts *o, char *err,
	      size_t errlen)
{
	struct conn_names nm;
	struct conn_where w;
	struct conn *c;
	unsigned ms = o->timeout_ms ? o->timeout_ms : 5000;

	if (pthread_once(&ei_once, init_ei) != 0 || ei_init_rc != 0) {
		snprintf(err, errlen, "cannot initialise erl_interface");
		return -1;
	}
	if (conn_names(&nm, o, err, errlen) < 0)
		return -1;
	/* --address: where to connect when NAME's host is not reachable by
	 * that name (an ssh tunnel, a container's published port). */
	w.host = o->address && *o->address ? o->address : nm.host;
	if (conn_locate(&w, o, nm.alive, ms, err, errlen) < 0)
		return -1;
	c = conn_new(o, &nm, ms, err, errlen);
	if (!c)
		return -1;
	if (handshake(c, &w, &nm, o, ms, err, errlen) < 0) {
		conn_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

void conn_close(struct conn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->call_log)
		fclose(c->call_log);
	ei_x_free(&c->rx);
	ei_x_free(&c->tx);
	conn_calls_free(&c->calls);
	free(c);
}

void conn_cancel(struct conn *c, unsigned id)
{
	int i = conn_calls_find_id(&c->calls, id);

	if (i >= 0)
		conn_calls_drop(&c->calls, i);
}

int conn_pending(const struct conn *c)
{
	return c->calls.n;
}

static void io_error(const struct conn *c, const char *what, char *err,
		     size_t errlen)
{
	/* ei says EIO both for a node that went away and for one that
	 * dropped us; name both. */
	snprintf(err, errlen, "connection to %s lost while %s (node down, or "
		 "it dropped us)", c->target, what);
}

/* The connection failed while `what`: said in err, and closed (a stream
 * left mid-frame cannot be read on). */
static void lose(struct conn *c, const char *what, char *err, size_t errlen)
{
	io_error(c, what, err, errlen);
	close(c->fd);
	c->fd = -1;
}

int conn_is_mutating(const char *mod, const char *fun)
{
	static const char *const bifs[][2] = {
		{ "erlang", "exit" }, { "erlang", "garbage_collect" },
		{ "erlang", "suspend_process" }, { "erlang", "resume_process" },
		{ "erlang", "halt" }, { "erlang", "purge_module" },
		{ "erlang", "delete_module" }, { "erlang", "load_module" },
		{ "init", "stop" }, { "init", "restart" }, { "init", "reboot" },
		{ "code", "purge" }, { "code", "load_binary" },
		{ "application", "stop" }, { "supervisor", "terminate_child" },
	};
	size_t i;

	for (i = 0; i < sizeof bifs / sizeof bifs[0]; i++)
		if (strcmp(mod, bifs[i][0]) == 0 && strcmp(fun, bifs[i][1]) == 0)
			return 1;
	return 0;
}

/* One line per call in the call log (the tests read it), and with
 * BEAMTOP_CALL_LOG_ARGS the end of its arguments too. */
static void log_call(struct conn *c, const struct conn_req *r,
		     const char *abytes)
{
	char *text = NULL;
	int at = 0;

	if (!c->call_log)
		return;
	fprintf(c->call_log, "%s:%s %s%s\n", r->mod, r->fun,
		r->label ? r->label : "-", r->mutating ? " mutating" : "");
	if (getenv("BEAMTOP_CALL_LOG_ARGS") && abytes &&
	    ei_s_print_term(&text, abytes, &at) >= 0) {
		size_t l = strlen(text);

		fprintf(c->call_log, "  %s\n", l > 600 ? text + l - 600 : text);
	}
	free(text);
	fflush(c->call_log);
}

void conn_log(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	/* (Only with the arguments: the tests count the call log's lines.) */
	if (!c->call_log || !getenv("BEAMTOP_CALL_LOG_ARGS"))
		return;
	va_start(ap, fmt);
	vfprintf(c->call_log, fmt, ap);
	va_end(ap);
	fputc('\n', c->call_log);
	fflush(c->call_log);
}

long conn_call(struct conn *c, const struct conn_req *r, char *err,
	       size_t errlen)
{
	erlang_ref ref;
	long id;
	int alen = 0;
	const char *abytes = r->args ? tenc_data(r->args, &alen) : NULL;
	unsigned tmo = r->timeout_ms ? r->timeout_ms : c->timeout_ms;

	if (c->read_only && (r->mutating || conn_is_mutating(r->mod, r->fun))) {
		snprintf(err, errlen, "%s is not allowed: beamtop is read-only",
			 r->label ? r->label : r->fun);
		return CONN_REFUSED;
	}
	if (c->fd < 0) {
		snprintf(err, errlen, "not connected to %s", c->target);
		return -1;
	}
	if (r->tag ? conn_tag_ref(ei_thisnodename(&c->ec), r->tag, &ref) < 0 :
	    ei_make_ref(&c->ec, &ref) < 0) {
		snprintf(err, errlen, "cannot make a reference");
		return -1;
	}
	if (conn_encode_call(&c->tx, r, &c->relay, ei_self(&c->ec), &ref,
			     abytes, alen) < 0) {
		snprintf(err, errlen, "cannot encode call %s:%s", r->mod, r->fun);
		return -1;
	}
	id = conn_calls_add(&c->calls, ref.n, r->timeout_ms == CONN_NO_DEADLINE ? 0 :
			    clock_ms() + tmo);
	if (id < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	log_call(c, r, abytes);
	if (ei_reg_send_tmo(&c->ec, c->fd, "rex", c->tx.buff, c->tx.index,
			    c->timeout_ms) < 0) {
		conn_cancel(c, (unsigned)id);
		lose(c, "sending", err, errlen);
		return -1;
	}
	return id;
}

void conn_set_relay(struct conn *c, const struct conn_relay *rl)
{
	if (rl)
		c->relay = *rl;
	else
		memset(&c->relay, 0, sizeof c->relay);
}

int conn_send(struct conn *c, const struct bt_pid *to, const struct tenc *msg,
	      char *err, size_t errlen)
{
	erlang_pid ep;
	ei_x_buff *x = &c->tx;
	int len = 0;
	const char *bytes = tenc_data(msg, &len);

	if (c->fd < 0 || !tenc_ok(msg)) {
		snprintf(err, errlen, "not connected to %s", c->target);
		return -1;
	}
	memset(&ep, 0, sizeof ep);
	snprintf(ep.node, sizeof ep.node, "%s", c->target);
	ep.num = to->num;
	ep.serial = to->serial;
	ep.creation = to->creation;
	x->index = 0;
	if (ei_x_encode_version(x) < 0 || ei_x_append_buf(x, bytes, len) < 0 ||
	    ei_send_tmo(c->fd, &ep, x->buff, x->index, c->timeout_ms) < 0) {
		lose(c, "sending", err, errlen);
		return -1;
	}
	return 0;
}

/* What reply_of() finds besides a pending call's index. */
enum { NOT_A_REPLY = -1, LATE_REPLY = -2 };

/* Is the message under d a reply, {Ref, _} with a reference of ours?
 * Returns the index of its pending call (d moved to the reply),
 * NOT_A_REPLY, or LATE_REPLY when it answers a call no longer pending. */
static int reply_of(const struct conn *c, struct tdec *d)
{
	erlang_ref ref;
	int arity, idx, type, size, i;

	if (tdec_tuple(d, &arity) < 0 || arity != 2)
		return NOT_A_REPLY;
	idx = d->idx;
	if (ei_get_type(d->buf, &idx, &type, &size) < 0 ||
	    (type != ERL_NEW_REFERENCE_EXT && type != ERL_NEWER_REFERENCE_EXT &&
	     type != ERL_REFERENCE_EXT))
		return NOT_A_REPLY;
	if (ei_decode_ref(d->buf, &idx, &ref) < 0 || ref.len < 3 ||
	    strcmp(ref.node, ei_thisnodename(&c->ec)) != 0)
		return NOT_A_REPLY;
	i = conn_calls_find(&c->calls, ref.n);
	if (i < 0)
		return LATE_REPLY;
	d->idx = idx;
	return i;
}

/* Looks at a message to our pid: {Ref, Reply} for a pending call becomes a
 * REPLY; a {Ref, _} for no pending call is a late reply and is dropped (1,
 * ev untouched); anything else is INFO. */
static int classify(struct conn *c, struct conn_event *ev)
{
	struct tdec whole, d;
	int i;

	if (tdec_init(&whole, c->rx.buff, c->rx.index) < 0)
		return 1; /* not a term we can read safely: drop it */
	d = whole;
	i = reply_of(c, &d);
	if (i == LATE_REPLY) {
		c->late++;
		return 1;
	}
	if (i == NOT_A_REPLY) {
		ev->kind = CONN_EV_INFO;
		ev->term = whole;
		return 0;
	}
	ev->kind = CONN_EV_REPLY;
	ev->id = c->calls.v[i].id;
	ev->term = d;
	conn_calls_drop(&c->calls, i);
	return 0;
}

/* Waits until there is input, end, or the earliest call deadline.
 * Returns 1 when there is input; 0 when the wait is over (ev says
 * TIMEOUT for a call past its deadline, else NONE); -1 on an error. */
static int await_input(struct conn *c, uint64_t end, struct conn_event *ev,
		       char *err, size_t errlen)
{
	for (;;) {
		uint64_t now = clock_ms(), until = end, dl;
		struct pollfd pf = { .fd = c->fd, .events = POLLIN };
		int which, rc;

		dl = conn_calls_next_deadline(&c->calls, &which);
		if (dl && dl <= now) {
			ev->kind = CONN_EV_TIMEOUT;
			ev->id = c->calls.v[which].id;
			conn_calls_drop(&c->calls, which);
			return 0;
		}
		if (dl && dl < until)
			until = dl;
		rc = poll(&pf, 1, until > now ? (int)(until - now) : 0);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno == EINTR)
			return 0; /* a signal: let the caller look at it */
		if (rc < 0) {
			io_error(c, "waiting", err, errlen);
			return -1;
		}
		now = clock_ms();
		if (!(dl && dl <= now) && now >= end)
			return 0;
	}
}

/* Reads one whole message.  Returns 0 when ev holds it, 1 when it was
 * nothing for the caller (a tick, a link, a late reply), -1 when the
 * connection is lost (and closed). */
static int read_message(struct conn *c, struct conn_event *ev, char *err,
			size_t errlen)
{
	erlang_msg msg;
	int rc;

	/* Once a message has begun, a stall inside it leaves the stream
	 * mid-frame, so a timeout here ends the connection. */
	msg.msgtype = -1;
	rc = ei_xreceive_msg_tmo(c->fd, &msg, &c->rx, c->timeout_ms);
	if (rc == ERL_TICK)
		return 1;
	/* ei reads monitor signals (sent to us by gen:call monitors) whole
	 * but reports them as EIO, with the type less 10 left behind. */
	if (rc == ERL_ERROR && msg.msgtype >= ERL_MONITOR_P - 10 &&
	    msg.msgtype <= ERL_MONITOR_P_EXIT - 10)
		return 1;
	if (rc == ERL_ERROR) {
		int stalled = erl_errno == ETIMEDOUT;

		lose(c, "reading", err, errlen);
		if (stalled)
			snprintf(err, errlen, "%s stopped sending in the middle "
				 "of a message", c->target);
		return -1;
	}
	if (msg.msgtype != ERL_SEND && msg.msgtype != ERL_REG_SEND)
		return 1; /* links, monitors and exits need nothing from us */
	c->bytes_in += (uint64_t)c->rx.index;
	if (classify(c, ev) != 0)
		return 1;
	ev->to.num = msg.to.num;
	ev->to.serial = msg.to.serial;
	ev->to.creation = msg.to.creation;
	ev->bytes = c->rx.index;
	return 0;
}

int conn_poll(struct conn *c, unsigned wait_ms, struct conn_event *ev,
	      char *err, size_t errlen)
{
	uint64_t end = clock_ms() + wait_ms;
	int rc;

	memset(ev, 0, sizeof *ev);
	ev->kind = CONN_EV_NONE;
	if (c->fd < 0) {
		snprintf(err, errlen, "not connected to %s", c->target);
		return -1;
	}
	do {
		rc = await_input(c, end, ev, err, errlen);
		if (rc <= 0)
			return rc;
		rc = read_message(c, ev, err, errlen);
	} while (rc == 1);
	return rc;
}

void conn_encode_self(const struct conn *c, struct tenc *t)
{
	struct bt_pid p;
	const erlang_pid *self = &c->ec.self;

	p.num = self->num;
	p.serial = self->serial;
	p.creation = self->creation;
	conn_encode_mailbox(c, &p, t);
}

int conn_new_mailbox(struct conn *c, struct bt_pid *mb)
{
	erlang_pid ep;

	if (ei_make_pid(&c->ec, &ep) < 0)
		return -1;
	mb->num = ep.num;
	mb->serial = ep.serial;
	mb->creation = ep.creation;
	return 0;
}

void conn_encode_mailbox(const struct conn *c, const struct bt_pid *mb,
			 struct tenc *t)
{
	tenc_pid(t, mb, ei_thisnodename(&c->ec));
}

const char *conn_target(const struct conn *c)
{
	return c->target;
}

uint64_t conn_bytes_in(const struct conn *c)
{
	return c->bytes_in;
}

unsigned conn_timeout(const struct conn *c)
{
	return c->timeout_ms;
}

uint64_t conn_late_replies(const struct conn *c)
{
	return c->late;
}

int conn_new_ref(struct conn *c, struct bt_ref *r)
{
	erlang_ref er;
	int i;

	if (ei_make_ref(&c->ec, &er) < 0 || er.len < 1 || er.len > 5)
		return -1;
	memset(r, 0, sizeof *r);
	r->len = (uint8_t)er.len;
	r->creation = er.creation;
	for (i = 0; i < er.len; i++)
		r->n[i] = er.n[i];
	return 0;
}

void conn_encode_ref(const struct conn *c, const struct bt_ref *r,
		     struct tenc *t)
{
	tenc_ref(t, r, ei_thisnodename(&c->ec), r->creation);
}

int conn_read_only(const struct conn *c)
{
	return c->read_only;
}

unsigned conn_default_timeout(const struct conn *c)
{
	return c->timeout_ms;
}
