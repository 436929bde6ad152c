/*
 * collect_ports.c - ports: erlang:ports(), then the ports_info query a
 * chunk at a time (collect_chunk.c).  A port closed in between answers
 * `undefined` and is left out.
 *
 * Sockets' traffic comes from inet:getstat (port_info's input stays 0
 * while an active socket receives), asked only of the ports that the
 * last refresh saw as inet sockets: the same call on another driver's
 * port would be a control command to that driver.  A socket opened since
 * gets its traffic from the next refresh on (a rate needs two anyway).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

/* port_info/1: [{name, Cmd}, {links, _}, {id, _}, {connected, Pid},
 * {input, N}, {output, N}, {os_pid, N | undefined}] or undefined. */
static int decode_port_info(struct tdec *d, struct snapshot *s,
			    struct port_rec *p)
{
	char key[32], text[512];
	int n, i, arity;
	int64_t v;

	if (tdec_atom_is(d, "undefined")) {
		p->gone = 1;
		return 0;
	}
	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (tdec_tuple(d, &arity) < 0 || arity != 2 ||
		    tdec_atom(d, key, sizeof key) < 0)
			return -1;
		if (strcmp(key, "name") == 0 && tdec_text(d, text, sizeof text) == 0)
			p->name = strpool_add(&s->pool, text);
		else if (strcmp(key, "connected") == 0 &&
			 tdec_pid(d, &p->connected) == 0)
			;
		else if (strcmp(key, "input") == 0 && tdec_u64(d, &p->input) == 0)
			;
		else if (strcmp(key, "output") == 0 && tdec_u64(d, &p->output) == 0)
			;
		else if (strcmp(key, "os_pid") == 0 && tdec_i64(d, &v) == 0)
			p->os_pid = v;
		else if (tdec_skip(d) < 0)
			return -1;
	}
	return tdec_list_end(d, n);
}

/* {Item, N} or undefined (closed meanwhile: 0). */
static int decode_item(struct tdec *d, uint64_t *v)
{
	char key[32];
	int arity;

	*v = 0;
	if (tdec_atom_is(d, "undefined"))
		return 0;
	if (tdec_tuple(d, &arity) < 0 || arity != 2 ||
	    tdec_atom(d, key, sizeof key) < 0 || tdec_u64(d, v) < 0)
		return -1;
	return 0;
}

/* inet:getstat's answer: {ok, [{recv_oct, In}, {send_oct, Out}]} gives
 * p's traffic; {error, _} leaves it unknown (a socket closed meanwhile). */
static int decode_traffic(struct tdec *d, struct port_rec *p)
{
	char key[16];
	int arity, n;

	if (tdec_tuple(d, &arity) < 0 || arity != 2 || tdec_atom(d, key, sizeof key) < 0)
		return -1;
	if (strcmp(key, "ok") != 0)
		return tdec_skip(d);
	if (tdec_list(d, &n) < 0 || n != 2 ||
	    tdec_tuple(d, &arity) < 0 || arity != 2 || tdec_skip(d) < 0 ||
	    tdec_u64(d, &p->input) < 0 ||
	    tdec_tuple(d, &arity) < 0 || arity != 2 || tdec_skip(d) < 0 ||
	    tdec_u64(d, &p->output) < 0)
		return -1;
	return tdec_list_end(d, n);
}

/* The chunk's rows, from the parallel lists of ports_info's answer (c[0]
 * Ports, c[1] infos, c[2] memories, c[3] queues). */
static int chunk_rows(struct snapshot *s, struct tdec c[4], size_t *first)
{
	int n[4], i, k;

	for (k = 0; k < 4; k++)
		if (tdec_list(&c[k], &n[k]) < 0 || n[k] != n[0])
			return -1;
	*first = s->n_ports;
	for (i = 0; i < n[0]; i++) {
		struct port_rec *p = snapshot_add_port(s);

		if (!p)
			return -2;
		if (tdec_port(&c[0], &p->id) < 0 || decode_port_info(&c[1], s, p) < 0 ||
		    decode_item(&c[2], &p->memory) < 0 ||
		    decode_item(&c[3], &p->queue) < 0) {
			s->n_ports--;
			return -1;
		}
	}
	for (k = 0; k < 4; k++)
		if (tdec_list_end(&c[k], n[k]) < 0)
			return -1;
	return 0;
}

/* The sockets' traffic (c[0] Inet, c[1] getstat's answers): Inet is in
 * the chunk's order, so one walk over its rows from first finds them. */
