/*
 * collect_sys.c - the node-wide figures of a refresh: memory by type,
 * system_info's counts and limits, and statistics (reductions, run queues,
 * scheduler wall time, I/O); three calls sent together, each decoded on
 * its own, so that one that fails leaves only its own part empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

const char *const col_info_keys[] = {
	"process_count", "process_limit", "port_count", "port_limit",
	"atom_count", "atom_limit", "ets_count", "ets_limit", "schedulers",
	"schedulers_online", "dirty_cpu_schedulers",
	"dirty_cpu_schedulers_online", "dirty_io_schedulers",
	"logical_processors", "wordsize", "otp_release", "version", NULL
};
#define N_INFO_KEYS (int)(sizeof col_info_keys / sizeof col_info_keys[0] - 1)

const char *const col_stat_keys[] = {
	"reductions", "wall_clock", "run_queue_lengths_all",
	"scheduler_wall_time_all", "io", NULL
};
#define N_STAT_KEYS (int)(sizeof col_stat_keys / sizeof col_stat_keys[0] - 1)

/* Encodes [fun M:F/1, [Atoms...]] for a lists:map over atom keys. */
static void args_map_atoms(struct tenc *t, const char *mod, const char *fun,
			   const char *const *keys, int n)
{
	int i;

	tenc_reset(t);
	tenc_list(t, 2);
	tenc_fun(t, mod, fun, 1);
	tenc_list(t, n);
	for (i = 0; i < n; i++)
		tenc_atom(t, keys[i]);
	tenc_nil(t);
	tenc_nil(t);
}

static int on_memory(struct collector *col, struct snapshot *s,
		     struct tdec *r, long arg)
{
	int n, i, arity;

	(void)col, (void)arg;
	if (!r || tdec_list(r, &n) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct mem_entry e;

		memset(&e, 0, sizeof e);
		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, e.kind, sizeof e.kind) < 0 ||
		    tdec_u64(r, &e.bytes) < 0)
			return 0; /* keep what was read before the surprise */
		if (s->n_mem < SNAP_MEM_MAX)
			s->mem[s->n_mem++] = e;
	}
	return 0;
}

static void set_info(struct sysinfo *si, const char *key, struct tdec *r)
{
	struct { const char *key; uint64_t *v64; uint32_t *v32; int f; } map[] = {
		{ "process_count", &si->process_count, NULL, SI_PROCESS_COUNT },
		{ "process_limit", &si->process_limit, NULL, SI_PROCESS_LIMIT },
		{ "port_count", &si->port_count, NULL, SI_PORT_COUNT },
		{ "port_limit", &si->port_limit, NULL, SI_PORT_LIMIT },
		{ "atom_count", &si->atom_count, NULL, SI_ATOM_COUNT },
		{ "atom_limit", &si->atom_limit, NULL, SI_ATOM_LIMIT },
		{ "ets_count", &si->ets_count, NULL, SI_ETS_COUNT },
		{ "ets_limit", &si->ets_limit, NULL, SI_ETS_LIMIT },
		{ "schedulers", NULL, &si->schedulers, SI_SCHEDULERS },
		{ "schedulers_online", NULL, &si->schedulers_online, SI_SCHEDULERS_ONLINE },
		{ "dirty_cpu_schedulers", NULL, &si->dirty_cpu, SI_DIRTY_CPU },
		{ "dirty_cpu_schedulers_online", NULL, &si->dirty_cpu_online,
		  SI_DIRTY_CPU_ONLINE },
		{ "dirty_io_schedulers", NULL, &si->dirty_io, SI_DIRTY_IO },
		{ "logical_processors", NULL, &si->logical_processors, SI_LOGICAL },
		{ "wordsize", NULL, &si->wordsize, SI_WORDSIZE },
	};
	size_t i;
	uint64_t v;

	if (strcmp(key, "otp_release") == 0) {
		if (tdec_text(r, si->otp_release, sizeof si->otp_release) == 0)
			return;
	} else if (strcmp(key, "system_version") == 0) {
		/* "Erlang/OTP 25 [erts-13.1.5] ...": where otp_release is not an
		 * atom on the node yet. */
		char text[256], *p;

		if (tdec_text(r, text, sizeof text) == 0) {
			if ((p = strstr(text, "OTP ")) != NULL)
				sscanf(p + 4, "%15[0-9]", si->otp_release);
			if ((p = strstr(text, "[erts-")) != NULL)
				sscanf(p + 6, "%31[0-9.]", si->erts_version);
			return;
		}
	} else if (strcmp(key, "version") == 0) {
		if (tdec_text(r, si->erts_version, sizeof si->erts_version) == 0)
			return;
	} else {
		for (i = 0; i < sizeof map / sizeof map[0]; i++) {
			if (strcmp(map[i].key, key) != 0)
				continue;
			if (tdec_u64(r, &v) < 0)
				break; /* e.g. `unknown`: leave it 0 */
			if (map[i].v64)
				*map[i].v64 = v;
			else
				*map[i].v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			si->known |= 1u << map[i].f;
			return;
		}
	}
	tdec_skip(r);
}

static int on_info(struct collector *col, struct snapshot *s, struct tdec *r,
		   long arg)
{
	int n, i;

	(void)arg;
	if (!r || tdec_list(r, &n) < 0 || n != col->n_info_sent)
		return 0;
	for (i = 0; i < n; i++)
		set_info(&s->sys, col->info_sent[i], r);
	s->sys.have_info = 1;
	return 0;
}

/* {A, B} of integers. */
static int pair_u64(struct tdec *r, uint64_t *a, uint64_t *b)
{
	struct tdec save = *r;
	int arity;

	if (tdec_tuple(r, &arity) == 0 && arity == 2 && tdec_u64(r, a) == 0 &&
	    tdec_u64(r, b) == 0)
		return 0;
	*r = save;
	return -1;
}

