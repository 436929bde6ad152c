/*
 * collect_priv.h - what the collector's files (collect*.c) share: the
 * collector itself and the little engine that keeps several queries in
 * flight and hands each answer to its handler (collect_call.c).
 */
#ifndef BEAMTOP_COLLECT_PRIV_H
#define BEAMTOP_COLLECT_PRIV_H

#include "beamtop/collect.h"
#include "beamtop/conn.h"
#include "beamtop/decode.h"
#include "beamtop/keymap.h"
#include "beamtop/query.h"
#include "beamtop/snapshot.h"

struct collector;

/* A call made and waited for (only where a wait is fine: setting up). */
struct col_sync {
	int done;
	int ok;
	char text[200];     /* the answer printed, or why it failed */
	int64_t num;        /* the answer, when it is an integer */
	int is_num;
	int is_atom;        /* the answer is an atom: its text */
};
/* Sends a call and waits for its answer.  Returns 0 (sc filled), -1 when
 * the connection was lost, CONN_REFUSED when refused (read-only). */
int col_call_sync(struct collector *col, const char *mod, const char *fun,
		  const struct tenc *args, int mutating, struct col_sync *sc);

/* Called with the reply (the value M:F returned), or with r == NULL when
 * the query failed ({badrpc, _}) or timed out.  Returns 0, 1 when a
 * failure was dealt with and needs no note in snapshot.errors, or -1 when
 * the connection was lost while issuing follow-up queries. */
typedef int (*reply_fn)(struct collector *col, struct snapshot *s,
			struct tdec *r, long arg);

struct inflight {
	long id;
	reply_fn fn;        /* NULL for a side call */
	long arg;
	const char *what;
	side_fn sfn;        /* a side call's handler */
	void *sctx;
	int mutating;       /* it changes the node */
	const struct query_def *query; /* an embedded query: its answer is
	                                * unwrapped (see collect_eval.c) */
	uint64_t sent_ms;   /* when it was sent */
	int tagged;         /* a wrapped query, which sends its answer
	                     * itself, tagged with tag (bound as Tag) */
	struct bt_ref tag;
};

#define COL_INFLIGHT_MAX 64
#define PROBE_MODS 8
#define PROBE_MISSING 64

/* A chunk on its way: where its ids are, and when it left. */
struct chunk_fly {
	long start;                /* byte offset in ids */
	int k, pos;                /* ids (0: a free slot), index of the first */
	uint64_t t0;
};

#define CHUNK_FLY_MAX 2

/* A long list read a chunk at a time (see collect_chunk.c). */
struct chunked {
	char *ids;                 /* the list's elements, as sent */
	int len, n;                /* bytes, elements */
	int off, pos;              /* the next to send: byte offset, index */
	int left, inflight;
	int per;                   /* ids per call now (adapted) */
	int max_per;               /* ids per call at most (configured) */
	double ms_per_id;          /* what an id cost in the last chunks; 0 unknown */
	int failed;                /* a chunk failed or could not be read */
	int unread;                /* ids of failed chunks, or never sent */
	int first;                 /* index where this pass began */
	int fail_dist;             /* first failed id, counted from `first` */
	int stop;                  /* index where sending stopped; -1 none */
	/* No chunk is sent, or waited for, after this (ms); 0: no limit. */
	uint64_t until;
	unsigned window_ms;        /* the time all chunks get; 0: no limit */
	double lat_ms;             /* how long the node took to list the ids */
	struct chunk_fly fly[CHUNK_FLY_MAX];
	/* Sends the call for n ids (raw bytes) with deadline tmo (0: the
	 * default); its reply handler gets arg = start, the chunk's offset
	 * in ids.  Returns 0, -1 (lost), or COL_NOT_SENT or CONN_REFUSED
	 * (the chunk counts as failed). */
	int (*send)(struct collector *col, const char *raw, int rawlen, int n,
		    long start, unsigned tmo);
};

/* Copies the ids of the list under r; returns how many, or -1.  The
 * pass starts where the last one was cut short (a chunk timed out, or the
 * time ran out), so that successive partial passes cover the whole list. */
int col_chunked_take(struct chunked *ch, struct tdec *r);
/* Sends chunks until two are in flight or `until` is near (the rest is
 * counted unread); 0, or -1 when the link is lost. */
int col_chunked_next(struct collector *col, struct chunked *ch);
/* The chunk at start came back (ok 1), failed (0) or timed out (-1); the
 * next chunks are sized from how long it took. */
