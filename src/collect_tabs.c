/*
 * collect_tabs.c - ETS tables and ports.
 *
 * Both take two round trips with stdlib only: the list of ids, then
 * lists:map / lists:zipwith of the info BIFs over that list, sent back as
 * the very bytes the node gave us.  A table or port that went away in
 * between answers `undefined` and is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

enum { PORT_INFO, PORT_MEMORY, PORT_QUEUE };

static uint8_t ets_type(const char *a)
{
	return strcmp(a, "set") == 0 ? ETS_SET :
	       strcmp(a, "ordered_set") == 0 ? ETS_ORDERED_SET :
	       strcmp(a, "bag") == 0 ? ETS_BAG :
	       strcmp(a, "duplicate_bag") == 0 ? ETS_DUPLICATE_BAG :
	       ETS_TYPE_UNKNOWN;
}

static uint8_t ets_prot(const char *a)
{
	return strcmp(a, "public") == 0 ? ETS_PUBLIC :
	       strcmp(a, "protected") == 0 ? ETS_PROTECTED :
	       strcmp(a, "private") == 0 ? ETS_PRIVATE : ETS_PROT_UNKNOWN;
}

/* One ets:info/1 result: undefined, or a proplist.  Memory is in words
 * until collect's finish step multiplies it by the word size.  Returns 1
 * for a table that is gone. */
static int decode_ets(struct tdec *d, struct snapshot *s, struct ets_tab *e)
{
	char key[32], val[TDEC_ATOM_MAX];
	int n, i, arity;

	if (tdec_atom_is(d, "undefined"))
		return 1;
	if (tdec_list(d, &n) < 0)
		return -1;
	e->type = ETS_TYPE_UNKNOWN;
	e->protection = ETS_PROT_UNKNOWN;
	for (i = 0; i < n; i++) {
		if (tdec_tuple(d, &arity) < 0 || arity != 2 ||
		    tdec_atom(d, key, sizeof key) < 0)
			return -1;
		if (strcmp(key, "id") == 0 && tdec_ref(d, &e->id) == 0)
			continue;
		if (strcmp(key, "name") == 0 && tdec_atom(d, val, sizeof val) == 0) {
			e->name = strpool_add(&s->pool, val);
			continue;
		}
		if (strcmp(key, "named_table") == 0 && tdec_atom(d, val, sizeof val) == 0) {
			e->named = strcmp(val, "true") == 0;
			continue;
		}
		if (strcmp(key, "type") == 0 && tdec_atom(d, val, sizeof val) == 0) {
			e->type = ets_type(val);
			continue;
		}
		if (strcmp(key, "protection") == 0 && tdec_atom(d, val, sizeof val) == 0) {
			e->protection = ets_prot(val);
			continue;
		}
		if (strcmp(key, "owner") == 0 && tdec_pid(d, &e->owner) == 0)
			continue;
		if (strcmp(key, "size") == 0 && tdec_u64(d, &e->size) == 0)
			continue;
		if (strcmp(key, "memory") == 0 && tdec_u64(d, &e->memory) == 0)
			continue;
		if (tdec_skip(d) < 0) /* a key we do not use, or an odd value */
			return -1;
	}
	return tdec_list_end(d, n);
}

static int on_ets_info(struct collector *col, struct snapshot *s,
		       struct tdec *r, long arg)
{
	int n, i;

	(void)col, (void)arg;
	if (!r || tdec_list(r, &n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct ets_tab tmp, *e;
		int rc;

		memset(&tmp, 0, sizeof tmp);
		rc = decode_ets(r, s, &tmp);
		if (rc < 0)
			return 0;
		if (rc == 1)
			continue;
		e = snapshot_add_ets(s);
		if (!e)
			return -1;
		*e = tmp;
	}
	s->ets_ok = 1;
	return 0;
}

static int on_ets_all(struct collector *col, struct snapshot *s,
		      struct tdec *r, long arg)
{
	const char *raw;
	int len;

	(void)s, (void)arg;
	if (!r || col_raw_term(r, &raw, &len) < 0)
		return 0;
	col_args_map(col->enc, "ets", "info", raw, len);
	return col_issue(col, "lists", "map", col->enc, on_ets_info, 0,
			 "ets:info");
}

int ets_start(struct collector *col, struct snapshot *s)
{
	(void)s;
	return col_issue(col, "ets", "all", NULL, on_ets_all, 0, "ets:all");
}

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

/* {memory, N} / {queue_size, N} or undefined. */
static int decode_port_item(struct tdec *d, uint64_t *v)
{
	int arity;

	if (tdec_atom_is(d, "undefined"))
		return 0;
	if (tdec_tuple(d, &arity) < 0 || arity != 2 || tdec_skip(d) < 0)
		return -1;
	return tdec_u64(d, v) == 0 ? 0 : tdec_skip(d);
}

static int on_port_part(struct collector *col, struct snapshot *s,
			struct tdec *r, long arg)
{
	int n, i, rc;

	(void)col;
	if (!r || tdec_list(r, &n) < 0 || (size_t)n != s->n_ports)
		return 0;
	for (i = 0; i < n; i++) {
		struct port_rec *p = &s->ports[i];

		if (arg == PORT_INFO)
			rc = decode_port_info(r, s, p);
		else
			rc = decode_port_item(r, arg == PORT_MEMORY ? &p->memory :
					      &p->queue);
		if (rc < 0)
			return 0;
	}
	if (arg == PORT_INFO)
		s->ports_ok = 1;
	return 0;
}

static int on_ports(struct collector *col, struct snapshot *s, struct tdec *r,
		    long arg)
{
	struct tdec ids;
	const char *raw;
	int len, n, i;

	(void)arg;
	if (!r)
		return 0;
	ids = *r;
	if (tdec_list(&ids, &n) < 0 || col_raw_term(r, &raw, &len) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct port_rec *p = snapshot_add_port(s);

		if (!p)
			return -1;
		if (tdec_port(&ids, &p->id) < 0) {
			s->n_ports = 0;
			return 0;
		}
	}
	if (n == 0) {
		s->ports_ok = 1;
		return 0;
	}
	/* The three answers fill the rows above, in the same order. */
	col_args_map(col->enc, "erlang", "port_info", raw, len);
	if (col_issue(col, "lists", "map", col->enc, on_port_part, PORT_INFO,
		      "port_info") < 0)
		return -1;
	col_args_zip(col->enc, "erlang", "port_info", raw, len, n, "memory");
	if (col_issue(col, "lists", "zipwith", col->enc, on_port_part,
		      PORT_MEMORY, "port memory") < 0)
		return -1;
	col_args_zip(col->enc, "erlang", "port_info", raw, len, n, "queue_size");
	return col_issue(col, "lists", "zipwith", col->enc, on_port_part,
			 PORT_QUEUE, "port queue");
}

int ports_start(struct collector *col, struct snapshot *s)
{
	(void)s;
	return col_issue(col, "erlang", "ports", NULL, on_ports, 0, "ports");
}

/* Drops closed ports and scales ETS words to bytes. */
void tabs_finish(struct snapshot *s)
{
	uint32_t ws = s->sys.wordsize ? s->sys.wordsize : 8;
	size_t i, j = 0;

	for (i = 0; i < s->n_ets; i++)
		s->ets[i].memory *= ws;
	for (i = 0; i < s->n_ports; i++)
		if (!s->ports[i].gone)
			s->ports[j++] = s->ports[i];
	s->n_ports = j;
}
