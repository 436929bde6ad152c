/*
 * collect_probe.c - what the node has, asked once per connection before
 * any query is sent: which modules are loaded, how full its atom table
 * is, and which of the atoms our queries carry it lacks.
 *
 * Every atom a message carries becomes an atom on the node, and the atom
 * table never shrinks: a full one kills the node, which is exactly when
 * someone reaches for this tool.  So:
 * - erlang:loaded() says which modules are there; calling a module that is
 *   not loaded would load it (and make its atoms).  observer_backend is
 *   used only when loaded; the queries need erl_eval loaded (every node
 *   that has run -eval, a shell or a remote shell has it).
 * - atoms_missing checks, as strings, every atom of every query; a query
 *   with an atom the node lacks is not sent, and says why.
 * - A query that needs a module the node has not loaded (sys, for a state,
 *   which a node loads the first time anything asks a process for its
 *   state) is sent, on the operator's request, only when the atom table
 *   has ample room (AMPLE_FREE atoms and AMPLE_PCT % free): loading it
 *   makes that module's atoms.  Nothing else ever makes an atom; our node
 *   name is made once, when a host first attaches (see selfname.h).
 * - The fixed atoms of beamtop's own calls (vocab[] and collect.c's item
 *   lists) are checked too; some system_info items (otp_release...) are
 *   atoms only once somebody asked for them: those are not asked (the
 *   release comes from system_version then).  Some answers make atoms the
 *   first time a node gives them: a node's first erlang:memory() makes
 *   ~300 (the allocators' names), so until some other caller has made
 *   them, memory comes from the text of system_info(info); a first
 *   process_info(P, garbage_collection) makes minor_gcs.
 * The atom table's fill comes from that text too (atom_count is one of
 * those atoms).  Everything the probe itself sends is an atom that every
 * node has from its start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/query.h"
#include "collect_priv.h"

#define ARG_LOADED 1
#define ARG_ATOMS 2
#define ARG_MISSING 3
#define ARG_VOCAB 100     /* + the index in the fixed vocabulary */

#define AMPLE_FREE 50000
#define AMPLE_PCT 5

/* What beamtop's own calls send, besides collect.c's item lists. */
static const char *const vocab[] = {
	"erlang", "lists", "ets", "gen_server", "memory", "system_info",
	"statistics", "loaded", "map", "zipwith", "zipwith3", "apply", "spawn",
	"system_flag", "scheduler_wall_time", "true", "infinity", "ok",
	"processes", "ports", "process_info", "all", "info", "kill", "exit",
	"garbage_collect", "is_process_alive", "binary_to_existing_atom",
	"utf8", "erl_eval", "expr", "none", "value", "undefined",
	"message_queue_len", "registered_name", "current_function",
	"initial_call", "total_heap_size", "binary", "reductions",
	"system_version", "minor_gcs",
	"label", "$process_label", "dictionary", "$initial_call", "process_name",
	NULL
};

/* Made by the node's first erlang:memory(): their presence says that it
 * will make no more. */
static const char *const memory_marks[] = {
	"atom_entry", "export_entry", "timer_wheel", NULL
};

/* Letting the node load a module the operator's request needs is
 * harmless only above this much room. */
static int ample(const struct collector *col)
{
	uint64_t left;

	if (!col->atom_limit || col->atom_count > col->atom_limit)
		return 0;
	left = col->atom_limit - col->atom_count;
	return left >= AMPLE_FREE && left >= col->atom_limit / 100 * AMPLE_PCT;
}

static int is_missing(const struct collector *col, const char *atom)
{
	int i;

	for (i = 0; i < col->nmissing; i++)
		if (strcmp(col->missing[i], atom) == 0)
			return 1;
	return 0;
}

int col_atom_ok(const struct collector *col, const char *atom)
{
	return col->checked_vocab && !is_missing(col, atom) && !col->missing_more;
}

int col_labels(const struct collector *col)
{
	return col_atom_ok(col, "label") && col_atom_ok(col, "$process_label");
}

int col_memory_direct(const struct collector *col)
{
	int i;

	/* The text also gives the atom table's fill. */
	if (!col_atom_ok(col, "atom_count") || !col_atom_ok(col, "atom_limit"))
		return 0;

	for (i = 0; memory_marks[i]; i++)
		if (!col_atom_ok(col, memory_marks[i]))
			return 0;
	return 1;
}

const struct tenc *col_args_info(struct collector *col)
{
	if (!col->info_args && (col->info_args = tenc_new()) != NULL) {
		tenc_list(col->info_args, 1);
		tenc_atom(col->info_args, "info");
		tenc_nil(col->info_args);
	}
	return col->info_args;
}

