/*
 * query.h - beamtop's remote queries: Erlang expressions (src/queries/
 * *.expr) parsed at build time and embedded in external term format, which
 * the node evaluates with erl_eval from stdlib.  Used where one BIF call is
 * not enough and the answer must be bounded on the node before it is sent
 * (a binary sum, the head of a mailbox, a capped state); nothing is loaded
 * into the node.
 *
 * src/queries/qc.escript states the contract of each query from its header
 * comments, into a table indexed by the query's id (enum query_id, one per
 * file, generated into build/include/beamtop/query_ids.h): the variables
 * the caller binds, whether it changes the node, the modules it needs that
 * a node may not have loaded, its worker's heap limit, and every atom it
 * carries (renamed so that all are atoms that nodes have; the list lets
 * beamtop check them on the node first).  Callers name a query by its id
 * and hand their values in a struct qargs, which is checked against what
 * the query declares before anything is sent.
 */
#ifndef BEAMTOP_QUERY_H
#define BEAMTOP_QUERY_H

#include <stddef.h>

#include "beamtop/query_ids.h"

struct query_def {
	enum query_id id;              /* its index in query_defs */
	const char *name;              /* the file's name without .expr */
	const unsigned char *bytes;    /* the parsed expression, no version byte */
	size_t len;
	/* Every variable bound when it is sent (the caller's and, unless
	 * bare, the wrapper's Heap, Mark, Tag, Tmo, Us), sorted as erl_eval's
	 * orddict needs them, and the atoms they are renamed to, same order. */
	const char *const *bind_names; /* NULL-terminated */
	const char *const *bind_atoms;
	int nbinds;
	const char *const *args;       /* the caller's variables, sorted */
	int nargs;
	const char *const *needs;      /* modules a node may lack, NULL-ended */
	const char *const *atoms;      /* every atom of the expression */
	int natoms;
	int mutating;                  /* changes the node: never when read-only */
	int bare;                      /* not wrapped: no Heap, Mark, Tag, Tmo, Us */
	long heap_words;               /* the worker's heap limit */
};

extern const struct query_def query_defs[QUERY_COUNT_];

/* A value bound to one variable of a query. */
enum qval_kind {
	QV_INT,     /* i */
	QV_PID,     /* p: a struct bt_pid of the target */
	QV_PORT,    /* p: a struct bt_port of the target */
	QV_REF,     /* p: a struct bt_ref of the target (an ETS table id) */
	QV_ATOM,    /* p: an atom the node gave us (never one typed by a user) */
	QV_BINARY,  /* p, len: bytes, sent as a binary (user text: not an atom) */
	QV_RAW      /* p, len: an encoded term */
};

struct qval {
	const char *name;        /* the variable as written in the query */
	enum qval_kind kind;
	long i;
	const void *p;
	int len;
};

/* A caller's values for one query, in any order.  n is -1 once more were
 * added than fit (then no query takes them). */
struct qargs {
	int n;
	struct qval v[QUERY_ARGS_MAX];
};

/* The contract of query id; NULL for an id out of range. */
const struct query_def *query_def(enum query_id id);

/* A value of kind QV_INT, and one of the kinds that point at data. */
struct qval qval_int(const char *name, long i);
struct qval qval_ptr(const char *name, enum qval_kind kind, const void *p,
		     int len);

/* Adds one value to a (see struct qargs for what too many does). */
void qargs_add(struct qargs *a, struct qval v);

/* 0 when a (NULL: none) binds exactly the variables q declares, each
 * once; else -1 with why saying which is missing, unknown or repeated.
 * Nothing is written on success. */
int query_args_check(const struct query_def *q, const struct qargs *a,
		     char *why, size_t whylen);

/* The atom that bound variable `name` of q is renamed to, or NULL. */
const char *query_bind_atom(const struct query_def *q, const char *name);

#endif