static int decode_sched(struct snapshot *s, struct tdec *r)
{
	int n, i, arity;

	if (tdec_atom_is(r, "undefined"))
		return 0; /* the flag is off: no utilisation this time */
	if (tdec_list(r, &n) < 0)
		return -1;
	free(s->sched);
	s->sched = calloc((size_t)(n ? n : 1), sizeof *s->sched);
	if (!s->sched)
		return -1;
	for (i = 0; i < n; i++) {
		struct sched_sample *x = &s->sched[i];
		uint64_t id;

		if (tdec_tuple(r, &arity) < 0 || arity != 3 || tdec_u64(r, &id) < 0 ||
		    tdec_u64(r, &x->active) < 0 || tdec_u64(r, &x->total) < 0)
			return -1;
		x->id = (uint32_t)id;
	}
	s->n_sched = n;
	return tdec_list_end(r, n);
}

static int on_stats(struct collector *col, struct snapshot *s, struct tdec *r,
		    long arg)
{
	uint64_t a, b, rq[1024];
	int n, arity;

	(void)arg;
	col->stats_due = 0;
	if (!r || tdec_list(r, &n) < 0 || n != N_STAT_KEYS)
		return 0;
	if (pair_u64(r, &s->sys.reductions, &b) < 0)
		return 0;
	if (pair_u64(r, &s->sys.uptime_ms, &b) < 0)
		return 0;
	if (tdec_int_list(r, rq, (int)(sizeof rq / sizeof rq[0]), &n) < 0)
		return 0;
	if (n > (int)(sizeof rq / sizeof rq[0]))
		n = (int)(sizeof rq / sizeof rq[0]);
	free(s->runq);
	s->runq = malloc((size_t)(n ? n : 1) * sizeof *s->runq);
	if (s->runq) {
		memcpy(s->runq, rq, (size_t)n * sizeof *rq);
		s->n_runq = n;
	}
	if (decode_sched(s, r) < 0) {
		s->n_sched = 0;
		return 0;
	}
	/* {{input, In}, {output, Out}} */
	if (tdec_tuple(r, &arity) == 0 && arity == 2 &&
	    tdec_tuple(r, &arity) == 0 && arity == 2 && tdec_skip(r) == 0 &&
	    tdec_u64(r, &a) == 0 && tdec_tuple(r, &arity) == 0 && arity == 2 &&
	    tdec_skip(r) == 0 && tdec_u64(r, &b) == 0) {
		s->sys.io_in = a;
		s->sys.io_out = b;
	}
	s->sys.have_stats = 1;
	return 0;
}

const reply_fn col_decoders[DEC_COUNT_] = {
	[DEC_MEMORY] = on_memory, [DEC_INFO] = on_info, [DEC_STATS] = on_stats,
	[DEC_ETS_CHUNK] = col_ets_on_chunk, [DEC_PORTS_CHUNK] = col_ports_on_chunk,
};


int col_sys_start(struct collector *col)
{
	struct tenc *t = col->enc;
	int i;

	/* A node's first erlang:memory() makes ~300 atoms (the allocators'
	 * names); where that could hurt, the same figures come from
	 * system_info(info)'s text, which makes none. */
	if (col_memory_direct(col) ?
	    col_issue(col, "erlang", "memory", NULL, on_memory, 0, "memory") < 0 :
	    col_issue(col, "erlang", "system_info", col_args_info(col),
		      col_on_memory_text, 0, "memory") < 0)
		return -1;
	/* Only the items the node has atoms for (see collect_probe.c). */
	col->n_info_sent = 0;
	for (i = 0; i < N_INFO_KEYS; i++)
		if (col_atom_ok(col, col_info_keys[i]))
			col->info_sent[col->n_info_sent++] = col_info_keys[i];
	if (!col_atom_ok(col, "otp_release") && col_atom_ok(col, "system_version"))
		col->info_sent[col->n_info_sent++] = "system_version";
	args_map_atoms(t, "erlang", "system_info", col->info_sent, col->n_info_sent);
	return col_issue(col, "lists", "map", t, on_info, 0, "system_info");
}

int col_stats_start(struct collector *col)
{
	args_map_atoms(col->enc, "erlang", "statistics", col_stat_keys, N_STAT_KEYS);
	col->stats_due = 1;
	return col_issue(col, "lists", "map", col->enc, on_stats, 0, "statistics");
}

/* Gives each scheduler sample its type, now that the counts are known, and
 * sorts them by id (the node lists them in no particular order). */
static int cmp_sched(const void *a, const void *b)
{
	const struct sched_sample *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

void col_sys_finish(struct snapshot *s)
{
	int i;

	/* Counts not asked (no atom for them on the node), from what was
	 * read whole. */
	if (!SI_KNOWN(&s->sys, SI_ETS_COUNT) && s->sys.have_info && s->ets_ok > 0) {
		s->sys.ets_count = s->n_ets;
		s->sys.known |= 1u << SI_ETS_COUNT;
	}

	if (s->n_sched > 1)
		qsort(s->sched, (size_t)s->n_sched, sizeof *s->sched, cmp_sched);
	for (i = 0; i < s->n_sched; i++) {
		uint32_t id = s->sched[i].id;

		if (id <= s->sys.schedulers || !s->sys.have_info)
			s->sched[i].type = SCHED_NORMAL;
		else if (id <= s->sys.schedulers + (s->sys.dirty_cpu ? s->sys.dirty_cpu :
						    s->sys.dirty_cpu_online))
			s->sched[i].type = SCHED_DIRTY_CPU;
		else
			s->sched[i].type = SCHED_DIRTY_IO;
	}
}
