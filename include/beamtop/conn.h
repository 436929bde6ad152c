/*
 * conn.h - the one connection to the target node.
 *
 * beamtop joins the target as a hidden C node and talks to its `rex` server
 * directly: each call is a `$gen_call` tagged with a fresh reference, so
 * several calls can be in flight, each has its own deadline, and a reply
 * that arrives after its deadline is recognised by its tag and dropped.
 * Messages sent to our own pid by code running on the target (streamed
 * chunks, a holder's call) come out as INFO events.  Ticks are answered
 * whenever conn_poll() reads.  A conn is used by one thread at a time.
 */
#ifndef BEAMTOP_CONN_H
#define BEAMTOP_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/decode.h"
#include "beamtop/ids.h"

struct conn;

struct conn_opts {
	const char *node;       /* target, "alive@host" */
	const char *own_name;   /* "alive" or "alive@host"; NULL: beamtop_<ospid> */
	const char *cookie;     /* never NULL: ei would go looking for one */
	const char *address;    /* connect here; NULL: the host in `node` */
	int port;               /* distribution port; 0 asks epmd */
	int epmd_port;          /* 0: $ERL_EPMD_PORT or 4369 */
	unsigned timeout_ms;    /* connect deadline and default call deadline */
	int read_only;          /* refuse every call that changes the node */
	const char *call_log;   /* append "mod:fun label" per call (tests) */
};

enum conn_ev_kind {
	CONN_EV_NONE,     /* nothing arrived in the time given */
	CONN_EV_REPLY,    /* the reply to call `id`; `term` is the reply */
	CONN_EV_TIMEOUT,  /* call `id` passed its deadline and is forgotten */
	CONN_EV_INFO      /* any other message to our pid; `term` is it whole */
};

struct conn_event {
	enum conn_ev_kind kind;
	unsigned id;
	struct tdec term;   /* valid until the next conn_poll() */
	long bytes;         /* size of the message that made this event */
	struct bt_pid to;   /* INFO: which of our pids it was sent to */
};

/* Connects to o->node.  Returns 0 and a conn, or -1 with a one-line reason
 * in err (unknown node, epmd down, unresolvable host, refused, wrong
 * cookie, timeout); nothing is left open on failure. */
int conn_open(struct conn **out, const struct conn_opts *o, char *err,
	      size_t errlen);

/* Words that conn_open's reason holds when the node refused our handshake
 * (the cookie): the one failure that retrying soon cannot mend, and that
 * the node logs on every attempt. */
#define CONN_AUTH_FAILED "authentication failed"

/* Closes the connection and frees the conn.  NULL is fine. */
void conn_close(struct conn *c);

#define CONN_NO_DEADLINE 0xFFFFFFFFu

/* One remote call: mod:fun(Args). */
struct conn_req {
	const char *mod, *fun;
	const struct tenc *args;  /* an encoded list; NULL for [] */
	unsigned timeout_ms;      /* 0: the default; CONN_NO_DEADLINE: none */
	int mutating;             /* it changes the node (kill, gc, ...) */
	const char *label;        /* what it is, for the call log */
	/* The tag of its answer when the call sends its answer itself (a
	 * wrapped query, which binds it as Tag); NULL: a fresh one. */
	const struct bt_ref *tag;
};

/* A plain call's relay on the node (see conn_encode.c): an erl_eval
 * expression, without its version byte, and the names its variables
 * A, F, M, Tag and Us were renamed to, in that order. */
struct conn_relay {
	const unsigned char *form;
	size_t len;
	const char *atoms[5];
};

/* From now on the plain calls go through rl, which must outlive c (the
 * node has been seen to hold its atoms); NULL: sent to rex as they are. */
void conn_set_relay(struct conn *c, const struct conn_relay *rl);

/* What conn_call() (and the collector's calls made with it) return for a
 * call that the read-only gate refused: nothing was sent, the connection
 * is fine.  Never a lost link (-1). */
#define CONN_REFUSED (-2)

/* A line in the call log, when there is one (BEAMTOP_CALL_LOG) with
 * the calls' arguments (BEAMTOP_CALL_LOG_ARGS): what the answers cost
 * the node, for finding where it goes. */
void conn_log(struct conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sends a call.  Returns a call id > 0; -1 with err filled when the
 * connection is unusable; CONN_REFUSED with err filled when the
 * connection is read-only and the call (flagged, or a known mutating BIF)
 * would change the node - nothing is sent then. */
long conn_call(struct conn *c, const struct conn_req *r, char *err,
	       size_t errlen);

/* Is mod:fun one of the BIFs that change the node (exit, garbage_collect,
 * suspend, halt...)?  Checked on every call of a read-only connection,
 * whatever the caller says. */
int conn_is_mutating(const char *mod, const char *fun);

/* Sends an encoded term to a pid on the target.  Returns 0 or -1. */
int conn_send(struct conn *c, const struct bt_pid *to, const struct tenc *msg,
	      char *err, size_t errlen);

/* Waits up to wait_ms for something to happen and reports it in ev.
 * Returns 0 (ev filled, possibly CONN_EV_NONE) or -1 with err filled when
 * the connection is lost. */
int conn_poll(struct conn *c, unsigned wait_ms, struct conn_event *ev,
	      char *err, size_t errlen);

/* Forgets call id: a reply to it will be dropped. */
void conn_cancel(struct conn *c, unsigned id);

/* Number of calls still waiting for their reply. */
int conn_pending(const struct conn *c);

/* Encodes our own pid, for calls that send messages back to us. */
void conn_encode_self(const struct conn *c, struct tenc *t);

/* Makes a fresh pid of ours: a stream sent to it can be told apart from a
 * stale one sent to an earlier mailbox.  Returns 0 or -1. */
int conn_new_mailbox(struct conn *c, struct bt_pid *mb);
/* Encodes one of our mailboxes (a pid on our node, not the target's). */
void conn_encode_mailbox(const struct conn *c, const struct bt_pid *mb,
			 struct tenc *t);

/* Makes a reference of ours, unique to this connection: a value that
 * nothing on the node can hold by chance (the queries' cut marker).
 * Returns 0 or -1. */
int conn_new_ref(struct conn *c, struct bt_ref *r);
/* Encodes one of our references. */
void conn_encode_ref(const struct conn *c, const struct bt_ref *r,
		     struct tenc *t);

/* 1 when the connection refuses calls that change the node. */
int conn_read_only(const struct conn *c);

/* The deadline a call gets when it asks for none of its own, in ms. */
unsigned conn_default_timeout(const struct conn *c);

/* The target's full node name, for encoding its pids. */
const char *conn_target(const struct conn *c);

/* Message bytes received since the connection opened. */
uint64_t conn_bytes_in(const struct conn *c);

/* Replies that came after their deadline and were dropped. */
uint64_t conn_late_replies(const struct conn *c);

/* The default call deadline, in ms. */
unsigned conn_timeout(const struct conn *c);

#endif