void col_chunked_back(struct chunked *ch, long start, int ok);
/* Every chunk sent and answered. */
int col_chunked_done(const struct chunked *ch);
/* A cursor over the ids of the chunk that starts at start. */
void col_chunked_ids(const struct chunked *ch, long start, struct tdec *d);
void col_chunked_free(struct chunked *ch);
/* Sets the most ids per call (and the first chunk's size). */
void col_chunked_init(struct chunked *ch, int max_per);
/* Encodes [Ids...] from n raw ids. */
void col_args_chunk(struct tenc *t, const char *raw, int rawlen, int n);
/* Encodes [Items, Items, ...], n times: zipwith's second list for
 * process_info/2 over n pids. */
void col_args_items(struct tenc *t, int n, const char *const *items, int nitems);

struct collector {
	struct conn *conn;
	struct collect_opts o;
	struct tenc *enc;
	struct tenc *side_enc;    /* for the owner's side calls */
	struct tenc *eval_enc;    /* erl_eval's arguments around them */
	char why[200];            /* why the last side call failed */
	int timed_out;            /* the failure a reply_fn is told of was a timeout */
	char err[256];

	struct inflight q[COL_INFLIGHT_MAX];
	int nq;

	/* observer_backend: -1 not known yet, 0 absent, 1 present. */
	int backend;
	int backend_slow;         /* it timed out: chunks until they are fast */
	int plain_ran;            /* this refresh's list came by chunks */
	uint64_t procs_list_t0;   /* when erlang:processes() was asked */

	/* What the node has (collect_probe.c).  probe_state: 0 not asked,
	 * 1 asked, 3 checking atoms, 2 known. */
	int probe_state, probe_wait, probe_loaded, probe_checked;
	uint64_t atom_count, atom_limit;
	const char *mods[PROBE_MODS];
	int mod_loaded[PROBE_MODS], nmods;
	char missing[PROBE_MISSING][64];   /* atoms the node lacks */
	int nmissing, missing_more;
	struct bt_ref mark;       /* the queries' cut marker */
	int checked_vocab;        /* the fixed atoms were checked */
	int vocab_wait;
	const char *info_sent[24];  /* system_info items asked this refresh */
	int n_info_sent;
	struct tenc *info_args;   /* [info], for system_info */

	int stats_due;            /* the statistics call is on its way */
	/* What our queries cost the node (reductions) since the last
	 * candidates' answer (cand_back_ms), counting only those sent after
	 * it: see col_cost(). */
	uint64_t own_cost, cand_back_ms;
	int cand_due;             /* the candidates' read is on its way */
	struct names_job *names;  /* the names asked (collect_names.c) */
	int dict_items;           /* {dictionary, Key} items: 1 taken, -1
	                           * refused (before OTP 26.2), 0 unknown */

	/* The scheduler_wall_time holder (see collect.c). */
	int hold_state;           /* 0 none, 1 asked, 2 holding, 3 failed */
	struct bt_pid hold_from;
	char hold_tag[128];
	int hold_tag_len;

	/* The process stream of this refresh. */
	struct bt_pid mailbox;    /* chunks for this refresh come here */
	struct tenc *box_enc;     /* the mailbox, encoded for procs_stream */
	int stream_open;
	uint64_t stream_chunks;   /* chunks of it that came */
	struct chunked procs, ets, ports;
	/* The refresh being filled, for the chunks' send functions. */
	struct snapshot *s;
	int parts_sent;           /* all its calls are sent, answers awaited */

	/* Full scans and the budget (see collect_scan.c). */
	uint64_t last_full_ms;    /* when the last full scan began; 0 never */
	double full_cost_ms;      /* how long it took */
	double tokens;            /* ms of scanning the budget allows now */
	uint64_t tokens_at;
	struct bt_pid *cand;      /* the candidates, and their rows */
	uint32_t *cand_row;
	size_t ncand, cand_cap;
	size_t ncand_mem;         /* the first ones are the tops */
	struct heap_table *heaps; /* young heaps by pid: last read, this one */
	uint32_t *memory_of;      /* candidates whose memory is read next */
	size_t n_memory;
	unsigned heap_reads;      /* reads so far, for the periodic turns */
	uint64_t *sockets;        /* port keys of the last refresh's inet */
	size_t n_sockets;         /* sockets, sorted (collect_ports.c) */
	size_t cand_sent;         /* how many of them this refresh reads */
	char want_full[80];
	const struct snapshot *base;  /* the refresh before this one, or NULL */
	struct keymap seen, base_keys; /* for col_carry_stale() */
	uint64_t procs_t0;        /* when this refresh's process part began */
};

