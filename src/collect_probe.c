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
 * - A query that needs a module the node has not loaded (sys, for a state)
 *   is sent only when the atom table has ample room, since loading it
 *   makes that module's atoms.
 * Everything here uses only BIFs and atoms the emulator has from its start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/query.h"
#include "collect_priv.h"

#define ARG_LOADED 1
#define ARG_ATOMS 2
#define ARG_MISSING 3

/* Loading a module is let to create atoms only above this much room. */
static int ample(const struct collector *col)
{
	uint64_t left;

	if (!col->atom_limit || col->atom_count > col->atom_limit)
		return 0;
	left = col->atom_limit - col->atom_count;
	return left >= 100000 && left >= col->atom_limit / 10;
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
	for (i = 0; i < query_ndefs; i++)
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
	uint64_t v[2];
	int n;

	(void)s, (void)arg;
	col->probe_wait--;
	if (r && tdec_int_list(r, v, 2, &n) == 0 && n == 2) {
		col->atom_count = v[0];
		col->atom_limit = v[1];
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every atom of every query, once each, sorted. */
static const char **all_atoms(size_t *count)
{
	size_t total = 0, i, n = 0;
	const char **v;
	int j;

	for (i = 0; i < query_ndefs; i++)
		total += (size_t)query_defs[i].natoms;
	v = malloc((total ? total : 1) * sizeof *v);
	if (!v)
		return NULL;
	for (i = 0; i < query_ndefs; i++)
		for (j = 0; j < query_defs[i].natoms; j++)
			v[n++] = query_defs[i].atoms[j];
	qsort(v, n, sizeof *v, cmp_str);
	for (i = 0, total = 0; i < n; i++)
		if (total == 0 || strcmp(v[total - 1], v[i]) != 0)
			v[total++] = v[i];
	*count = total;
	return v;
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
		if (col->nmissing < PROBE_MISSING) {
			size_t l = strlen(name);

			if (l >= sizeof col->missing[0])
				l = sizeof col->missing[0] - 1;
			memcpy(col->missing[col->nmissing], name, l);
			col->missing[col->nmissing++][l] = '\0';
		} else
			col->missing_more = 1;
	}
	col->probe_checked = 1;
	if (getenv("BEAMTOP_DEBUG_ATOMS")) {
		fprintf(stderr, "atoms the node lacks: %d%s:", col->nmissing,
			col->missing_more ? "+" : "");
		for (i = 0; i < col->nmissing; i++)
			fprintf(stderr, " %s", col->missing[i]);
		fprintf(stderr, "\n");
	}
	return 0;
}

static int send_missing(struct collector *col)
{
	struct tenc *t = col->enc;
	const char **v;
	size_t n, i;
	struct qval val = { "Names", QV_RAW, 0, NULL, 0 };
	int rc, len;

	v = all_atoms(&n);
	if (!v)
		return 0;
	tenc_reset(t);
	tenc_list(t, (int)n);
	for (i = 0; i < n; i++)
		tenc_binary(t, v[i], (int)strlen(v[i]));
	tenc_nil(t);
	free(v);
	val.p = tenc_data(t, &len);
	val.len = len;
	col->probe_state = 3; /* atoms_missing itself may go */
	rc = col_query(col, "atoms_missing", &val, 1, on_missing, ARG_MISSING,
		       "atom check");
	if (rc == 0)
		col->probe_wait++;
	return rc == -1 ? -1 : 0;
}

int probe_start(struct collector *col)
{
	static const char *const keys[] = { "atom_count", "atom_limit" };
	struct tenc *t = col->enc;
	int i;

	list_modules(col);
	col->probe_state = 1;
	col->probe_wait = 0;
	col->probe_loaded = col->probe_checked = 0;
	if (conn_new_ref(col->conn, &col->mark) < 0)
		memset(&col->mark, 0, sizeof col->mark);
	if (col_issue(col, "erlang", "loaded", NULL, on_loaded, ARG_LOADED,
		      "loaded modules") < 0)
		return -1;
	col->probe_wait++;
	tenc_reset(t);
	tenc_list(t, 2);
	tenc_fun(t, "erlang", "system_info", 1);
	tenc_list(t, 2);
	for (i = 0; i < 2; i++)
		tenc_atom(t, keys[i]);
	tenc_nil(t);
	tenc_nil(t);
	if (col_issue(col, "lists", "map", t, on_atoms, ARG_ATOMS, "atom count") < 0)
		return -1;
	col->probe_wait++;
	return 0;
}

int probe_step(struct collector *col)
{
	if (col->probe_state == 1 && col->probe_wait == 0) {
		if (col->backend == -1)
			col->backend = module_loaded(col, "observer_backend") ? 1 : 0;
		if (!col->probe_loaded || !module_loaded(col, "erl_eval")) {
			col->probe_state = 2;
			return 0;
		}
		return send_missing(col);
	}
	if (col->probe_state == 3 && col->probe_wait == 0)
		col->probe_state = 2;
	return 0;
}

int collect_ready(const struct collector *col)
{
	return col->probe_state == 2;
}

int probe_busy(const struct collector *col)
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

int probe_query_ok(const struct collector *col, const struct query_def *q,
		   char *why, size_t whylen)
{
	char names[120];
	int j, unloaded = 0;

	if (col->probe_state == 3 && strcmp(q->name, "atoms_missing") == 0)
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

void collect_atoms(const struct collector *col, uint64_t *count,
		   uint64_t *limit)
{
	*count = col->atom_count;
	*limit = col->atom_limit;
}
