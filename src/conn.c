/*
 * conn.c - the one ei connection to the target (see conn.h).
 *
 * We look the node up in epmd ourselves instead of letting ei do it: ei
 * reports every failure on the way (no epmd, unknown name, refused port,
 * bad cookie) as the same -1, and an operator needs to know which one it
 * was.  After that, ei does the handshake and the framing; we never use
 * ei_rpc (no deadline, and it takes any message for its reply).
 */
#include <arpa/inet.h>
#include <ei.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "beamtop/conn.h"
#include "beamtop/selfname.h"
#include "conn_priv.h"

#define EPMD_DEFAULT_PORT 4369
#define EPMD_PORT2_REQ 122
#define EPMD_PORT2_RESP 119

struct pending {
	unsigned id;
	uint32_t ref[3];
	uint64_t deadline;   /* 0: none */
};

struct conn {
	ei_cnode ec;
	int fd;
	int read_only;
	FILE *call_log;
	char target[MAXNODELEN + 1];
	unsigned timeout_ms;
	unsigned next_id;
	struct pending *calls;
	int ncalls, capcalls;
	ei_x_buff rx;
	ei_x_buff tx;
	uint64_t bytes_in;
	uint64_t late;
};

uint64_t conn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

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

/* A TCP connect with a deadline.  Returns fd or -1 with errno set
 * (ETIMEDOUT when the deadline passed). */
static int tcp_connect(const struct in_addr *addr, int port, unsigned ms)
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
			close(fd);
			errno = ETIMEDOUT;
			return -1;
		}
		if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
		    soerr == 0)
			rc = 0;
		else
			rc = -1, errno = soerr ? soerr : errno;
	}
	if (rc < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	fcntl(fd, F_SETFL, flags);
	return fd;
}

