/*
 * collect_names.c - names for the rows that a scan could not name well.
 *
 * A scan reads each process's registered name and initial call; every
 * proc_lib process (gen_server, supervisor, Task...) starts in
 * proc_lib:init_p/5, and the labels that applications give their
 * processes (RabbitMQ's process_name) live in the dictionary, which a
 * scan must not copy.  So for the processes asked (the rows shown first,
 * then the others a batch at a time: see the poller), one
 *     lists:zipwith(fun erlang:process_info/2, Pids, [Items...])
 * reads the name items and, from OTP 26.2 (erts 14.2), only the
 * dictionary keys wanted ({dictionary, Key} items).  An older node can
 * only give a dictionary whole: a second zipwith reads those of the
 * processes still unnamed that use at most 1 MB, 4 MB in all.  Both are
 * compiled code on the node (about 15 reductions a process; the same in
 * an erl_eval query cost 4,000).  Each process is asked once: the model
 * carries the answer to the next refreshes (model_names.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "collect_priv.h"

#define DICT_PROC_MAX (1u << 20)   /* bytes: a process whose whole
                                    * dictionary may be copied */
#define DICT_TOTAL_MAX (4u << 20)  /* bytes of such processes a call */

/* Dictionary keys that name a process; atoms checked on the node (see
 * collect_probe.c) before they are sent. */
static const char *const label_keys[] = {
	"process_name",     /* RabbitMQ: {Type, Name} (rabbit_misc:store_proc_name) */
};
#define N_LABEL_KEYS (int)(sizeof label_keys / sizeof label_keys[0])

struct names_job {
	names_fn fn;
	void *ctx;
	struct proc_name *a;
	size_t n, cap;
	uint8_t *pick;         /* the processes whose dictionary is read */
	int busy;
	int by_key;            /* asked with {dictionary, Key} items */
};

static void on_items(void *ctx, struct tdec *r, const char *why);

/* Keys this node can have (as atoms). */
static int key_ok(const struct collector *col, int k)
{
	return col_atom_ok(col, label_keys[k]);
}

/* [Items, Items...] for n processes: the name items, the label where the
 * node has it, and the dictionary keys when by_key. */
static void items_args(struct collector *col, struct tenc *t, int n, int by_key)
{
	int i, k, nk = 0;

	for (k = 0; k < N_LABEL_KEYS; k++)
		nk += by_key && key_ok(col, k);
	tenc_list(t, n);
	for (i = 0; i < n; i++) {
		tenc_list(t, 4 + !!col_labels(col) + (by_key ? 1 + nk : 0));
		tenc_atom(t, "registered_name");
		tenc_atom(t, "initial_call");
		tenc_atom(t, "current_function");
		tenc_atom(t, "memory");
		if (col_labels(col))
			tenc_atom(t, "label");
		if (by_key) {
			tenc_tuple(t, 2);
			tenc_atom(t, "dictionary");
			tenc_atom(t, "$initial_call");
			for (k = 0; k < N_LABEL_KEYS; k++) {
				if (!key_ok(col, k))
					continue;
				tenc_tuple(t, 2);
				tenc_atom(t, "dictionary");
				tenc_atom(t, label_keys[k]);
			}
		}
		tenc_nil(t);
	}
	tenc_nil(t);
}

/* Sends lists:zipwith(fun erlang:process_info/2, Pids, Items) for the
 * processes of the job that `pick` selects (all when NULL). */
static int send_zipwith(struct collector *col, struct names_job *j,
			const uint8_t *pick, int dict, side_fn fn)
{
	struct tenc *t = collect_encoder(col);
	size_t i;
	int n = 0;

	for (i = 0; i < j->n; i++)
		n += !pick || pick[i];
	tenc_reset(t);
	tenc_list(t, 3);
	tenc_fun(t, "erlang", "process_info", 2);
	tenc_list(t, n);
	for (i = 0; i < j->n; i++)
		if (!pick || pick[i])
			tenc_pid(t, &j->a[i].pid, conn_target(col->conn));
	tenc_nil(t);
	if (dict) {
		static const char *const item[] = { "dictionary" };

		col_args_items(t, n, item, 1);
	} else {
		items_args(col, t, n, j->by_key);
	}
	tenc_nil(t);
	return collect_side(col, "lists", "zipwith", t, 0, fn, col);
}

