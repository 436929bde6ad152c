/*
 * query.h - beamtop's remote queries: Erlang expressions (src/queries/
 * *.expr) parsed at build time and embedded in external term format, which
 * the node evaluates with erl_eval from stdlib.  Used where one BIF call is
 * not enough and the answer must be bounded on the node before it is sent
 * (a binary sum, the head of a mailbox, a capped state); nothing is loaded
 * into the node.
 *
 * src/queries/qc.escript states the contract of each query from its header
 * comments: the variables the caller binds, whether it changes the node,
 * the modules it needs that a node may not have loaded, its worker's heap
 * limit, and every atom it carries (renamed so that all are atoms that
 * nodes have; the list lets beamtop check them on the node first).
 */
#ifndef BEAMTOP_QUERY_H
#define BEAMTOP_QUERY_H

#include <stddef.h>

struct query_def {
	const char *name;              /* the file's name without .expr */
	const unsigned char *bytes;    /* the parsed expression, no version byte */
	size_t len;
	const char *const *bind_names; /* as written, sorted; NULL-terminated */
	const char *const *bind_atoms; /* what they are renamed to, same order */
	int nbinds;
	const char *const *needs;      /* modules a node may lack, NULL-ended */
	const char *const *atoms;      /* every atom of the expression */
	int natoms;
	int mutating;                  /* changes the node: never when read-only */
	int bare;                      /* not wrapped: no Heap, Mark, Tmo, Us */
	long heap_words;               /* the worker's heap limit */
};

extern const struct query_def query_defs[];
extern const size_t query_ndefs;

/* The query called name, or NULL. */
const struct query_def *query_find(const char *name);

/* The atom that bound variable `name` of q is renamed to, or NULL. */
const char *query_bind_atom(const struct query_def *q, const char *name);

#endif
