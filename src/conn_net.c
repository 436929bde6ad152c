/*
 * conn_net.c - finding a node's distribution port and reaching it (see
 * conn_priv.h): the host resolved, TCP connects and reads with deadlines,
 * and the port asked of epmd.
 *
 * We look the node up in epmd ourselves instead of letting ei do it: ei
 * reports every failure on the way (no epmd, unknown name, refused port)
 * as the same -1, and an operator needs to know which one it was.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "beamtop/clock.h"
#include "conn_priv.h"

#define EPMD_DEFAULT_PORT 4369
#define EPMD_PORT2_REQ 122
#define EPMD_PORT2_RESP 119

/* Waits for fd to become ready for `events`; 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, unsigned ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;

	do
		rc = poll(&p, 1, (int)ms);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/* Closes fd keeping errno: the caller reports why the socket failed. */
static int close_failed(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

int conn_tcp_connect(const struct in_addr *addr, int port, unsigned ms)
{
	struct sockaddr_in sa;
	int fd, rc, soerr = 0, flags;
	socklen_t len = sizeof soerr;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr = *addr;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	if (rc < 0 && errno == EINPROGRESS) {
		rc = wait_fd(fd, POLLOUT, ms);
		if (rc == 0) {
			errno = ETIMEDOUT;
			return close_failed(fd);
		}
		if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
		    soerr == 0)
			rc = 0;
		else
			rc = -1, errno = soerr ? soerr : errno;
	}
	if (rc < 0)
		return close_failed(fd);
	fcntl(fd, F_SETFL, flags);
	return fd;
}

int conn_read_full(int fd, unsigned char *buf, size_t n, uint64_t deadline)
{
	size_t got = 0;

	while (got < n) {
		uint64_t now = clock_ms();
		ssize_t r;

		if (now >= deadline || wait_fd(fd, POLLIN, (unsigned)(deadline - now)) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = read(fd, buf + got, n - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r == 0)
				errno = ECONNRESET;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static int epmd_port_from_env(void)
{
	const char *s = getenv("ERL_EPMD_PORT");
	char *end;
	long p;

	if (!s || !*s)
		return EPMD_DEFAULT_PORT;
	p = strtol(s, &end, 10);
	if (*end || p <= 0 || p > 65535)
		return EPMD_DEFAULT_PORT;
	return (int)p;
}

/* One question to epmd: the port of node `alive`. */
struct epmd_q {
	const char *host;        /* where epmd is, for messages */
	struct in_addr addr;
	int port;                /* epmd's own */
	const char *alive, *node;
	unsigned ms;
	uint64_t deadline;       /* for the whole exchange */
};

/* A connection to epmd, or -1 with the reason in err. */
static int epmd_connect(const struct epmd_q *q, char *err, size_t errlen)
{
	int fd = conn_tcp_connect(&q->addr, q->port, q->ms);

	if (fd >= 0)
		return fd;
	if (errno == ECONNREFUSED)
		snprintf(err, errlen, "epmd is not running on %s "
			 "(connection refused on port %d)", q->host, q->port);
	else if (errno == ETIMEDOUT)
		snprintf(err, errlen, "epmd on %s (port %d) did not answer "
			 "within %u ms", q->host, q->port, q->ms);
	else
		snprintf(err, errlen, "cannot reach epmd on %s port %d: %s",
			 q->host, q->port, strerror(errno));
	return -1;
}

/* PORT2_REQ on fd, and epmd's answer: 'w', a result byte, then on
 * success the port.  Returns the port, or -1 with the reason in err. */
static int epmd_ask(int fd, const struct epmd_q *q, char *err, size_t errlen)
{
	unsigned char req[3 + MAXATOMLEN], resp[2];
	size_t alen = strlen(q->alive);

	req[0] = (unsigned char)((alen + 1) >> 8);
	req[1] = (unsigned char)(alen + 1);
	req[2] = EPMD_PORT2_REQ;
	memcpy(req + 3, q->alive, alen);
	if (write(fd, req, 3 + alen) != (ssize_t)(3 + alen)) {
		snprintf(err, errlen, "cannot talk to epmd on %s: %s", q->host,
			 strerror(errno));
		return -1;
	}
	if (conn_read_full(fd, resp, 2, q->deadline) < 0) {
		if (errno == ETIMEDOUT)
			snprintf(err, errlen, "epmd on %s did not answer within %u ms",
				 q->host, q->ms);
		else
			snprintf(err, errlen, "epmd on %s closed the connection "
				 "(is something else listening on port %d?)", q->host,
				 q->port);
		return -1;
	}
	if (resp[0] != EPMD_PORT2_RESP) {
		snprintf(err, errlen, "port %d on %s does not speak the epmd "
			 "protocol", q->port, q->host);
		return -1;
	}
	if (resp[1] != 0) {
		snprintf(err, errlen, "node %s is not registered with epmd on %s",
			 q->node, q->host);
		return -1;
	}
	if (conn_read_full(fd, resp, 2, q->deadline) < 0) {
		snprintf(err, errlen, "epmd on %s sent a truncated answer", q->host);
		return -1;
	}
	return resp[0] << 8 | resp[1];
}

static int resolve(const char *host, struct in_addr *addr, char *err,
		   size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof hints);
	/* Erlang distribution listens on IPv4 unless told otherwise. */
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot resolve host %s: %s", host,
			 rc ? gai_strerror(rc) : "no IPv4 address");
		if (res)
			freeaddrinfo(res);
		return -1;
	}
	*addr = ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

int conn_locate(struct conn_where *w, const struct conn_opts *o,
		const char *alive, unsigned ms, char *err, size_t errlen)
{
	struct epmd_q q;
	int fd;

	if (resolve(w->host, &w->addr, err, errlen) < 0)
		return -1;
	if (o->port > 0) {
		w->port = o->port;
		return 0;
	}
	q.host = w->host;
	q.addr = w->addr;
	q.port = o->epmd_port > 0 ? o->epmd_port : epmd_port_from_env();
	q.alive = alive;
	q.node = o->node;
	q.ms = ms;
	q.deadline = clock_ms() + ms;
	fd = epmd_connect(&q, err, errlen);
	if (fd < 0)
		return -1;
	w->port = epmd_ask(fd, &q, err, errlen);
	close(fd);
	return w->port < 0 ? -1 : 0;
}
