/*
 * drill_port.c - the drill-down of an ETS table (ets:info and the first
 * objects, ets_objects.expr) and of a port (port_info.expr, with inet's
 * view of a socket).
 *
 * Both answers are mostly proplists, shown as "key  value" lines; what
 * is in words is said in bytes too, and a pid (an owner, a connected
 * process) leads to that process.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "drill_priv.h"

/* A proplist as "key  value" lines into s, values laid out as the shell
 * prints them; words_key's value (in words) is said in bytes too, as the
 * list says it. */
static int add_proplist(const struct drill *d, struct dsection *s,
			struct tdec *r, const char *words_key)
{
	int n, i, arity;

	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char key[64], val[DRILL_WIDTH], p[32];
		struct bt_pid pid;
		struct tdec t;
		uint64_t w;

		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0)
			return -1;
		t = *r;
		if (tdec_pid(&t, &pid) == 0)
			drill_target_pid(drill_add(s, "%-22s %s", key,
						   fmt_pid(p, sizeof p, &pid)), &pid);
		else if (words_key && strcmp(key, words_key) == 0 && tdec_u64(&t, &w) == 0)
			drill_add(s, "%-22s %s (%llu words)", key,
				  fmt_bytes(p, sizeof p, (double)w * d->wordsize),
				  (unsigned long long)w);
		/* A table's name (an Elixir alias as Elixir writes it), a
		 * port's command. */
		else if (strcmp(key, "name") == 0 && tdec_text(&t, val, sizeof val) == 0)
			drill_add(s, "%-22s %s", key, fmt_alias(val));
		else {
			snprintf(val, sizeof val, "%-22s ", key);
			if (drill_term(d, s, r, val, 23) < 0)
				return -1;
			continue;
		}
		*r = t;
	}
	return tdec_list_end(r, n);
}

void drill_ets_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_INFO];

	if (!drill_answered(d, s, r, why, NULL))
		return;
	drill_begin(s);
	if (add_proplist(d, s, r, "memory") < 0)
		drill_fail(s, NULL);
}

void drill_ets_objects(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_OBJECTS];
	char buf[DRILL_WIDTH], b1[32], b2[32];
	uint64_t size, asked, words;
	int64_t how;
	int arity, n, i;

	if (!drill_answered(d, s, r, why, "the table is gone"))
		return;
	if (tdec_atom_is(r, "private")) {
		drill_fail(s, "a private table: only its owner can read it");
		return;
	}
	if (tdec_tuple(r, &arity) < 0 || arity < 3 || tdec_i64(r, &how) < 0 ||
	    tdec_u64(r, &size) < 0) {
		drill_fail(s, NULL);
		return;
	}
	if (how == 2) {
		if (tdec_u64(r, &words) < 0)
			words = 0;
		snprintf(buf, sizeof buf, "not read: %llu objects in %s, over %s each "
			 "on average, the most beamtop lets the node copy",
			 (unsigned long long)size,
			 fmt_bytes(b1, sizeof b1, (double)words * d->wordsize),
			 fmt_bytes(b2, sizeof b2, drill_cap(d)));
		drill_fail(s, buf);
		return;
	}
	drill_begin(s);
	if (tdec_u64(r, &asked) < 0 || tdec_list(r, &n) < 0) {
		drill_fail(s, NULL);
		return;
	}
	snprintf(s->why, sizeof s->why, "the first %d of %llu objects (a bounded "
		 "match of at most %llu, as many as fit %s; never the whole table)",
		 n, (unsigned long long)size, (unsigned long long)asked,
		 fmt_bytes(b1, sizeof b1, drill_cap(d)));
	for (i = 0; i < n; i++)
		if (drill_term(d, s, r, "", 0) < 0) {
			drill_fail(s, NULL);
			return;
		}
}

void drill_port_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_INFO], *inet = &d->sec[SEC_INET];
	int arity;

	if (!drill_answered(d, s, r, why, NULL))
		return;
	drill_begin(s);
	drill_begin(inet);
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || add_proplist(d, s, r, NULL) < 0) {
		drill_fail(s, NULL);
		return;
	}
	if (add_proplist(d, inet, r, NULL) < 0)
		drill_fail(inet, NULL);
	else if (inet->n == 0)
		snprintf(inet->why, sizeof inet->why, "not an inet socket");
}
