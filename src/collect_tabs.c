/*
 * collect_tabs.c - ETS tables (ports: collect_ports.c).
 *
 * The list of tables first, then their details a chunk at a time
 * (collect_chunk.c): lists:map(fun ets:info/1, Tabs).  A table that went
 * away in between answers `undefined` and is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

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

int col_ets_on_chunk(struct collector *col, struct snapshot *s, struct tdec *r,
		     long arg)
{
	int n, i, ok = 1;

	(void)arg;
	if (!r || tdec_list(r, &n) < 0) {
		ok = 0;
	} else {
		for (i = 0; i < n; i++) {
			struct ets_tab tmp, *e;
			int rc;

			memset(&tmp, 0, sizeof tmp);
			rc = decode_ets(r, s, &tmp);
			if (rc < 0) {
				ok = 0;
				break;
			}
			if (rc == 1)
				continue;
			e = snapshot_add_ets(s);
			if (!e)
				return -1;
			*e = tmp;
		}
	}
	col_chunked_back(&col->ets, arg, ok ? 1 : col->timed_out ? -1 : 0);
	if (col_chunked_next(col, &col->ets) < 0)
		return -1;
	if (col_chunked_done(&col->ets))
		s->ets_ok = !col->ets.failed;
	return 0;
}

/* lists:map(fun ets:info/1, Tabs): each answer carries the table's id. */
static int send_ets_chunk(struct collector *col, const char *raw, int rawlen,
			  int n, long start, unsigned tmo)
{
	struct tenc *t = col->enc;

	tenc_reset(t);
	tenc_list(t, 2);
	tenc_fun(t, "ets", "info", 1);
	col_args_chunk(t, raw, rawlen, n);
	tenc_nil(t);
	return col_issue_tmo(col, "lists", "map", t, col_ets_on_chunk, start,
			     "ets:info", tmo);
}

static int on_ets_all(struct collector *col, struct snapshot *s,
		      struct tdec *r, long arg)
{
	int n;

	(void)arg;
	if (!r || (n = col_chunked_take(&col->ets, r)) < 0)
		return 0;
	if (n == 0) {
		s->ets_ok = 1;
		return 0;
	}
	return col_chunked_next(col, &col->ets);
}

int col_ets_start(struct collector *col, struct snapshot *s)
{
	(void)s;
	return col_issue(col, "ets", "all", NULL, on_ets_all, 0, "ets:all");
}

void col_tabs_init(struct collector *col)
{
	col_chunked_init(&col->ets, 2000);
	col->ets.send = send_ets_chunk;
	col_ports_init(col);
}

/* Drops closed ports and scales ETS words to bytes. */
void col_tabs_finish(struct snapshot *s)
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