/* The scheduler_wall_time holder's inflight entry carries this arg, so
 * that the refresh does not wait for it (see collect_holder.c). */
#define COL_ARG_HOLDER (-7)

/* Spawns the holder on the node (collect_holder.c).  0, or -1 when the
 * connection was lost. */
int col_holder_start(struct collector *col);
/* {'$gen_call', {From, Tag}, scheduler_wall_time}: our holder is in place;
 * keeps From and Tag to answer it when we leave.  1 if ev was that. */
int col_holder_on_info(struct collector *col, const struct conn_event *ev);
/* Answers the holder's call, if it holds the flag, so that it ends now. */
void col_holder_release(struct collector *col);

/* Sends the node-wide calls of a refresh (collect_sys.c): memory,
 * system_info, statistics.  0, or -1 when the connection was lost. */
int col_sys_start(struct collector *col);
/* Sends the statistics call (reductions, run queues, scheduler time, I/O):
 * stats_due until it is answered. */
int col_stats_start(struct collector *col);
void col_names_free(struct collector *col);
/* After the refresh: counts not asked, and each scheduler's type. */
void col_sys_finish(struct snapshot *s);

/* Calls in flight that answer whether we are there or not: all but the
 * embedded queries, whose wrapper drops the answer for a beamtop that has
 * gone (collect_call.c). */
int col_unwrapped(const struct collector *col);
/* From now on the plain calls are relayed (conn_encode.c), when the node
 * has what the relay needs (erl_eval, and its atoms). */
void col_use_relay(struct collector *col);
/* Forgets the call that ev answers (or gave up on), unhandled. */
void col_forget(struct collector *col, const struct conn_event *ev);

/* Hands one event to whoever waits for it (collect_call.c).  Returns 0, or
 * -1 when a handler lost the connection. */
int col_dispatch(struct collector *col, struct snapshot *s,
		 struct conn_event *ev);

/* Decides between a full scan and reading the candidates, and starts it.
 * Returns 0, or -1 when the connection was lost. */
int col_scan_start(struct collector *col, struct snapshot *s,
		   const struct snapshot *base);
/* After the refresh: what the scan cost, and incremental bookkeeping. */
void col_scan_finish(struct collector *col, struct snapshot *s);
void col_scan_free(struct collector *col);

/* What col_query() returns for a query it did not send, whatever the
 * reason (read-only, atoms the node lacks, bad arguments): col->why. */
#define COL_NOT_SENT (-4)

/* As col_issue(), for an embedded query (see collect_query()); part of
 * the refresh.  Returns 0, -1 (lost) or COL_NOT_SENT. */
int col_query(struct collector *col, enum query_id id, const struct qargs *a,
	      reply_fn fn, long arg, const char *what);
/* Sends mod:fun(args) for the inflight entry f.  0, -1 or CONN_REFUSED. */
int col_issue_q(struct collector *col, const char *mod, const char *fun,
		const struct tenc *args, unsigned tmo, const struct inflight *f);
/* An embedded query's answer: 1 with r moved to the value and *cost what
 * it cost the node (reductions; 0 when not said), 0 with why (it failed
 * on the node), or -1 with why (it timed out there, and its work was
 * stopped). */
int col_unwrap(const struct collector *col, const struct inflight *f,
	       struct tdec *r, uint64_t *cost, char *why, size_t whylen);

/* The probe of what the node has (collect_probe.c): started on the first
 * refresh; col_probe_step() moves it on after answers; col_probe_busy()
 * while it waits. */
int col_probe_start(struct collector *col);
int col_probe_step(struct collector *col);
int col_probe_busy(const struct collector *col);
int col_probe_query_ok(const struct collector *col, const struct query_def *q,
		       char *why, size_t whylen);
/* 1 when beamtop may send this atom: the node has it, or has ample room
 * for the few fixed atoms of beamtop's calls. */
int col_atom_ok(const struct collector *col, const char *atom);
/* 1 when erlang:memory() makes no atoms (the node has asked it before),
 * or the node has ample room. */
int col_memory_direct(const struct collector *col);
/* 1 when the node has process labels (OTP 27+): process_info's label
 * item.  Older nodes have the atom label but refuse the item; only
 * proc_lib's '$process_label' says that they know it. */
int col_labels(const struct collector *col);
/* [info]: the args of system_info(info). */
const struct tenc *col_args_info(struct collector *col);
/* system_info(info)'s text: the =memory section into s (an answer to the
 * memory query). */
int col_on_memory_text(struct collector *col, struct snapshot *s, struct tdec *r,
		       long arg);

