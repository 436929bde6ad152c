/*
 * collect.h - the queries: what beamtop asks the target and how the answers
 * become a snapshot.
 *
 * Only code already on every node is called: BIFs, stdlib, and
 * runtime_tools' observer_backend where the node has it.  Independent
 * queries are sent together and answered in any order; a query that fails
 * or times out leaves its part of the snapshot empty and says so in
 * snapshot.errors, it does not fail the refresh.
 */
#ifndef BEAMTOP_COLLECT_H
#define BEAMTOP_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/collect_opts.h"
#include "beamtop/ids.h"
#include "beamtop/query.h"

struct bt_pid;
struct bt_ref;
struct conn;
struct pidmap;
struct snapshot;
struct tdec;
struct tenc;

/* Called with the reply of a side call, or NULL when it failed or timed
 * out (then `why` says which). */
typedef void (*side_fn)(void *ctx, struct tdec *reply, const char *why);

struct collector;

/* A collector for the connection c (which it borrows).  NULL when out of
 * memory. */
struct collector *collect_new(struct conn *c, const struct collect_opts *o);

/* Lets go of what the collector holds on the target (the scheduler wall
 * time flag) and frees it.  The connection stays open.  NULL is fine. */
void collect_free(struct collector *col);

/* Changes which extra process fields are collected from the next refresh. */
void collect_set_extra(struct collector *col, unsigned extra);
/* Takes o's hook and stop flag: a new owner (the screen's thread) takes
 * over a collector made before it. */
void collect_set_owner(struct collector *col, const struct collect_opts *o);

/* Fills s (cleared first) with one refresh.  base is the refresh before
 * (NULL for none): when the budget calls for an incremental refresh, its
 * process rows are carried over and only the candidates are read again.
 * Returns 0 when the refresh finished, parts of it possibly missing
 * (s->errors), -1 with err filled when the connection was lost, or
 * COLLECT_STOPPED when *opts.stop was set. */
#define COLLECT_STOPPED (-3)
int collect_refresh(struct collector *col, struct snapshot *s,
		    const struct snapshot *base, char *err, size_t errlen);

/* While collect_refresh() waits (from the owner's hook): the snapshot it
 * fills, when that refresh is a full scan whose process list is still
 * coming and the node-wide figures are in (or had a second to come); else
 * NULL.  What it holds so far may be copied, never changed. */
const struct snapshot *collect_partial(const struct collector *col);

/* The processes to read again on an incremental refresh: rows[i] is the
 * row of pids[i] in the snapshot that will be the next refresh's base;
 * the first n_mem are the tops (see collect_heaps.c).  Copied. */
void collect_set_candidates(struct collector *col, const struct bt_pid *pids,
			    const uint32_t *rows, size_t n, size_t n_mem);

/* Asks for a full scan as soon as the budget allows: a signal says the
 * lists may be wrong (why is shown). */
void collect_want_full(struct collector *col, const char *why);

/* Keeps the connection answered for up to ms (ticks, late replies, our
 * holder's messages).  Returns 0, or -1 with err filled when the connection
 * was lost.  Returns early when a signal arrives. */
int collect_idle(struct collector *col, unsigned ms, char *err, size_t errlen);

/* Starts mod:fun(args) outside the refresh: its answer goes to fn(ctx),
 * from inside collect_refresh() or collect_idle(), whenever it comes; a
 * refresh does not wait for it.  timeout_ms 0 is the default deadline.
 * Returns 0, -1 when the connection was lost, or CONN_REFUSED (conn.h)
 * when the read-only gate refused it (fn not called). */
int collect_side(struct collector *col, const char *mod, const char *fun,
		 const struct tenc *args, unsigned timeout_ms, side_fn fn,
		 void *ctx);