int collect_names_async(struct collector *col, const struct bt_pid *pids,
			size_t n, names_fn fn, void *ctx)
{
	struct names_job *j = col->names;
	size_t i;

	if (!j) {
		j = col->names = calloc(1, sizeof *j);
		if (!j)
			return 0;
	}
	if (j->busy)
		return -2;
	if (n > j->cap) {
		struct proc_name *a = realloc(j->a, n * sizeof *a);

		if (!a)
			return 0;
		j->a = a;
		j->cap = n;
	}
	memset(j->a, 0, n * sizeof *j->a);
	for (i = 0; i < n; i++)
		j->a[i].pid = pids[i];
	j->n = n;
	j->fn = fn;
	j->ctx = ctx;
	/* {dictionary, Key} items: tried until a node refuses them. */
	j->by_key = col->dict_items >= 0;
	j->busy = 1;
	if (send_zipwith(col, j, NULL, 0, on_items) < 0) {
		j->busy = 0;
		return -1;
	}
	return 0;
}

void col_names_free(struct collector *col)
{
	if (col->names) {
		free(col->names->a);
		free(col->names->pick);
	}
	free(col->names);
	col->names = NULL;
}
/* Text of a label part: a binary's or an atom's characters, a number,
 * else the term printed. */
static int label_part(struct tdec *d, char *out, size_t outlen)
{
	enum tkind k;

	if (tdec_kind(d, &k, NULL) < 0)
		return -1;
	if (k == TK_BINARY || k == TK_ATOM)
		return tdec_text(d, out, outlen);
	return tdec_print(d, out, outlen);
}

/* A label as a name: RabbitMQ's {resource, VHost, Kind, Name} as
 * "VHost/Name" ("/orders" in the default virtual host), a tuple as its
 * parts with spaces ({rabbit_amqqueue_process, Resource}: the type, then
 * the queue), anything else as tdec_as_text shows it. */
static int label_text(struct tdec *d, char *out, size_t outlen)
{
	struct tdec save = *d;
	char a[120], b[120];
	size_t used = 0;
	int arity, i;

	if (tdec_tuple(d, &arity) < 0)
		return tdec_as_text(d, out, outlen);
	if (arity == 4 && tdec_atom_is(d, "resource")) {
		if (label_part(d, a, sizeof a) < 0 || tdec_skip(d) < 0 ||
		    label_part(d, b, sizeof b) < 0)
			goto bad;
		snprintf(out, outlen, "%s%s%s", a,
			 a[0] && a[strlen(a) - 1] == '/' ? "" : "/", b);
		return 0;
	}
	out[0] = '\0';
	for (i = 0; i < arity; i++) {
		struct tdec part = *d;

		if (tdec_tuple(&part, &(int){ 0 }) == 0 ? label_text(d, a, sizeof a) < 0 :
		    label_part(d, a, sizeof a) < 0)
			goto bad;
		if (used < outlen)
			used += (size_t)snprintf(out + used, outlen - used, "%s%s",
						 i ? " " : "", a);
	}
	return 0;
bad:
	*d = save;
	return tdec_as_text(d, out, outlen);
}

/* The value of dictionary key `key` (an atom's text) into a: proc_lib's
 * real initial call (a registered name, read before, stays the name), or
 * a label key's label; anything else skipped.  One reader for both ways
 * a dictionary is read ({dictionary, Key} items, whole dictionaries). */