static int chunk_traffic(struct snapshot *s, struct tdec c[2], size_t first)
{
	struct bt_port id;
	size_t j = first;
	int n, m, i;

	if (tdec_list(&c[0], &n) < 0 || tdec_list(&c[1], &m) < 0 || m != n)
		return -1;
	for (i = 0; i < n; i++) {
		if (tdec_port(&c[0], &id) < 0)
			return -1;
		while (j < s->n_ports && s->ports[j].id.id != id.id)
			j++;
		if (j == s->n_ports)
			return -1;
		if (decode_traffic(&c[1], &s->ports[j]) < 0)
			return -1;
	}
	return tdec_list_end(&c[0], n) < 0 || tdec_list_end(&c[1], m) < 0 ? -1 : 0;
}

/* ports_info's answer: {Ports, Infos, Memories, Queues, Inet, Traffic}. */
static int decode_chunk(struct snapshot *s, struct tdec *r)
{
	struct tdec c[6];
	size_t first;
	int arity, k, rc;

	if (tdec_tuple(r, &arity) < 0 || arity != 6)
		return -1;
	c[0] = *r;
	for (k = 1; k < 6; k++) {
		c[k] = c[k - 1];
		if (tdec_skip(&c[k]) < 0)
			return -1;
	}
	if ((rc = chunk_rows(s, c, &first)) < 0)
		return rc;
	return chunk_traffic(s, c + 4, first);
}

int col_ports_on_chunk(struct collector *col, struct snapshot *s, struct tdec *r,
		       long arg)
{
	int rc = r ? decode_chunk(s, r) : -1;

	if (rc == -2)
		return -1; /* out of memory */
	col_chunked_back(&col->ports, arg, rc == 0 ? 1 : col->timed_out ? -1 : 0);
	if (col_chunked_next(col, &col->ports) < 0)
		return -1;
	if (col_chunked_done(&col->ports))
		s->ports_ok = !col->ports.failed;
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int is_socket_name(const char *name)
{
	return name && (strcmp(name, "tcp_inet") == 0 || strcmp(name, "udp_inet") == 0 ||
			strcmp(name, "sctp_inet") == 0);
}

/* The ports that the last refresh saw as inet sockets, sorted. */
static void find_sockets(struct collector *col)
{
	const struct snapshot *b = col->base;
	size_t i, n = 0;
	uint64_t *k;

	col->n_sockets = 0;
	if (!b || b->n_ports == 0)
		return;
	k = realloc(col->sockets, b->n_ports * sizeof *k);
	if (!k)
		return;
	col->sockets = k;
	for (i = 0; i < b->n_ports; i++)
		if (is_socket_name(strpool_get(&b->pool, b->ports[i].name)))
			k[n++] = port_key(&b->ports[i]);
	qsort(k, n, sizeof *k, cmp_key);
	col->n_sockets = n;
}

static int send_ports_chunk(struct collector *col, const char *raw, int rawlen,
			    int n, long start, unsigned tmo)
{
	struct tenc *t = col->enc;
	struct tdec d = { raw, 0, rawlen };
	struct qargs a = { 0 };
	struct bt_port id;
	const char *data;
	int len, ports_end, i, ninet = 0;

	(void)tmo; /* no deadline of their own: ports are not chunked by time */
	tenc_reset(t);
	col_args_chunk(t, raw, rawlen, n);
	tenc_data(t, &ports_end);
	for (i = 0; i < n && tdec_port(&d, &id) == 0; i++)
		if (col->n_sockets && bsearch(&id.id, col->sockets, col->n_sockets,
					      sizeof id.id, cmp_key))
			ninet++;
	tenc_list(t, ninet);
	d.idx = 0;
	for (i = 0; i < n && tdec_port(&d, &id) == 0; i++)
		if (col->n_sockets && bsearch(&id.id, col->sockets, col->n_sockets,
					      sizeof id.id, cmp_key))
			tenc_port(t, &id, conn_target(col->conn));
	tenc_nil(t);
	data = tenc_data(t, &len);
	qargs_add(&a, qval_ptr("Ports", QV_RAW, data, ports_end));
	qargs_add(&a, qval_ptr("Inet", QV_RAW, data + ports_end, len - ports_end));
	return col_query(col, QUERY_PORTS_INFO, &a, col_ports_on_chunk, start,
			 "port_info");
}

static int on_ports(struct collector *col, struct snapshot *s, struct tdec *r,
		    long arg)
{
	int n;

	(void)arg;
	if (!r || (n = col_chunked_take(&col->ports, r)) < 0)
		return 0;
	if (n == 0) {
		s->ports_ok = 1;
		return 0;
	}
	return col_chunked_next(col, &col->ports);
}

int col_ports_start(struct collector *col, struct snapshot *s)
{
	(void)s;
	find_sockets(col);
	return col_issue(col, "erlang", "ports", NULL, on_ports, 0, "ports");
}

void col_ports_init(struct collector *col)
{
	col_chunked_init(&col->ports, 2000);
	col->ports.send = send_ports_chunk;
}
