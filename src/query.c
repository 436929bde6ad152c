/*
 * query.c - the embedded remote queries' contracts (see query.h; the table
 * itself is generated into build/queries.c): finding one by id, and
 * checking a caller's values against the variables a query declares, so
 * that a query never leaves with a variable unbound or misnamed (erl_eval
 * would fail on the node, after the query had been sent).
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/query.h"

const struct query_def *query_def(enum query_id id)
{
	if ((int)id < 0 || id >= QUERY_COUNT_)
		return NULL;
	return &query_defs[id];
}

struct qval qval_int(const char *name, long i)
{
	return (struct qval){ name, QV_INT, i, NULL, 0 };
}

struct qval qval_ptr(const char *name, enum qval_kind kind, const void *p,
		     int len)
{
	return (struct qval){ name, kind, 0, p, len };
}

void qargs_add(struct qargs *a, struct qval v)
{
	if (a->n < 0)
		return;
	if (a->n >= QUERY_ARGS_MAX) {
		a->n = -1;
		return;
	}
	a->v[a->n++] = v;
}

/* How many of a's values are called name. */
static int count_named(const struct qargs *a, const char *name)
{
	int i, n = 0;

	for (i = 0; a && i < a->n; i++)
		n += a->v[i].name && strcmp(a->v[i].name, name) == 0;
	return n;
}

int query_args_check(const struct query_def *q, const struct qargs *a,
		     char *why, size_t whylen)
{
	int n = a ? a->n : 0, i, k;

	if (n < 0) {
		snprintf(why, whylen, "query %s: more values than any query binds",
			 q->name);
		return -1;
	}
	for (i = 0; i < q->nargs; i++) {
		k = count_named(a, q->args[i]);
		if (k != 1) {
			snprintf(why, whylen, "query %s: variable %s bound %d times",
				 q->name, q->args[i], k);
			return -1;
		}
	}
	/* Every declared name once: any value left over is a stranger. */
	if (n != q->nargs) {
		for (i = 0; i < n; i++) {
			for (k = 0; k < q->nargs; k++)
				if (a->v[i].name && strcmp(a->v[i].name, q->args[k]) == 0)
					break;
			if (k == q->nargs)
				break;
		}
		snprintf(why, whylen, "query %s has no variable %s", q->name,
			 i < n && a->v[i].name ? a->v[i].name : "(unnamed)");
		return -1;
	}
	return 0;
}

const char *query_bind_atom(const struct query_def *q, const char *name)
{
	int i;

	for (i = 0; i < q->nbinds; i++)
		if (strcmp(q->bind_names[i], name) == 0)
			return q->bind_atoms[i];
	return NULL;
}
