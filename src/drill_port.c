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

/* A proplist as "key  value" lines into s. */
static int add_proplist(const struct drill *d, struct dsection *s,
			struct tdec *r)
{
	int n, i, arity;

	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char key[64], val[DRILL_WIDTH];
		struct dline *l;
		struct bt_pid pid;
		struct tdec t;

		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0)
			return -1;
		t = *r;
		if (tdec_pid(&t, &pid) == 0) {
			char p[32];

			l = drill_add(s, "%-22s %s", key, fmt_pid(p, sizeof p, &pid));
			drill_target_pid(l, &pid);
			*r = t;
			continue;
		}
		if (tdec_text(&t, val, sizeof val) == 0 && strcmp(key, "name") == 0) {
			drill_add(s, "%-22s %s", key, val);
			*r = t;
			continue;
		}
		if (drill_value_text(d, r, val, sizeof val) < 0)
			return -1;
		drill_add(s, "%-22s %s", key, val);
	}
	return tdec_list_end(r, n);
}

/* ets:info gives memory in words: the line says bytes, as the list does. */
static void words_as_bytes(const struct drill *d, struct dsection *s,
			   const char *key)
{
	size_t kl = strlen(key);
	char b[32];
	int i;

	for (i = 0; i < s->n; i++) {
		char *t = s->line[i].text;
		unsigned long long w;

		if (strncmp(t, key, kl) != 0 || t[kl] != ' ' ||
		    sscanf(t + kl, " %llu", &w) != 1)
			continue;
		snprintf(t, sizeof s->line[i].text, "%-22s %s (%llu words)", key,
			 fmt_bytes(b, sizeof b, (double)w * d->wordsize), w);
	}
}

void drill_ets_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_INFO];

	if (!drill_answered(d, s, r, why, NULL))
		return;
	drill_begin(s);
	if (add_proplist(d, s, r) < 0) {
		drill_fail(s, NULL);
		return;
	}
	words_as_bytes(d, s, "memory");
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
	for (i = 0; i < n; i++) {
		if (drill_value_text(d, r, buf, sizeof buf) < 0) {
			drill_fail(s, NULL);
			return;
		}
		drill_add(s, "%s", buf);
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
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || add_proplist(d, s, r) < 0) {
		drill_fail(s, NULL);
		return;
	}
	if (add_proplist(d, inet, r) < 0)
		drill_fail(inet, NULL);
	else if (inet->n == 0)
		snprintf(inet->why, sizeof inet->why, "not an inet socket");
}