/* A binary's bytes, in place. */
static int binary_bytes(struct tdec *r, const char **p, size_t *len)
{
	const char *raw;
	int n;

	if (col_raw_term(r, &raw, &n) < 0 || n < 5 || (unsigned char)raw[0] != 109)
		return -1;
	*len = ((size_t)(unsigned char)raw[1] << 24) | ((size_t)(unsigned char)raw[2] << 16) |
	       ((size_t)(unsigned char)raw[3] << 8) | (size_t)(unsigned char)raw[4];
	if (*len > (size_t)n - 5)
		return -1;
	*p = raw + 5;
	return 0;
}

/* The value of "key: N" in the section that starts with header. */
static int info_value(const char *text, size_t len, const char *header,
		      const char *key, uint64_t *v)
{
	const char *end = text + len, *at = text, *line;
	size_t hl = strlen(header), kl = strlen(key);

	while (at < end) {
		line = at;
		while (at < end && *at != '\n')
			at++;
		if ((size_t)(at - line) == hl && memcmp(line, header, hl) == 0)
			break;
		at++;
	}
	for (at++; at < end && *at != '=';) {
		line = at;
		while (at < end && *at != '\n')
			at++;
		if ((size_t)(at - line) > kl + 2 && memcmp(line, key, kl) == 0 &&
		    line[kl] == ':' && line[kl + 1] == ' ') {
			char num[24];
			size_t n = (size_t)(at - line) - kl - 2;

			if (n >= sizeof num)
				return -1;
			memcpy(num, line + kl + 2, n);
			num[n] = '\0';
			*v = strtoull(num, NULL, 10);
			return 0;
		}
		at++;
	}
	return -1;
}

int col_on_memory_text(struct collector *col, struct snapshot *s, struct tdec *r,
		       long arg)
{
	static const char *const kinds[] = {
		"total", "processes", "processes_used", "system", "atom",
		"atom_used", "binary", "code", "ets"
	};
	const char *text;
	size_t len, i;

	uint64_t v;

	(void)col, (void)arg;
	if (!r || binary_bytes(r, &text, &len) < 0)
		return 0;
	/* The atom table's fill, where atom_count is not an atom yet. */
	if (info_value(text, len, "=index_table:atom_tab", "entries", &v) == 0) {
		s->sys.atom_count = v;
		s->sys.known |= 1u << SI_ATOM_COUNT;
	}
	if (info_value(text, len, "=index_table:atom_tab", "limit", &v) == 0) {
		s->sys.atom_limit = v;
		s->sys.known |= 1u << SI_ATOM_LIMIT;
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0] && s->n_mem < SNAP_MEM_MAX; i++) {
		struct mem_entry e;

		memset(&e, 0, sizeof e);
		if (info_value(text, len, "=memory", kinds[i], &e.bytes) < 0)
			continue;
		snprintf(e.kind, sizeof e.kind, "%s", kinds[i]);
		s->mem[s->n_mem++] = e;
	}
	return 0;
}

static int module_loaded(const struct collector *col, const char *m)
{
	int i;

	for (i = 0; i < col->nmods; i++)
		if (strcmp(col->mods[i], m) == 0)
			return col->mod_loaded[i];
	return 0;
}

/* The modules we care about: observer_backend, erl_eval and the queries'
 * needs. */
static void list_modules(struct collector *col)
{
	size_t i;
	int j;

	col->nmods = 0;
	col->mods[col->nmods++] = "erl_eval";
	col->mods[col->nmods++] = "observer_backend";
	/* Not a query's: whether the node runs Elixir. */
	col->mods[col->nmods++] = "elixir";
	for (i = 0; i < QUERY_COUNT_; i++)
		for (j = 0; query_defs[i].needs[j]; j++) {
			int k, seen = 0;

			for (k = 0; k < col->nmods; k++)
				seen |= strcmp(col->mods[k], query_defs[i].needs[j]) == 0;
			if (!seen && col->nmods < PROBE_MODS)
				col->mods[col->nmods++] = query_defs[i].needs[j];
		}
	memset(col->mod_loaded, 0, sizeof col->mod_loaded);
}

static int on_loaded(struct collector *col, struct snapshot *s, struct tdec *r,
		     long arg)
{
	char m[TDEC_ATOM_MAX];
	int n, i, k;

	(void)s, (void)arg;
	col->probe_wait--;
	if (!r || tdec_list(r, &n) < 0)
		return 1;
	for (i = 0; i < n; i++) {
		if (tdec_atom(r, m, sizeof m) < 0) {
			tdec_skip(r);
			continue;
		}
		for (k = 0; k < col->nmods; k++)
			if (strcmp(col->mods[k], m) == 0)
				col->mod_loaded[k] = 1;
	}
	col->probe_loaded = 1;
	return 0;
}