/* The drill-down summary's items, then the atoms their answers make
 * (NULL where none): i from 0; NULL past the end. */
const char *col_proc_info_item(int i);

/* The fixed lists of atoms collect.c sends (NULL-terminated). */
extern const char *const col_info_keys[];
extern const char *const col_stat_keys[];
/* A full scan that missed processes: adds the rows base had for them,
 * marked PF_STALE.  Returns 0, or -1 when out of memory. */
int col_carry_stale(struct collector *col, struct snapshot *s,
		    const struct snapshot *base);

/* Sends mod:fun(args) (args an encoded list, NULL for []) and remembers fn
 * for its answer.  Returns 0, or -1 with col->err filled. */
int col_issue(struct collector *col, const char *mod, const char *fun,
	      const struct tenc *args, reply_fn fn, long arg, const char *what);
/* The same with its own deadline, tmo ms (0: the default). */
int col_issue_tmo(struct collector *col, const char *mod, const char *fun,
		  const struct tenc *args, reply_fn fn, long arg,
		  const char *what, unsigned tmo);

/* Encodes [fun M:F/1, List] for lists:map, List given as raw bytes. */
void col_args_map(struct tenc *t, const char *mod, const char *fun,
		  const char *list, int len);
/* Encodes [fun M:F/2, List, [Item x n]] for lists:zipwith. */
void col_args_zip(struct tenc *t, const char *mod, const char *fun,
		  const char *list, int len, int n, const char *item);

/* Raw bytes of the term under the cursor, which is then skipped. */
int col_raw_term(struct tdec *d, const char **bytes, int *len);

/* Parts of a refresh, started by collect_refresh(). */
int col_procs_start(struct collector *col, struct snapshot *s);
/* A message to one of our mailboxes; returns 1 if it was a chunk. */
int col_procs_on_info(struct collector *col, struct snapshot *s,
		      const struct conn_event *ev);
void col_procs_finish(struct collector *col, struct snapshot *s);
/* Decodes an observer_backend chunk (a list of etop_proc_info records)
 * into s.  Returns -1 on a surprise; the records before it are kept. */
int col_procs_decode_chunk(struct tdec *d, struct snapshot *s);
int col_ets_start(struct collector *col, struct snapshot *s);
int col_ports_start(struct collector *col, struct snapshot *s);
void col_tabs_finish(struct snapshot *s);
/* The reply handlers that only decode (no follow-up calls), by kind: what
 * the fuzzer and the tests feed with made-up answers. */
enum col_decoder {
	DEC_MEMORY, DEC_INFO, DEC_STATS, DEC_ETS_CHUNK, DEC_PORTS_CHUNK,
	DEC_COUNT_
};
extern const reply_fn col_decoders[DEC_COUNT_];
int col_ets_on_chunk(struct collector *col, struct snapshot *s, struct tdec *r,
		     long arg);
int col_ports_on_chunk(struct collector *col, struct snapshot *s, struct tdec *r,
		       long arg);

/* Starts a stream of process chunks to a fresh mailbox: Mod:Fun(Relay,
 * Args...) run under the procs_stream query (collect_procs.c), so that it
 * ends at its deadline or when our connection drops.  arg is handed to
 * the end's handler (COL_ARG_AGENT for the agent's).  Returns 0, -1
 * (lost) or COL_NOT_SENT (no query can go to this node). */
#define COL_ARG_AGENT 2
int col_stream_start(struct collector *col, const char *mod, const char *fun,
		     const struct tenc *args, long arg);

/* The agent's stream (collect_agent.c). */
int col_agent_start(struct collector *col, struct snapshot *s);
int col_agent_on_chunk(struct collector *col, struct snapshot *s,
		       const struct conn_event *ev);

/* Which candidates need their memory read (collect_heaps.c): begin
 * before a read of n, note each one read (i its index, was and now its
 * row before and after, heap its young heap in words, or -1 when its
 * memory was read; top: one of the tops), end after.  The ones noted 1
 * are in memory_of[0..n_memory). */
int col_heaps_begin(struct collector *col, size_t n);
int col_heaps_note(struct collector *col, size_t i, uint64_t key,
		   const struct proc *was, const struct proc *now, int64_t heap,
		   int top);
void col_heaps_end(struct collector *col);
void col_heaps_free(struct collector *col);

/* Sets up the ports' chunked list (collect_ports.c). */
void col_ports_init(struct collector *col);
/* Sets up the chunked lists (chunk sizes, senders). */
void col_procs_init(struct collector *col);
void col_tabs_init(struct collector *col);

#endif