/* Reads exactly n bytes before the deadline. */
static int read_full(int fd, unsigned char *buf, size_t n, uint64_t deadline)
{
	size_t got = 0;

	while (got < n) {
		uint64_t now = conn_now_ms();
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

/* Asks epmd at addr for the distribution port of `alive`.  Returns the
 * port, or -1 with a reason in err. */
static int epmd_lookup(const struct in_addr *addr, const char *host,
		       int epmd_port, const char *alive, const char *node,
		       unsigned ms, char *err, size_t errlen)
{
	unsigned char req[3 + MAXATOMLEN], resp[4];
	size_t alen = strlen(alive);
	uint64_t deadline = conn_now_ms() + ms;
	int fd, port;

	fd = tcp_connect(addr, epmd_port, ms);
	if (fd < 0) {
		if (errno == ECONNREFUSED)
			snprintf(err, errlen, "epmd is not running on %s "
				 "(connection refused on port %d)", host, epmd_port);
		else if (errno == ETIMEDOUT)
			snprintf(err, errlen, "epmd on %s (port %d) did not answer "
				 "within %u ms", host, epmd_port, ms);
		else
			snprintf(err, errlen, "cannot reach epmd on %s port %d: %s",
				 host, epmd_port, strerror(errno));
		return -1;
	}
	req[0] = (unsigned char)((alen + 1) >> 8);
	req[1] = (unsigned char)(alen + 1);
	req[2] = EPMD_PORT2_REQ;
	memcpy(req + 3, alive, alen);
	if (write(fd, req, 3 + alen) != (ssize_t)(3 + alen)) {
		snprintf(err, errlen, "cannot talk to epmd on %s: %s", host,
			 strerror(errno));
		close(fd);
		return -1;
	}
	/* epmd answers 'w', a result byte, and on success the port. */
	if (read_full(fd, resp, 2, deadline) < 0) {
		if (errno == ETIMEDOUT)
			snprintf(err, errlen, "epmd on %s did not answer within %u ms",
				 host, ms);
		else
			snprintf(err, errlen, "epmd on %s closed the connection "
				 "(is something else listening on port %d?)", host,
				 epmd_port);
		close(fd);
		return -1;
	}
	if (resp[0] != EPMD_PORT2_RESP) {
		snprintf(err, errlen, "port %d on %s does not speak the epmd "
			 "protocol", epmd_port, host);
		close(fd);
		return -1;
	}
	if (resp[1] != 0) {
		snprintf(err, errlen, "node %s is not registered with epmd on %s",
			 node, host);
		close(fd);
		return -1;
	}
	if (read_full(fd, resp, 2, deadline) < 0) {
		snprintf(err, errlen, "epmd on %s sent a truncated answer", host);
		close(fd);
		return -1;
	}
	close(fd);
	port = resp[0] << 8 | resp[1];
	return port;
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

/* Our own host part must be of the same kind as the target's: a node
 * started with -sname refuses peers with dotted names and vice versa. */
static int own_host(int longnames, const char *target_host, char *out,
		    size_t outlen)
{
	char h[256];
	struct addrinfo hints, *res = NULL;
	char *dot;

	if (gethostname(h, sizeof h) != 0)
		snprintf(h, sizeof h, "localhost");
	h[sizeof h - 1] = '\0';
	if (!longnames) {
		dot = strchr(h, '.');
		if (dot)
			*dot = '\0';
		return snprintf(out, outlen, "%s", h) < (int)outlen ? 0 : -1;
	}
	if (!strchr(h, '.')) {
		memset(&hints, 0, sizeof hints);
		hints.ai_flags = AI_CANONNAME;
		if (getaddrinfo(h, NULL, &hints, &res) == 0 && res &&
		    res->ai_canonname && strchr(res->ai_canonname, '.'))
			snprintf(h, sizeof h, "%s", res->ai_canonname);
		if (res)
			freeaddrinfo(res);
	}
	if (!strchr(h, '.')) {
		/* Nothing dotted to call ourselves: a loopback target is reached
		 * from loopback, anything else accepts an address. */
		return snprintf(out, outlen, "%s", strncmp(target_host, "127.", 4) == 0 ?
				target_host : "127.0.0.1") < (int)outlen ? 0 : -1;
	}
	return snprintf(out, outlen, "%s", h) < (int)outlen ? 0 : -1;
}

static int valid_alive(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > EI_MAXALIVELEN)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!(ch == '_' || ch == '-' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return 0;
	}
	return 1;
}

/* Why the node refused our handshake, asked again on a fresh socket (see
 * conn_status.c): each cause its own line. */
static void refusal(const struct in_addr *addr, int port, const char *self,
		    unsigned ms, const struct conn_opts *o, int longnames,
		    char *err, size_t errlen)
{
	char st[32];
	int fd = tcp_connect(addr, port, ms), rc = -1;

	if (fd >= 0) {
		rc = conn_hs_status(fd, self, ms, st, sizeof st);
		close(fd);
	}
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
			 "node's distribution port)", o->node, port);
	else
		snprintf(err, errlen, "%s refused the connection: authentication "
			 "failed, check the cookie (or the node's name type: %s)",
			 o->node, longnames ? "-name" : "-sname");
}

/* ei_init() once per process, whichever thread connects first. */
static pthread_once_t ei_once = PTHREAD_ONCE_INIT;
static int ei_init_rc;

static void init_ei(void)
{
	ei_init_rc = ei_init();
}

int conn_open(struct conn **out, const struct conn_opts *o, char *err,
	      size_t errlen)
{
	char alive[EI_MAXALIVELEN + 1], host[EI_MAXHOSTNAMELEN + 1];
	char self_alive[EI_MAXALIVELEN + 1], self_host[EI_MAXHOSTNAMELEN + 1];
	char self_node[MAXNODELEN + 1];
	const char *at = o->node ? strchr(o->node, '@') : NULL;
	const char *where;
	struct in_addr addr;
	struct conn *c;
	int longnames, port, fd;
	unsigned ms = o->timeout_ms ? o->timeout_ms : 5000;

	if (pthread_once(&ei_once, init_ei) != 0 || ei_init_rc != 0) {
		snprintf(err, errlen, "cannot initialise erl_interface");
		return -1;
	}
	if (!at || !valid_alive(o->node, (size_t)(at - o->node)) || !at[1] ||
	    strlen(at + 1) > EI_MAXHOSTNAMELEN) {
		snprintf(err, errlen, "bad node name '%s': expected name@host",
			 o->node ? o->node : "");
		return -1;
	}
	snprintf(alive, sizeof alive, "%.*s", (int)(at - o->node), o->node);
	snprintf(host, sizeof host, "%s", at + 1);
	longnames = strchr(host, '.') != NULL;
	/* --address: where to connect when NAME's host is not reachable by
	 * that name (an ssh tunnel, a container's published port). */
	where = o->address && *o->address ? o->address : host;

	if (o->own_name && strchr(o->own_name, '@')) {
		const char *oat = strchr(o->own_name, '@');

		if (!valid_alive(o->own_name, (size_t)(oat - o->own_name)) ||
		    strlen(oat + 1) > EI_MAXHOSTNAMELEN) {
			snprintf(err, errlen, "bad --name '%s'", o->own_name);
			return -1;
		}
		snprintf(self_alive, sizeof self_alive, "%.*s",
			 (int)(oat - o->own_name), o->own_name);
		snprintf(self_host, sizeof self_host, "%s", oat + 1);
	} else {
		if (o->own_name && !valid_alive(o->own_name, strlen(o->own_name))) {
			snprintf(err, errlen, "bad --name '%s'", o->own_name);
			return -1;
		}
		if (o->own_name)
			snprintf(self_alive, sizeof self_alive, "%s", o->own_name);
		else
			selfname_default(self_alive, sizeof self_alive);
		if (own_host(longnames, host, self_host, sizeof self_host) < 0) {
			snprintf(err, errlen, "our host name is too long: use --name");
			return -1;
		}
	}
	if (snprintf(self_node, sizeof self_node, "%s@%s", self_alive,
		     self_host) >= (int)sizeof self_node) {
		snprintf(err, errlen, "our node name is too long: use a shorter --name");
		return -1;
	}

	if (resolve(where, &addr, err, errlen) < 0)
		return -1;
	if (o->port > 0) {
		port = o->port;
	} else {
		port = epmd_lookup(&addr, where, o->epmd_port > 0 ? o->epmd_port :
				   epmd_port_from_env(), alive, o->node, ms, err,
				   errlen);
		if (port < 0)
			return -1;
	}

	c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
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
		return -1;
	}
	/* The creation tells our incarnations apart on the target. */
	if (ei_connect_xinit(&c->ec, self_host, self_alive, self_node, NULL,
			     o->cookie, (unsigned)(time(NULL) & 0x7fffffff) | 1u) < 0) {
		snprintf(err, errlen, "cannot set up our node %s", self_node);
		conn_close(c);
		return -1;
	}
	/* Probe the port first so that "nothing listens" and "a node refused
	 * us" are told apart: ei reports both as the same -1. */
	fd = tcp_connect(&addr, port, ms);
	if (fd < 0) {
		if (errno == ECONNREFUSED)
			snprintf(err, errlen, "connection refused by %s port %d "
				 "(node %s not listening there)", where, port, o->node);
		else if (errno == ETIMEDOUT)
			snprintf(err, errlen, "timed out connecting to %s port %d "
				 "after %u ms", where, port, ms);
		else
			snprintf(err, errlen, "cannot connect to %s port %d: %s", where,
				 port, strerror(errno));
		conn_close(c);
		return -1;
	}
	close(fd);
	fd = ei_xconnect_host_port_tmo(&c->ec, &addr, port, ms);
	if (fd < 0) {
		if (erl_errno == ETIMEDOUT)
			snprintf(err, errlen, "%s did not complete the handshake within "
				 "%u ms", o->node, ms);
		else
			refusal(&addr, port, self_node, ms, o, longnames, err, errlen);
		conn_close(c);
		return -1;
	}
	c->fd = fd;
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
	free(c->calls);
	free(c);
}

