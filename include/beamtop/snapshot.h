/*
 * snapshot.h - one refresh's worth of facts about the target, as plain data.
 *
 * collect fills a snapshot; model keeps the current and previous ones and
 * derives rates from them; view and batch only read.  Units are the node's
 * own: bytes for memory (ETS words already multiplied by the word size),
 * counts for reductions and queues.  Strings live in the snapshot's pool.
 */
#ifndef BEAMTOP_SNAPSHOT_H
#define BEAMTOP_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "beamtop/ids.h"
#include "beamtop/strpool.h"

#define SNAP_MEM_MAX 24

struct mem_entry {
	char kind[24];     /* an erlang:memory() key: total, processes, ... */
	uint64_t bytes;
};

/* The system_info values, for `known` (below). */
enum si_field {
	SI_PROCESS_COUNT, SI_PROCESS_LIMIT, SI_PORT_COUNT, SI_PORT_LIMIT,
	SI_ATOM_COUNT, SI_ATOM_LIMIT, SI_ETS_COUNT, SI_ETS_LIMIT, SI_SCHEDULERS,
	SI_SCHEDULERS_ONLINE, SI_DIRTY_CPU, SI_DIRTY_CPU_ONLINE, SI_DIRTY_IO,
	SI_LOGICAL, SI_WORDSIZE
};

/* Values from erlang:system_info/1 and erlang:statistics/1.  A value the
 * node did not give stays 0; `have_*` says what arrived, and `known` which
 * system_info values did (one is not asked where asking would make an atom
 * on the node): use SI_KNOWN. */
#define SI_KNOWN(si, f) ((si)->have_info && ((si)->known >> (f) & 1u))
struct sysinfo {
	uint32_t known;             /* bits (1 << enum si_field) */
	uint64_t process_count, process_limit;
	uint64_t port_count, port_limit;
	uint64_t atom_count, atom_limit;
	uint64_t ets_count, ets_limit;
	uint32_t schedulers, schedulers_online;
	uint32_t dirty_cpu, dirty_cpu_online, dirty_io;
	uint32_t logical_processors;
	uint32_t wordsize;
	char otp_release[16];
	char erts_version[32];
	uint64_t uptime_ms;
	uint64_t reductions;        /* statistics(reductions), total */
	uint64_t io_in, io_out;     /* statistics(io), bytes since start */
	int have_info, have_stats;
};

enum sched_type { SCHED_NORMAL, SCHED_DIRTY_CPU, SCHED_DIRTY_IO };

struct sched_sample {
	uint32_t id;
	uint8_t type;        /* enum sched_type */
	uint64_t active, total;
};

/* Which process fields a refresh collected (a process row's `have`). */
enum {
	PF_MEMORY = 1 << 0, PF_REDS = 1 << 1, PF_MQ = 1 << 2, PF_NAME = 1 << 3,
	PF_CF = 1 << 4, PF_HEAP = 1 << 5, PF_BIN = 1 << 6,
	PF_STALE = 1 << 7     /* carried from an earlier scan, not read now */
};

/* How a refresh made its process list. */
enum scan_kind {
	SCAN_FULL,   /* every process was read */
	SCAN_INCR    /* the candidates were read; the rest is from the last
			full scan (PF_STALE) */
};

/* One process: 48 bytes, as a million of them are kept twice. */
struct proc {
	struct bt_pid pid;
	uint32_t name;        /* pool: registered name, or initial call */
	uint32_t cf;          /* pool: current function "m:f/a" */
	uint32_t label;       /* pool: its label (OTP 27's, or a dictionary
			       * key's such as RabbitMQ's process_name); 0 none */
	uint64_t memory;      /* bytes */
	uint64_t reductions;  /* lifetime */
	uint32_t mq;
	uint8_t registered;   /* name is a registered name */
	uint8_t have;         /* PF_* */
	uint8_t naming;       /* NAMING_* */
	uint8_t active;       /* reads left before it leaves the active set:
	                       * its reductions moved in one of the last
	                       * ones (kept while the row is carried) */
};

_Static_assert(sizeof(struct proc) == 48, "a process row grew");

/* How far a row's name is known.  A scan reads the registered name, the
 * label where the node has the item, and the initial call, which for
 * every proc_lib process is proc_lib:init_p/5; proc_lib's real one and
 * the labels kept in the dictionary are asked once per process, for the
 * rows shown first (see collect_names_async), and carried from refresh to
 * refresh by the model. */
enum {
	NAMING_FINAL = 0,     /* nothing better to ask for */
	NAMING_ASK = 1        /* an initial call as read: a better name may exist */
};

/* The row lacks its name, or has one that a names query may better. */
static inline int proc_wants_name(const struct proc *p)
{
	return !(p->have & PF_NAME) || p->naming == NAMING_ASK;
}

/* What only some refreshes collect (heap and binary sorts), parallel to
 * procs when present. */
struct proc_extra {
	uint64_t heap;        /* total_heap_size in words (snapshot_extra():
	                       * bytes) */
	uint64_t bin;         /* refc binary bytes referenced */
};

enum ets_type { ETS_SET, ETS_ORDERED_SET, ETS_BAG, ETS_DUPLICATE_BAG, ETS_TYPE_UNKNOWN };
enum ets_prot { ETS_PUBLIC, ETS_PROTECTED, ETS_PRIVATE, ETS_PROT_UNKNOWN };

struct ets_tab {
	struct bt_ref id;     /* len 0 when the node gave no id */
	uint32_t name;        /* pool */
	uint8_t named;        /* a named_table: the name is its identity */
	uint8_t type, protection;
	struct bt_pid owner;
	uint64_t size;        /* objects */
	uint64_t memory;      /* bytes */
};