/* Has the node evaluate the embedded query id (see query.h) with
 * erl_eval, its variables bound to a's values (NULL: none; they must be
 * exactly the variables the query declares).  The query runs in a worker
 * of its own on the node, ended at its deadline (timeout_ms, 0 for the
 * default) or when our connection drops.  Its value goes to fn(ctx); a
 * failure on the node (it crashed, hit its heap limit, timed out), a
 * query that the node lacks atoms for, or values that do not match its
 * variables go to fn with NULL and why.  Whether it may change the node
 * is the query's to say (its Mutating: header), never the caller's: a
 * mutating query on a read-only connection is refused.  Returns 0, -1
 * when the connection was lost, CONN_REFUSED when refused (read-only; fn
 * not called, the collector's last error says so). */
int collect_query(struct collector *col, enum query_id id,
		  const struct qargs *a, unsigned timeout_ms, side_fn fn,
		  void *ctx);

/* 0 when this connection refuses query id (it changes the node and the
 * connection is read-only), else 1: what collect_query() would decide,
 * for saying so before asking. */
int collect_query_allowed(const struct collector *col, enum query_id id);

/* 1 once the node has said what it has (the first refresh asks): queries
 * sent before that are refused. */
int collect_ready(const struct collector *col);


/* Encodes into t the list of process_info items of the drill-down's
 * summary that this node can answer without making an atom.  How many. */
int collect_proc_info_items(struct collector *col, struct tenc *t);

/* The marker of the parts that queries cut on the node (for printing
 * them as such: tdec_print_marked()). */
const struct bt_ref *collect_mark(const struct collector *col);

/* Whether the node runs Elixir (its module elixir is among the modules
 * the node has loaded, read once per connection: no call of its own, no
 * atom), so that terms are printed as IEx prints them.  0 until known. */
int collect_elixir(const struct collector *col);

/* The node's atom table as last read: count and limit (0 unknown). */
void collect_atoms(const struct collector *col, uint64_t *count,
		   uint64_t *limit);

/* Starts a call that changes the node (an action: kill, gc), flagged as
 * such so that a read-only connection refuses it.  As collect_side(). */
int collect_action(struct collector *col, const char *mod, const char *fun,
		   const struct tenc *args, unsigned timeout_ms, side_fn fn,
		   void *ctx);

/* --agent: puts the agent on the node if it is not there yet (a change to
 * the node, so refused when read-only) and uses it from then on.
 * Returns 0, or -1 with a one-line reason (OTP too old, read-only, load
 * failed, connection lost). */
int collect_agent_setup(struct collector *col, char *err, size_t errlen);

/* What the node says of one process's name (see collect_names.c). */
struct proc_name {
	struct bt_pid pid;
	uint8_t gone;          /* no such process now */
	uint8_t registered;    /* name is its registered name */
	uint8_t again;         /* its dictionary was not read this time (the
	                        * call's budget): ask again later */
	char name[256];        /* registered name, else (proc_lib's real)
	                        * initial call */
	char label[256];       /* its label, or "" */
	char cf[256];          /* current function */
};

/* Called once per collect_names_async(): with the answers, or none (n
 * 0) when the node did not answer. */
typedef void (*names_fn)(void *ctx, const struct proc_name *a, size_t n);

/* Asks for the names and current functions of the rows of s that want
 * one (proc_wants_name()), and waits.  map is s's pid map.  Returns 0, or
 * -1 when the connection was lost. */
int collect_names(struct collector *col, struct snapshot *s,
		  const struct pidmap *map, const size_t *rows, size_t n,
		  char *err, size_t errlen);
/* The same without waiting: the answers go to fn, to be given to
 * collect_apply_names().  One at a time: -2 while one is on its way. */
int collect_names_async(struct collector *col, const struct bt_pid *pids,
			size_t n, names_fn fn, void *ctx);
void collect_apply_names(struct snapshot *s, const struct pidmap *map,
			 const struct proc_name *a, size_t n);

/* The name of the node that answers (erlang:node()): 0 and out filled, 1
 * when it did not say, -1 when the connection was lost. */
int collect_node_name(struct collector *col, char *out, size_t outlen);

/* The collector's scratch encoder, for building a side call's args. */
struct tenc *collect_encoder(struct collector *col);

/* Which process source is in use: "observer_backend", "plain" or
 * "unknown" before the first refresh. */
const char *collect_source_name(const struct collector *col);

#endif
