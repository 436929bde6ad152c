/*
 * query.h - beamtop's remote queries: Erlang expressions (src/queries/
 * *.expr) parsed at build time and embedded in external term format, which
 * the node evaluates with erl_eval from stdlib.  Used where one BIF call is
 * not enough and the answer must be bounded on the node before it is sent
 * (a binary sum, the head of a mailbox, a capped state); nothing is loaded
 * into the node.
 */
#ifndef BEAMTOP_QUERY_H
#define BEAMTOP_QUERY_H

#include <stddef.h>

struct query_def {
	const char *name;              /* the file's name without .expr */
	const unsigned char *bytes;    /* the parsed expression, no version byte */
	size_t len;
};

extern const struct query_def query_defs[];
extern const size_t query_ndefs;

/* The query called name, or NULL. */
const struct query_def *query_find(const char *name);

#endif