static int on_atoms(struct collector *col, struct snapshot *s, struct tdec *r,
		    long arg)
{
	const char *text;
	size_t len;
	uint64_t count, limit;

	(void)s, (void)arg;
	col->probe_wait--;
	if (r && binary_bytes(r, &text, &len) == 0 &&
	    info_value(text, len, "=index_table:atom_tab", "limit", &limit) == 0 &&
	    info_value(text, len, "=index_table:atom_tab", "entries", &count) == 0) {
		col->atom_count = count;
		col->atom_limit = limit;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The fixed atoms of beamtop's own calls, into out; how many. */
static int fixed_atoms(const char **out, int max)
{
	const char *const *lists[] = {
		vocab, memory_marks, col_info_keys, col_stat_keys
	};
	const char *a;
	int n = 0, i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; lists[i][j] && n < max; j++)
			out[n++] = lists[i][j];
	for (i = 0; i < 64 && n < max; i++)
		if ((a = col_proc_info_item(i)) != NULL)
			out[n++] = a;
	return n;
}

#define FIXED_MAX 128

/* Every atom of every query and every fixed one, once each, sorted. */
static const char **all_atoms(size_t *count)
{
	size_t total = FIXED_MAX, i, n;
	const char **v;
	int j;

	for (i = 0; i < QUERY_COUNT_; i++)
		total += (size_t)query_defs[i].natoms;
	v = malloc(total * sizeof *v);
	if (!v)
		return NULL;
	n = (size_t)fixed_atoms(v, FIXED_MAX);
	for (i = 0; i < QUERY_COUNT_; i++)
		for (j = 0; j < query_defs[i].natoms; j++)
			v[n++] = query_defs[i].atoms[j];
	qsort(v, n, sizeof *v, cmp_str);
	for (i = 0, total = 0; i < n; i++)
		if (total == 0 || strcmp(v[total - 1], v[i]) != 0)
			v[total++] = v[i];
	*count = total;
	return v;
}

static void add_missing(struct collector *col, const char *name)
{
	size_t l = strlen(name);

	if (col->nmissing >= PROBE_MISSING) {
		col->missing_more = 1;
		return;
	}
	if (l >= sizeof col->missing[0])
		l = sizeof col->missing[0] - 1;
	memcpy(col->missing[col->nmissing], name, l);
	col->missing[col->nmissing++][l] = '\0';
}

static void debug_missing(const struct collector *col)
{
	int i;

	if (!getenv("BEAMTOP_DEBUG_ATOMS"))
		return;
	fprintf(stderr, "atoms the node lacks: %d%s:", col->nmissing,
		col->missing_more ? "+" : "");
	for (i = 0; i < col->nmissing; i++)
		fprintf(stderr, " %s", col->missing[i]);
	fprintf(stderr, " (atom table %llu of %llu)\n",
		(unsigned long long)col->atom_count,
		(unsigned long long)col->atom_limit);
}

static int on_missing(struct collector *col, struct snapshot *s,
		      struct tdec *r, long arg)
{
	char name[TDEC_ATOM_MAX];
	int n, i;

	(void)s, (void)arg;
	col->probe_wait--;
	if (!r || tdec_list(r, &n) < 0)
		return 1;
	col->nmissing = 0;
	for (i = 0; i < n; i++) {
		if (tdec_text(r, name, sizeof name) < 0) {
			tdec_skip(r);
			continue;
		}
		add_missing(col, name);
	}
	col->probe_checked = col->checked_vocab = 1;
	debug_missing(col);
	return 0;
}

/* One fixed atom checked alone (no erl_eval on the node): the answer is
 * the atom, or badrpc when there is none. */
static int on_vocab(struct collector *col, struct snapshot *s, struct tdec *r,
		    long arg)
{
	const char *v[FIXED_MAX];
	int n = fixed_atoms(v, FIXED_MAX);

	(void)s;
	col->probe_wait--;
	if (!r && arg - ARG_VOCAB < n)
		add_missing(col, v[arg - ARG_VOCAB]);
	if (col->probe_wait == 0) {
		col->checked_vocab = 1;
		debug_missing(col);
	}
	return 1;
}

static int check_fixed_alone(struct collector *col)
{
	const char *v[FIXED_MAX];
	struct tenc *t = col->enc;
	int n = fixed_atoms(v, FIXED_MAX), i;

	col->nmissing = 0;
	for (i = 0; i < n; i++) {
		tenc_reset(t);
		tenc_list(t, 2);
		tenc_binary(t, v[i], (int)strlen(v[i]));
		tenc_atom(t, "utf8");
		tenc_nil(t);
		if (col_issue(col, "erlang", "binary_to_existing_atom", t, on_vocab,
			      ARG_VOCAB + i, "atom check") < 0)
			return -1;
		col->probe_wait++;
	}
	col->probe_state = 3;
	return 0;
}

static int send_missing(struct collector *col)
{
	struct tenc *t = col->enc;
	const char **v;
	size_t n, i;
	struct qargs a = { 0 };
	int rc, len;
	const char *raw;

	v = all_atoms(&n);
	if (!v)
		return 0;
	tenc_reset(t);
	tenc_list(t, (int)n);
	for (i = 0; i < n; i++)
		tenc_binary(t, v[i], (int)strlen(v[i]));
	tenc_nil(t);
	free(v);
	raw = tenc_data(t, &len);
	qargs_add(&a, qval_ptr("Names", QV_RAW, raw, len));
	col->probe_state = 3; /* atoms_missing itself may go */
	rc = col_query(col, QUERY_ATOMS_MISSING, &a, on_missing, ARG_MISSING,
		       "atom check");
	if (rc == 0)
		col->probe_wait++;
	return rc == -1 ? -1 : 0;
}

int col_probe_start(struct collector *col)
{
	list_modules(col);
	col->probe_state = 1;
	col->probe_wait = 0;
	col->probe_loaded = col->probe_checked = col->checked_vocab = 0;
	col->nmissing = col->missing_more = 0;
	if (conn_new_ref(col->conn, &col->mark) < 0)
		memset(&col->mark, 0, sizeof col->mark);
	if (col_issue(col, "erlang", "loaded", NULL, on_loaded, ARG_LOADED,
		      "loaded modules") < 0)
		return -1;
	col->probe_wait++;
	if (col_issue(col, "erlang", "system_info", col_args_info(col), on_atoms,
		      ARG_ATOMS, "atom table") < 0)
		return -1;
	col->probe_wait++;
	return 0;
}

int col_probe_step(struct collector *col)
{
	if (col->probe_state == 1 && col->probe_wait == 0) {
		if (col->backend == -1)
			col->backend = module_loaded(col, "observer_backend") ? 1 : 0;
		if (!col->probe_loaded || !module_loaded(col, "erl_eval"))
			return check_fixed_alone(col);
		return send_missing(col);
	}
	if (col->probe_state == 3 && col->probe_wait == 0) {
		col->probe_state = 2;
		col_use_relay(col);
	}
	return 0;
}

int collect_ready(const struct collector *col)
{
	return col->probe_state == 2;
}

int col_probe_busy(const struct collector *col)
{
	return col->probe_state == 1 || col->probe_state == 3;
}

/* The atoms of q that the node lacks, as "a, b, c" into out; how many. */
static int lacks(const struct collector *col, const struct query_def *q,
		 char *out, size_t n)
{
	int i, j, found = 0;
	size_t at = 0;

	out[0] = '\0';
	for (i = 0; i < q->natoms; i++)
		for (j = 0; j < col->nmissing; j++)
			if (strcmp(q->atoms[i], col->missing[j]) == 0) {
				if (found < 3 && at < n)
					at += (size_t)snprintf(out + at, n - at, "%s%s",
							       found ? ", " : "", q->atoms[i]);
				found++;
			}
	return found;
}

int col_probe_query_ok(const struct collector *col, const struct query_def *q,
		       char *why, size_t whylen)
{
	char names[120];
	int j, unloaded = 0;

	if (col->probe_state == 3 && q->id == QUERY_ATOMS_MISSING)
		return 1;
	if (col->probe_state != 2) {
		snprintf(why, whylen, "not asked yet: beamtop has not learnt which "
			 "atoms the node has");
		return 0;
	}
	if (!col->probe_loaded || !module_loaded(col, "erl_eval")) {
		snprintf(why, whylen, "not asked: the node has not loaded erl_eval, "
			 "and loading it would add atoms to the node");
		return 0;
	}
	if (!col->probe_checked) {
		snprintf(why, whylen, "not asked: the node did not say which atoms it "
			 "has");
		return 0;
	}
	for (j = 0; q->needs[j]; j++)
		if (!module_loaded(col, q->needs[j])) {
			if (!ample(col)) {
				snprintf(why, whylen, "not asked: it needs the module %s, "
					 "which the node has not loaded, and loading it "
					 "would add atoms with only %llu of %llu left",
					 q->needs[j],
					 (unsigned long long)(col->atom_limit - col->atom_count),
					 (unsigned long long)col->atom_limit);
				return 0;
			}
			unloaded = 1;
		}
	if (!unloaded && lacks(col, q, names, sizeof names) > 0) {
		snprintf(why, whylen, "not asked: it would create atoms on the node "
			 "(%s)", names);
		return 0;
	}
	return 1;
}

int collect_elixir(const struct collector *col)
{
	return col->probe_loaded && module_loaded(col, "elixir");
}

const struct bt_ref *collect_mark(const struct collector *col)
{
	return &col->mark;
}

void collect_atoms(const struct collector *col, uint64_t *count,
		   uint64_t *limit)
{
	*count = col->atom_count;
	*limit = col->atom_limit;
}
