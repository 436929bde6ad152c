/*
 * query.c - looking up the embedded remote queries (see query.h; the
 * table itself is generated into build/queries.c).
 */
#include <string.h>

#include "beamtop/query.h"

const struct query_def *query_find(const char *name)
{
	size_t i;

	for (i = 0; i < query_ndefs; i++)
		if (strcmp(query_defs[i].name, name) == 0)
			return &query_defs[i];
	return NULL;
}

const char *query_bind_atom(const struct query_def *q, const char *name)
{
	int i;

	for (i = 0; i < q->nbinds; i++)
		if (strcmp(q->bind_names[i], name) == 0)
			return q->bind_atoms[i];
	return NULL;
}
