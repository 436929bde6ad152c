/*
 * conn_priv.h - what the files of the connection share: conn.c owns the
 * ei connection and the calls on it; conn_name.c makes the node names of
 * both ends; conn_net.c finds the node's port and reaches it;
 * conn_status.c says why a node refused our handshake; conn_calls.c keeps
 * the table of calls waiting for their reply.
 */
#ifndef BEAMTOP_CONN_PRIV_H
#define BEAMTOP_CONN_PRIV_H

#include <ei.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "beamtop/clock.h"
#include "beamtop/conn.h"

/* The names of both ends of a connection. */
struct conn_names {
	char alive[EI_MAXALIVELEN + 1];          /* the target's, before '@' */
	char host[EI_MAXHOSTNAMELEN + 1];        /* the target's, after '@' */
	char self_alive[EI_MAXALIVELEN + 1];     /* ours */
	char self_host[EI_MAXHOSTNAMELEN + 1];
	char self_node[MAXNODELEN + 1];          /* "self_alive@self_host" */
	int longnames;                           /* the target's host is dotted */
};

/* Checks o->node and o->own_name and fills nm, our host part of the same
 * kind as the target's (-sname or -name).  Returns 0, or -1 with a reason
 * in err. */
int conn_names(struct conn_names *nm, const struct conn_opts *o, char *err,
	       size_t errlen);

/* Where a node's distribution port is. */
struct conn_where {
	const char *host;       /* the name we reach it by, for messages */
	struct in_addr addr;
	int port;
};

/* Resolves w->host (IPv4, as the distribution listens) and finds the port
 * of node `alive` there: o->port when given, else epmd's answer within
 * ms.  Returns 0, or -1 with a reason in err (unresolvable, no epmd, not
 * registered...). */
int conn_locate(struct conn_where *w, const struct conn_opts *o,
		const char *alive, unsigned ms, char *err, size_t errlen);

/* A TCP connect with a deadline.  Returns an fd, or -1 with errno set
 * (ETIMEDOUT when the deadline passed). */
int conn_tcp_connect(const struct in_addr *addr, int port, unsigned ms);

/* Reads exactly n bytes from fd before deadline (clock_ms()).  Returns
 * 0, or -1 with errno set (ETIMEDOUT, ECONNRESET when closed). */
int conn_read_full(int fd, unsigned char *buf, size_t n, uint64_t deadline);

/* After ei's handshake with w failed (not by a timeout): asks the node
 * again, on a fresh socket, why, and writes the reason (name taken, not
 * allowed, process limit, or the cookie) into err. */
void conn_refusal(const struct conn_where *w, const struct conn_names *nm,
		  const struct conn_opts *o, unsigned ms, char *err,
		  size_t errlen);

/* The calls waiting for a reply, each known by the reference it was sent
 * with (its tag) and its deadline. */
struct conn_pending {
	unsigned id;
	uint32_t ref[3];
	uint64_t deadline;   /* 0: none */
};

struct conn_calls {
	struct conn_pending *v;
	int n, cap;
	unsigned next_id;
};

/* Adds a call tagged ref with a deadline (0: none).  Returns its id > 0,
 * or -1 when out of memory (nothing added). */
long conn_calls_add(struct conn_calls *t, const uint32_t ref[3], uint64_t deadline);

/* The index of the call tagged ref, or -1. */
int conn_calls_find(const struct conn_calls *t, const uint32_t ref[3]);

/* The index of the call with id, or -1. */
int conn_calls_find_id(const struct conn_calls *t, unsigned id);

/* Forgets the call at index i (the last one takes its place). */
void conn_calls_drop(struct conn_calls *t, int i);

/* The earliest deadline among the calls and the index of its call, or 0
 * and -1 when none has a deadline. */
uint64_t conn_calls_next_deadline(const struct conn_calls *t, int *which);

void conn_calls_free(struct conn_calls *t);

/* {'$gen_call', {Self, Ref}, {call, M, F, Args, user}} into x: what rex
 * expects from rpc:call, answered with {Ref, Result}; through the relay
 * rl when there is one and the call is plain (conn_encode.c).  Returns 0
 * or -1. */
int conn_encode_call(ei_x_buff *x, const struct conn_req *r,
		     const struct conn_relay *rl, const erlang_pid *self,
		     const erlang_ref *ref, const char *abytes, int alen);

/* One of our references (made by conn_new_ref) as ei has it, on node.
 * Returns 0 or -1. */
int conn_tag_ref(const char *node, const struct bt_ref *tag, erlang_ref *out);

#endif