struct port_rec {
	struct bt_port id;
	uint32_t name;        /* pool: the command or driver name */
	struct bt_pid connected;
	uint64_t input, output;   /* bytes since opened */
	uint64_t queue;           /* bytes queued */
	uint64_t memory;          /* bytes */
	int64_t os_pid;           /* -1 when none */
	uint8_t gone;             /* closed while we asked: dropped */
};

/* Stable 64-bit identities of a table and a port, for joins and for a
 * selection that follows its row (bt_pid_key() is a pid's).  A table
 * without an id (a node older than OTP 20) is known by its name. */
static inline uint64_t ets_key(const struct ets_tab *e)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	/* A table id is a reference of up to five words. */
	for (i = 0; i < e->id.len && i < 5; i++)
		h = (h ^ e->id.n[i]) * 1099511628211ULL;
	return e->id.len ? h : ((uint64_t)e->name << 1) | 1;
}

static inline uint64_t port_key(const struct port_rec *p)
{
	return p->id.id;
}

struct snapshot {
	uint64_t t_ms;          /* monotonic time when the refresh began */
	time_t wall;            /* wall-clock time of the same moment */
	uint64_t wall_epoch_ms; /* the same in milliseconds since 1970 */
	struct mem_entry mem[SNAP_MEM_MAX];
	int n_mem;
	struct sysinfo sys;
	struct sched_sample *sched;
	int n_sched;
	uint64_t *runq;         /* run_queue_lengths_all: normal..., dcpu, dio */
	int n_runq;
	struct proc *procs;
	size_t n_procs, cap_procs;
	struct proc_extra *extra;   /* NULL unless heap or binaries were read */
	size_t cap_extra;
	int procs_ok;           /* the process list is complete */
	/* A full scan's reach: how many processes the node listed for it (0:
	 * not known), and how many of them could not be read in time (their
	 * rows, if any, are carried from earlier refreshes, PF_STALE). */
	size_t procs_listed, procs_unread;
	int chunk;              /* processes per call when read by chunks; 0 */
	/* A copy of a full scan still streaming (see model_partial.c): its
	 * rows are those read so far, of sys.process_count; nothing in it is
	 * complete or exact. */
	int partial;
	uint8_t scan;           /* enum scan_kind */
	char scan_why[96];      /* why this kind of scan */
	size_t n_fresh;         /* rows read by this refresh */
	uint64_t full_age_ms;   /* SCAN_INCR: how old the full scan is */
	uint64_t stale_t_ms;    /* when the PF_STALE rows were read */
	/* SCAN_INCR, candidates read by one query: the node's total
	 * reductions just before and after the read, what the read cost in
	 * between, and what the whole query cost (see model_candidates.c);
	 * bracketed 0 when not so read. */
	int bracketed;
	uint64_t reds_before, reds_after, reds_own, reds_whole;
	uint64_t reds_others;   /* our other queries' cost in between */
	/* Heap sizes read for the rows on screen only (the HEAP column of a
	 * list not sorted by heap): the next refresh shows them until it has
	 * read its own. */
	struct bt_pid heap_pid[64];
	uint64_t heap_words[64];
	size_t n_heap;
	struct ets_tab *ets;
	size_t n_ets, cap_ets;
	int ets_ok;
	struct port_rec *ports;
	size_t n_ports, cap_ports;
	int ports_ok;
	struct strpool pool;
	/* What the refresh cost. */
	double wall_ms;         /* from first request to last answer */
	uint64_t bytes;         /* message bytes received */
	char errors[256];       /* queries that failed, for the status line */
	int answers;            /* calls the node answered, even with an error */
};

void snapshot_init(struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* Empties s for reuse, keeping its allocations. */
void snapshot_clear(struct snapshot *s);

/* Bytes of the named memory kind, or 0. */
uint64_t snapshot_mem(const struct snapshot *s, const char *kind);

/* The extra figures of row i ({0, 0} when not collected). */
struct proc_extra snapshot_extra(const struct snapshot *s, size_t i);
/* Sets row i's extra figures.  Returns 0, or -1 when out of memory. */
int snapshot_set_extra(struct snapshot *s, size_t i, uint64_t heap, uint64_t bin);

/* Appends an empty row and returns it, or NULL when out of memory. */
struct proc *snapshot_add_proc(struct snapshot *s);
/* Makes room for n process rows.  Returns 0, or -1 when out of memory. */
int snapshot_reserve(struct snapshot *s, size_t n);
struct ets_tab *snapshot_add_ets(struct snapshot *s);
struct port_rec *snapshot_add_port(struct snapshot *s);

/* Makes dst's process rows (and its string pool) a copy of src's, every
 * row marked PF_STALE.  Call on a cleared snapshot, before anything else
 * adds strings.  Returns 0, or -1 when out of memory. */
int snapshot_copy_procs(struct snapshot *dst, const struct snapshot *src);

/* Makes dst a copy of src, every part of it (rows, tables, ports,
 * schedulers, strings); dst's allocations are reused.  Returns 0, or -1
 * when out of memory (dst is then cleared). */
int snapshot_copy(struct snapshot *dst, const struct snapshot *src);

/* How incomplete the process list is, in words: "partial: 20k of 1.00M
 * read, top: not proved" (a full scan still streaming), "INCOMPLETE: 36 of
 * 4055 read, 12 from earlier refreshes" (a full scan that ran out of
 * time), or "INCOMPLETE"; "" when complete.  Returns buf. */
const char *snapshot_partial(const struct snapshot *s, char *buf, size_t n);

/* Notes a failed query in s->errors (kept short). */
void snapshot_note_error(struct snapshot *s, const char *what);

#endif
