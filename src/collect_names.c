/*
 * collect_names.c - names for the rows that a scan could not name well.
 *
 * A scan reads each process's registered name and initial call; every
 * proc_lib process (gen_server, supervisor, Task...) starts in
 * proc_lib:init_p/5, and the labels that applications give their
 * processes (RabbitMQ's process_name, OTP 27's proc_lib label before the
 * node has the item) live in the dictionary, which a scan must not copy.
 * The proc_names query reads, for the processes asked, only those keys
 * (whole dictionaries on nodes older than OTP 26.2, and then only small
 * ones, within a budget per call).  Each process is asked once: the model
 * carries the answer to the next refreshes (model_carry_names).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

/* Dictionary keys that hold a process's label, as binaries: never atoms
 * that a node lacks. */
static const char *const label_keys[] = {
	"process_name",     /* RabbitMQ: {Type, Name} (rabbit_misc:store_proc_name) */
	"$process_label",   /* proc_lib:set_label/1 (OTP 27+) */
};

static void names_args(struct collector *col, struct tenc *t,
		       const struct bt_pid *pids, size_t n, int *lens)
{
	size_t i;

	tenc_reset(t);
	tenc_list(t, 4 + !!col_labels(col));
	tenc_atom(t, "registered_name");
	tenc_atom(t, "initial_call");
	tenc_atom(t, "current_function");
	tenc_atom(t, "memory");
	if (col_labels(col))
		tenc_atom(t, "label");
	tenc_nil(t);
	tenc_data(t, &lens[0]);
	tenc_list(t, (int)(sizeof label_keys / sizeof label_keys[0]));
	for (i = 0; i < sizeof label_keys / sizeof label_keys[0]; i++)
		tenc_binary(t, label_keys[i], (int)strlen(label_keys[i]));
	tenc_nil(t);
	tenc_data(t, &lens[1]);
	tenc_list(t, (int)n);
	for (i = 0; i < n; i++)
		tenc_pid(t, &pids[i], conn_target(col->conn));
	tenc_nil(t);
	tenc_data(t, &lens[2]);
}

int collect_names_async(struct collector *col, const struct bt_pid *pids,
			size_t n, side_fn fn, void *ctx)
{
	struct tenc *t = collect_encoder(col);
	struct qargs a = { 0 };
	const char *raw;
	int end[3], len;

	names_args(col, t, pids, n, end);
	raw = tenc_data(t, &len);
	qargs_add(&a, qval_ptr("Items", QV_RAW, raw, end[0]));
	qargs_add(&a, qval_ptr("Keys", QV_RAW, raw + end[0], end[1] - end[0]));
	qargs_add(&a, qval_ptr("Pids", QV_RAW, raw + end[1], end[2] - end[1]));
	return collect_query(col, QUERY_PROC_NAMES, &a, 0, fn, ctx);
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

/* One answer {Pid, Name, Registered, CurrentFunction, Label} into the
 * row of s, if the process is still in it. */
static int apply_one(struct snapshot *s, const struct pidmap *map, struct tdec *r)
{
	char name[TDEC_ATOM_MAX * 2 + 32], cf[TDEC_ATOM_MAX * 2 + 32], label[256];
	struct bt_pid pid;
	struct proc *p;
	int64_t reg;
	long row;
	int arity;

	if (tdec_tuple(r, &arity) < 0 || arity != 5 || tdec_pid(r, &pid) < 0)
		return -1;
	name[0] = cf[0] = label[0] = '\0';
	if (tdec_atom_is(r, "undefined")) /* gone */
		return tdec_skip(r) < 0 || tdec_skip(r) < 0 || tdec_skip(r) < 0 ? -1 : 0;
	if (tdec_mfa(r, name, sizeof name) < 0 && tdec_as_text(r, name, sizeof name) < 0)
		return -1;
	if (tdec_i64(r, &reg) < 0)
		return -1;
	if (tdec_mfa(r, cf, sizeof cf) < 0 && tdec_skip(r) < 0)
		return -1;
	if (!tdec_atom_is(r, "undefined") && label_text(r, label, sizeof label) < 0)
		return -1;
	row = pidmap_get(map, s, bt_pid_key(&pid));
	if (row < 0)
		return 0;
	p = &s->procs[row];
	/* Elixir module aliases read as Elixir writes them. */
	p->name = strpool_add(&s->pool, reg && !strncmp(name, "Elixir.", 7) ?
			      name + 7 : name);
	p->registered = reg != 0;
	p->label = strpool_add(&s->pool, label);
	if (cf[0] || !(p->have & PF_CF))
		p->cf = strpool_add(&s->pool, cf);
	p->have |= PF_NAME | PF_CF;
	p->naming = NAMING_FINAL;
	return 0;
}

int collect_apply_names(struct snapshot *s, const struct pidmap *map,
			struct tdec *r)
{
	int n, i;

	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (apply_one(s, map, r) < 0)
			return -1;
	return tdec_list_end(r, n);
}

struct names_wait {
	struct snapshot *s;
	const struct pidmap *map;
	int done;
};

static void on_names(void *ctx, struct tdec *r, const char *why)
{
	struct names_wait *w = ctx;

	(void)why;
	w->done = 1;
	if (r)
		collect_apply_names(w->s, w->map, r);
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
	if (k == 0) {
		free(pids);
		return 0;
	}
	rc = collect_names_async(col, pids, k, on_names, &w);
	free(pids);
	if (rc < 0) {
		snprintf(err, errlen, "%s", col->err);
		return -1;
	}
	while (!w.done)
		if (collect_idle(col, 100, err, errlen) < 0)
			return -1;
	return 0;
}