static int take_key(const char *key, struct tdec *d, struct proc_name *a)
{
	int k;

	if (tdec_atom_is(d, "undefined"))
		return 0;
	if (strcmp(key, "$initial_call") == 0 && !a->registered)
		return tdec_mfa(d, a->name, sizeof a->name) < 0 ? tdec_skip(d) : 0;
	for (k = 0; k < N_LABEL_KEYS; k++)
		if (strcmp(key, label_keys[k]) == 0 && !a->label[0])
			return label_text(d, a->label, sizeof a->label);
	return tdec_skip(d);
}

/* {{dictionary, Key}, Value}: the value of a key asked by item. */
static int dict_item(struct tdec *d, struct proc_name *a)
{
	char key[64];
	int arity;

	if (tdec_tuple(d, &arity) < 0 || arity != 2 ||
	    !tdec_atom_is(d, "dictionary") || tdec_atom(d, key, sizeof key) < 0)
		return -1;
	return take_key(key, d, a);
}

/* One process's [{Item, Value}...] into a; *mem gets its memory. */
static int decode_items(struct tdec *d, struct proc_name *a,
			uint64_t *mem)
{
	char item[32], init[256];
	int n, i, arity;

	init[0] = '\0';
	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (tdec_tuple(d, &arity) < 0 || arity != 2)
			return -1;
		if (tdec_atom(d, item, sizeof item) < 0) {
			if (dict_item(d, a) < 0)
				return -1;
			continue;
		}
		if (strcmp(item, "registered_name") == 0 &&
		    tdec_atom(d, a->name, sizeof a->name) == 0)
			a->registered = 1;
		else if (strcmp(item, "initial_call") == 0 &&
			 tdec_mfa(d, init, sizeof init) == 0)
			;
		else if (strcmp(item, "current_function") == 0 &&
			 tdec_mfa(d, a->cf, sizeof a->cf) == 0)
			;
		else if (strcmp(item, "memory") == 0 && tdec_u64(d, mem) == 0)
			;
		else if (strcmp(item, "label") == 0 && tdec_atom_is(d, "undefined"))
			; /* (consumed: no label) */
		else if (strcmp(item, "label") == 0 &&
			 label_text(d, a->label, sizeof a->label) == 0)
			;
		else if (tdec_skip(d) < 0)
			return -1;
	}
	/* A registered name read above wins over proc_lib's initial call. */
	if (!a->registered && !a->name[0])
		snprintf(a->name, sizeof a->name, "%s", init);
	return tdec_list_end(d, n);
}

static void finish(struct collector *col, int ok)
{
	struct names_job *j = col->names;

	j->busy = 0;
	j->fn(j->ctx, j->a, ok ? j->n : 0);
}

/* [{dictionary, [{K, V}...]} | undefined] of the picked processes. */
static void on_dicts(void *ctx, struct tdec *r, const char *why)
{
	struct collector *col = ctx;
	struct names_job *j = col->names;
	size_t i;
	int n, k, m, arity;

	(void)why;
	if (!r || tdec_list(r, &n) < 0) {
		finish(col, 1); /* the names of the first answer stand */
		return;
	}
	for (i = 0, k = 0; i < j->n && k < n; i++) {
		struct proc_name *a = &j->a[i];
		int p;

		if (!j->pick[i])
			continue;
		k++;
		if (tdec_atom_is(r, "undefined"))
			continue;
		if (tdec_list(r, &m) < 0 || m != 1 || tdec_tuple(r, &arity) < 0 ||
		    arity != 2 || !tdec_atom_is(r, "dictionary") || tdec_list(r, &m) < 0)
			break;
		for (p = 0; p < m; p++) {
			char key[64];

			if (tdec_tuple(r, &arity) < 0 || arity != 2)
				goto done;
			if (tdec_atom(r, key, sizeof key) < 0) {
				if (tdec_skip(r) < 0 || tdec_skip(r) < 0)
					goto done;
				continue;
			}
			if (take_key(key, r, a) < 0)
				goto done;
		}
		if (tdec_list_end(r, m) < 0 || tdec_list_end(r, 1) < 0)
			break;
	}
done:
	finish(col, 1);
}

