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
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/conn.h"
#include "conn_priv.h"

/* The flags a node requires (erts_internal:get_dflags/0's mandatory set):
 * OTP 25's, and DFLAG_UNLINK_ID and DFLAG_V4_NC, which OTP 26 made
 * mandatory (without them a newer node answers "not_allowed", whatever
 * the real cause); an older node takes flags it does not require.  A
 * hidden node, so not DFLAG_PUBLISHED. */
#define HS_FLAGS 0x403070f94ull

/* Reads n bytes before deadline; 0, or -1 (closed, error, timeout). */
static int read_n(int fd, unsigned char *b, size_t n, uint64_t deadline)
{
	while (n > 0) {
		struct pollfd p = { fd, POLLIN, 0 };
		uint64_t now = conn_now_ms();
		ssize_t r;

		if (now >= deadline || poll(&p, 1, (int)(deadline - now)) <= 0)
			return -1;
		r = read(fd, b, n);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

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

int conn_hs_status(int fd, const char *self, unsigned ms, char *status,
		   size_t n)
{
	unsigned char m[300], hdr[2], body[64];
	uint64_t deadline = conn_now_ms() + ms;
	size_t len = name_msg(m, sizeof m, self);

	status[0] = '\0';
	if (!len || write(fd, m, len) != (ssize_t)len)
		return -1;
	if (read_n(fd, hdr, 2, deadline) < 0)
		return -1;
	len = (size_t)hdr[0] << 8 | hdr[1];
	if (len < 2 || len > sizeof body || read_n(fd, body, len, deadline) < 0 ||
	    body[0] != 's')
		return -1;
	snprintf(status, n, "%.*s", (int)len - 1, (const char *)body + 1);
	return 0;
}
