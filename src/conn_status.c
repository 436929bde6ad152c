/*
 * conn_status.c - why a node turned our handshake down.
 *
 * ei reports every refused handshake as the same -1, but the node says
 * why in its status message ("sok", "snok", "salive", "snot_allowed"), or
 * closes the socket without one (it could not start the process that
 * handles the connection: its process limit).  After ei has failed, we
 * send our name once more, read that status, and close: the node is
 * never answered ("alive" waits for true/false; closing says neither, so
 * an existing connection of that name is left alone).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/clock.h"
#include "conn_priv.h"

/* The flags a node requires (erts_internal:get_dflags/0's mandatory set):
 * OTP 25's, and DFLAG_UNLINK_ID and DFLAG_V4_NC, which OTP 26 made
 * mandatory (without them a newer node answers "not_allowed", whatever
 * the real cause); an older node takes flags it does not require.  A
 * hidden node, so not DFLAG_PUBLISHED. */
#define HS_FLAGS 0x403070f94ull

/* The version 6 name message: 'N', flags, creation, name. */
static size_t name_msg(unsigned char *m, size_t cap, const char *self)
{
	size_t len = strlen(self), i, n = 1 + 8 + 4 + 2 + len;

	if (n + 2 > cap)
		return 0;
	m[0] = (unsigned char)(n >> 8);
	m[1] = (unsigned char)n;
	m[2] = 'N';
	for (i = 0; i < 8; i++)
		m[3 + i] = (unsigned char)(HS_FLAGS >> (56 - 8 * i));
	memset(m + 11, 0, 4);
	m[11 + 3] = 1; /* creation: any, the handshake goes no further */
	m[15] = (unsigned char)(len >> 8);
	m[16] = (unsigned char)len;
	memcpy(m + 17, self, len);
	return n + 2;
}

/* On fd, a fresh connection to a node's distribution port: sends our
 * name (self, "alive@host") and reads the node's status ("ok", "nok",
 * "alive", "not_allowed", ...) into status, then leaves fd for the caller
 * to close.  Returns 0, or -1 when the node closed the connection or said
 * nothing within ms (status "").  Never answers the node. */
static int hs_status(int fd, const char *self, unsigned ms, char *status,
		     size_t n)
{
	unsigned char m[300], hdr[2], body[64];
	uint64_t deadline = clock_ms() + ms;
	size_t len = name_msg(m, sizeof m, self);

	status[0] = '\0';
	if (!len || write(fd, m, len) != (ssize_t)len)
		return -1;
	if (conn_read_full(fd, hdr, 2, deadline) < 0)
		return -1;
	len = (size_t)hdr[0] << 8 | hdr[1];
	if (len < 2 || len > sizeof body || conn_read_full(fd, body, len, deadline) < 0 ||
	    body[0] != 's')
		return -1;
	snprintf(status, n, "%.*s", (int)len - 1, (const char *)body + 1);
	return 0;
}

/* The node's status for our name, asked on a fresh connection.  Right
 * after the refused handshake, a busy node may still be tearing that one
 * down and answer "nok" (or nothing in time): it is asked again a few
 * times, a moment apart, within ms in all.  Returns 0 with the status,
 * or -1. */
static int probe(const struct conn_where *w, const char *self, unsigned ms,
		 char *st, size_t n)
{
	uint64_t end = clock_ms() + ms;
	int rc = -1, tries;

	for (tries = 0; tries < 4; tries++) {
		uint64_t now = clock_ms();
		unsigned left = now < end ? (unsigned)(end - now) : 0;
		int fd;

		if (tries > 0) {
			if (left < 300)
				break;
			usleep(250 * 1000);
			left -= 250;
		}
		fd = conn_tcp_connect(&w->addr, w->port, left);
		rc = -1;
		if (fd >= 0) {
			rc = hs_status(fd, self, left, st, n);
			close(fd);
		}
		if (rc == 0 && strcmp(st, "nok") != 0)
			return 0;
	}
	return rc;
}

void conn_refusal(const struct conn_where *w, const struct conn_names *nm,
		  const struct conn_opts *o, unsigned ms, char *err,
		  size_t errlen)
{
	const char *self = nm->self_node;
	char st[32];
	int rc = probe(w, self, ms, st, sizeof st);
	/* The node answers its own name with "nok" (or nothing). */
	if (strcmp(o->node, self) == 0 && (rc < 0 || strcmp(st, "nok") == 0))
		snprintf(err, errlen, "node %s refused the name %s: that is the "
			 "node's own name", o->node, self);
	else if (rc == 0 && strcmp(st, "alive") == 0)
		snprintf(err, errlen, "node %s refused the name %s: a node with that "
			 "name is already connected to it", o->node, self);
	else if (rc == 0 && strcmp(st, "nok") == 0)
		snprintf(err, errlen, "node %s refused the name %s: a connection "
			 "with that name is being set up already", o->node, self);
	else if (rc == 0 && strcmp(st, "not_allowed") == 0)
		snprintf(err, errlen, "node %s does not allow a connection from %s "
			 "(net_kernel:allow/1?)", o->node, self);
	else if (rc == 0 && strncmp(st, "ok", 2) != 0)
		snprintf(err, errlen, "node %s refused the connection (status "
			 "'%.20s')", o->node, st);
	else if (rc < 0)
		snprintf(err, errlen, "node %s closed the connection during the "
			 "handshake: it could not start a process for it (process "
			 "limit reached?)", o->node);
	else if (o->port > 0)
		snprintf(err, errlen, "%s refused the connection: authentication "
			 "failed, check the cookie (and that port %d is the "
			 "node's distribution port)", o->node, w->port);
	else
		snprintf(err, errlen, "%s refused the connection: authentication "
			 "failed, check the cookie (or the node's name type: %s)",
			 o->node, nm->longnames ? "-name" : "-sname");
}