static void on_items(void *ctx, struct tdec *r, const char *why)
{
	struct collector *col = ctx;
	struct names_job *j = col->names;
	uint64_t mem, total = 0;
	size_t i, picked = 0;
	int n;

	(void)why;
	if (!r && j->by_key && col->dict_items == 0) {
		/* Refused: a node older than OTP 26.2 has no {dictionary, Key}. */
		col->dict_items = -1;
		j->by_key = 0;
		if (send_zipwith(col, j, NULL, 0, on_items) < 0)
			finish(col, 0);
		return;
	}
	if (!r || tdec_list(r, &n) < 0 || (size_t)n != j->n) {
		finish(col, 0);
		return;
	}
	if (j->by_key)
		col->dict_items = 1;
	free(j->pick);
	j->pick = calloc(j->n + 1, 1);
	for (i = 0; i < j->n; i++) {
		struct proc_name *a = &j->a[i];

		mem = 0;
		if (tdec_atom_is(r, "undefined")) {
			a->gone = 1;
			continue;
		}
		if (decode_items(r, a, &mem) < 0) {
			finish(col, 0);
			return;
		}
		/* Before OTP 26.2: whole dictionaries of small processes. */
		if (!j->by_key && j->pick && !a->registered && !a->label[0] &&
		    mem <= DICT_PROC_MAX) {
			a->again = total + mem > DICT_TOTAL_MAX;
			if (!a->again) {
				j->pick[i] = 1;
				total += mem;
				picked++;
			}
		}
	}
	if (picked && send_zipwith(col, j, j->pick, 1, on_dicts) == 0)
		return;
	finish(col, 1);
}

void collect_apply_names(struct snapshot *s, const struct pidmap *map,
			 const struct proc_name *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		long row = a[i].gone ? -1 : pidmap_get(map, s, bt_pid_key(&a[i].pid));
		struct proc *p;

		if (row < 0)
			continue;
		p = &s->procs[row];
		/* Elixir module aliases read as Elixir writes them. */
		p->name = strpool_add(&s->pool, a[i].registered ? fmt_alias(a[i].name) :
				      a[i].name);
		p->registered = a[i].registered;
		p->label = strpool_add(&s->pool, a[i].label);
		if (a[i].cf[0] || !(p->have & PF_CF))
			p->cf = strpool_add(&s->pool, a[i].cf);
		p->have |= PF_NAME | PF_CF;
		p->naming = a[i].again ? NAMING_ASK : NAMING_FINAL;
	}
}

struct names_wait {
	struct snapshot *s;
	const struct pidmap *map;
	int done;
};

static void on_names(void *ctx, const struct proc_name *a, size_t n)
{
	struct names_wait *w = ctx;

	w->done = 1;
	collect_apply_names(w->s, w->map, a, n);
}

int collect_names(struct collector *col, struct snapshot *s,
		  const struct pidmap *map, const size_t *rows, size_t n,
		  char *err, size_t errlen)
{
	struct bt_pid *pids = malloc((n ? n : 1) * sizeof *pids);
	struct names_wait w = { s, map, 0 };
	size_t i, k = 0;
	int rc;

	if (!pids)
		return 0;
	for (i = 0; i < n; i++)
		if (proc_wants_name(&s->procs[rows[i]]))
			pids[k++] = s->procs[rows[i]].pid;
	rc = k ? collect_names_async(col, pids, k, on_names, &w) : 0;
	free(pids);
	if (rc == -1) {
		snprintf(err, errlen, "%s", col->err);
		return -1;
	}
	while (k && rc == 0 && !w.done)
		if (collect_idle(col, 100, err, errlen) < 0)
			return -1;
	return 0;
}