static int add_pending(struct conn *c, const erlang_ref *ref, unsigned tmo)
{
	struct pending *p;

	if (c->ncalls == c->capcalls) {
		int cap = c->capcalls ? c->capcalls * 2 : 16;
		struct pending *n = realloc(c->calls, (size_t)cap * sizeof *n);

		if (!n)
			return -1;
		c->calls = n;
		c->capcalls = cap;
	}
	p = &c->calls[c->ncalls++];
	if (++c->next_id == 0)
		c->next_id = 1;
	p->id = c->next_id;
	memcpy(p->ref, ref->n, sizeof p->ref);
	if (tmo == CONN_NO_DEADLINE)
		p->deadline = 0;
	else
		p->deadline = conn_now_ms() + (tmo ? tmo : c->timeout_ms);
	return (int)p->id;
}

static void drop_pending(struct conn *c, int i)
{
	c->calls[i] = c->calls[--c->ncalls];
}

void conn_cancel(struct conn *c, unsigned id)
{
	int i;

	for (i = 0; i < c->ncalls; i++)
		if (c->calls[i].id == id) {
			drop_pending(c, i);
			return;
		}
}

int conn_pending(const struct conn *c)
{
	return c->ncalls;
}

static void io_error(const struct conn *c, const char *what, char *err,
		     size_t errlen)
{
	/* ei says EIO both for a node that went away and for one that
	 * dropped us; name both. */
	snprintf(err, errlen, "connection to %s lost while %s (node down, or "
		 "it dropped us)", c->target, what);
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

long conn_call(struct conn *c, const struct conn_req *r, char *err,
	       size_t errlen)
{
	erlang_ref ref;
	ei_x_buff *x = &c->tx;
	int ok = 0, id, alen = 0;
	const char *abytes = r->args ? tenc_data(r->args, &alen) : NULL;

	if (c->read_only && (r->mutating || conn_is_mutating(r->mod, r->fun))) {
		snprintf(err, errlen, "%s is not allowed: beamtop is read-only",
			 r->label ? r->label : r->fun);
		return -2;
	}
	if (c->fd < 0) {
		snprintf(err, errlen, "not connected to %s", c->target);
		return -1;
	}
	if (ei_make_ref(&c->ec, &ref) < 0) {
		snprintf(err, errlen, "cannot make a reference");
		return -1;
	}
	x->index = 0;
	/* {'$gen_call', {Self, Ref}, {call, M, F, Args, user}}: what rex
	 * expects from rpc:call, answered with {Ref, Result}. */
	ok |= ei_x_encode_version(x);
	ok |= ei_x_encode_tuple_header(x, 3);
	ok |= ei_x_encode_atom(x, "$gen_call");
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_pid(x, ei_self(&c->ec));
	ok |= ei_x_encode_ref(x, &ref);
	ok |= ei_x_encode_tuple_header(x, 5);
	ok |= ei_x_encode_atom(x, "call");
	ok |= ei_x_encode_atom(x, r->mod);
	ok |= ei_x_encode_atom(x, r->fun);
	if (abytes && alen > 0)
		ok |= ei_x_append_buf(x, abytes, alen);
	else
		ok |= ei_x_encode_empty_list(x);
	ok |= ei_x_encode_atom(x, "user");
	if (ok < 0 || (r->args && !tenc_ok(r->args))) {
		snprintf(err, errlen, "cannot encode call %s:%s", r->mod, r->fun);
		return -1;
	}
	id = add_pending(c, &ref, r->timeout_ms);
	if (id < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (c->call_log) {
		fprintf(c->call_log, "%s:%s %s%s\n", r->mod, r->fun,
			r->label ? r->label : "-", r->mutating ? " mutating" : "");
		if (getenv("BEAMTOP_CALL_LOG_ARGS")) {
			char *text = NULL;
			int at = 0;

			if (abytes && ei_s_print_term(&text, abytes, &at) >= 0) {
				size_t l = strlen(text);

				fprintf(c->call_log, "  %s\n", l > 600 ? text + l - 600 : text);
			}
			free(text);
		}
		fflush(c->call_log);
	}
	if (ei_reg_send_tmo(&c->ec, c->fd, "rex", x->buff, x->index,
			    c->timeout_ms) < 0) {
		conn_cancel(c, (unsigned)id);
		io_error(c, "sending", err, errlen);
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return id;
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
		io_error(c, "sending", err, errlen);
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

/* Index of the pending call whose reference is ref, or -1. */
static int find_pending(const struct conn *c, const erlang_ref *ref)
{
	int i;

	for (i = 0; i < c->ncalls; i++)
		if (memcmp(c->calls[i].ref, ref->n, sizeof c->calls[i].ref) == 0)
			return i;
	return -1;
}

/* Looks at a message to our pid: {Ref, Reply} for a pending call becomes a
 * REPLY; a {Ref, _} for no pending call is a late reply and is dropped (1);
 * anything else is INFO. */
static int classify(struct conn *c, struct conn_event *ev)
{
	struct tdec d;
	int arity, idx, type, size, i;
	erlang_ref ref;

	if (tdec_init(&d, c->rx.buff, c->rx.index) < 0)
		return 1; /* not a term we can read safely: drop it */
	ev->term = d;
	ev->kind = CONN_EV_INFO;
	if (tdec_tuple(&d, &arity) < 0 || arity != 2)
		return 0;
	idx = d.idx;
	if (ei_get_type(d.buf, &idx, &type, &size) < 0 ||
	    (type != ERL_NEW_REFERENCE_EXT && type != ERL_NEWER_REFERENCE_EXT &&
	     type != ERL_REFERENCE_EXT))
		return 0;
	if (ei_decode_ref(d.buf, &idx, &ref) < 0 || ref.len < 3 ||
	    strcmp(ref.node, ei_thisnodename(&c->ec)) != 0)
		return 0;
	i = find_pending(c, &ref);
	if (i < 0) {
		c->late++;
		return 1;
	}
	ev->kind = CONN_EV_REPLY;
	ev->id = c->calls[i].id;
	d.idx = idx;
	ev->term = d;
	drop_pending(c, i);
	return 0;
}

/* The earliest deadline among pending calls, or 0. */
static uint64_t next_deadline(const struct conn *c, int *which)
{
	uint64_t best = 0;
	int i;

	*which = -1;
	for (i = 0; i < c->ncalls; i++)
		if (c->calls[i].deadline &&
		    (best == 0 || c->calls[i].deadline < best)) {
			best = c->calls[i].deadline;
			*which = i;
		}
	return best;
}

int conn_poll(struct conn *c, unsigned wait_ms, struct conn_event *ev,
	      char *err, size_t errlen)
{
	uint64_t end = conn_now_ms() + wait_ms;

	memset(ev, 0, sizeof *ev);
	ev->kind = CONN_EV_NONE;
	if (c->fd < 0) {
		snprintf(err, errlen, "not connected to %s", c->target);
		return -1;
	}
	for (;;) {
		uint64_t now = conn_now_ms(), dl, until = end;
		erlang_msg msg;
		int which, rc;

		dl = next_deadline(c, &which);
		if (dl && dl <= now) {
			ev->kind = CONN_EV_TIMEOUT;
			ev->id = c->calls[which].id;
			drop_pending(c, which);
			return 0;
		}
		if (dl && dl < until)
			until = dl;
		{
			struct pollfd pf = { .fd = c->fd, .events = POLLIN };

			rc = poll(&pf, 1, until > now ? (int)(until - now) : 0);
		}
		if (rc < 0 && errno == EINTR)
			return 0; /* a signal: let the caller look at it */
		if (rc < 0) {
			io_error(c, "waiting", err, errlen);
			return -1;
		}
		if (rc == 0) {
			if (dl && dl <= conn_now_ms())
				continue;
			if (conn_now_ms() >= end)
				return 0;
			continue;
		}
		/* Data is there: read one whole message.  Once a message has
		 * begun, a stall inside it leaves the stream mid-frame, so a
		 * timeout here ends the connection. */
		msg.msgtype = -1;
		rc = ei_xreceive_msg_tmo(c->fd, &msg, &c->rx, c->timeout_ms);
		if (rc == ERL_TICK)
			continue;
		/* ei reads monitor signals (sent to us by gen:call monitors) whole
		 * but reports them as EIO, with the type less 10 left behind. */
		if (rc == ERL_ERROR && msg.msgtype >= ERL_MONITOR_P - 10 &&
		    msg.msgtype <= ERL_MONITOR_P_EXIT - 10)
			continue;
		if (rc == ERL_ERROR) {
			if (erl_errno == ETIMEDOUT)
				snprintf(err, errlen, "%s stopped sending in the middle "
					 "of a message", c->target);
			else
				io_error(c, "reading", err, errlen);
			close(c->fd);
			c->fd = -1;
			return -1;
		}
		if (msg.msgtype != ERL_SEND && msg.msgtype != ERL_REG_SEND)
			continue; /* links, monitors and exits need nothing from us */
		c->bytes_in += (uint64_t)c->rx.index;
		if (classify(c, ev) != 0)
			continue;
		ev->to.num = msg.to.num;
		ev->to.serial = msg.to.serial;
		ev->to.creation = msg.to.creation;
		ev->bytes = c->rx.index;
		return 0;
	}
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
