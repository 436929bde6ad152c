/*
 * drill_proc.c - a process's drill-down (see drill.h): its info and stack
 * (proc_info.expr), its dictionary, ancestors and links
 * (proc_detail.expr), and its binaries (proc_binary.expr).
 *
 * The info section is a table: one row per process_info key, with the
 * title it is shown under and the formatter of its value, in the order
 * the lines are shown.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "drill_priv.h"

/* One element of a list as a line of s: a pid or a port (or a
 * monitor's {process, Pid}) as a target to follow, anything else laid
 * out as a term.  Returns 0, or -1 when the element cannot be read. */
static int list_item(const struct drill *d, struct dsection *s, struct tdec *r)
{
	char text[64];
	struct bt_pid pid;
	struct bt_port port;
	struct dline *l;
	struct tdec t = *r;
	enum tkind k;
	int arity;

	if (tdec_kind(r, &k, NULL) < 0)
		return -1;
	if (k == TK_PORT && tdec_port(r, &port) == 0) {
		if ((l = drill_add(s, "  %s", fmt_port(text, sizeof text, &port)))) {
			l->target = DT_PORT;
			l->port = port;
		}
		return 0;
	}
	/* Monitors: {process, Pid} or {process, {Name, Node}}. */
	if (k == TK_TUPLE && tdec_tuple(&t, &arity) == 0 && arity == 2 &&
	    tdec_skip(&t) == 0 && tdec_pid(&t, &pid) == 0)
		*r = t;
	else if (k != TK_PID || tdec_pid(r, &pid) < 0)
		return drill_term(d, s, r, "  ", 4);
	drill_target_pid(drill_add(s, "  %s", fmt_pid(text, sizeof text, &pid)), &pid);
	return 0;
}

/* Adds one line per element of {Count, List}, pids and ports as targets. */
static int add_list(const struct drill *d, struct dsection *s, struct tdec *r,
		    const char *title)
{
	struct dline *h;
	uint64_t count;
	int arity, n, i;

	if (tdec_tuple(r, &arity) < 0 || arity != 2 || tdec_u64(r, &count) < 0 ||
	    tdec_list(r, &n) < 0)
		return -1;
	h = drill_add(s, "%s (%llu%s)", title, (unsigned long long)count,
		      count > (uint64_t)n ? ", first shown" : "");
	if (h)
		h->heading = 1;
	for (i = 0; i < n; i++)
		if (list_item(d, s, r) < 0)
			return -1;
	return tdec_list_end(r, n);
}

/* A frame's location, [{file, F}, {line, L}, ...]: file and line when
 * there. */
static int frame_loc(struct tdec *t, char *file, size_t n, uint64_t *line)
{
	char key[16];
	int m, j, ar;

	if (tdec_list(t, &m) < 0)
		return -1;
	for (j = 0; j < m; j++) {
		if (tdec_tuple(t, &ar) < 0 || ar != 2 ||
		    tdec_atom(t, key, sizeof key) < 0)
			return -1;
		if (strcmp(key, "file") == 0 && tdec_text(t, file, n) == 0)
			continue;
		if (strcmp(key, "line") == 0 && tdec_u64(t, line) == 0)
			continue;
		if (tdec_skip(t) < 0)
			return -1;
	}
	return tdec_list_end(t, m);
}

/* current_stacktrace: [{M, F, Arity | Args, [{file, F}, {line, L}]}]. */
static int add_stack(struct dsection *s, struct tdec *r)
{
	int n, i;

	drill_begin(s);
	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char mfa[300], file[200] = "";
		uint64_t line = 0;
		int arity;
		struct tdec t = *r, f = *r;

		if (tdec_tuple(&t, &arity) < 0 || arity != 4 || tdec_skip(&t) < 0 ||
		    tdec_skip(&t) < 0 || tdec_skip(&t) < 0) {
			if (tdec_skip(r) < 0)
				return -1;
			continue;
		}
		/* {M, F, A, Loc}: the first three read from the frame. */
		tdec_tuple(&f, &arity);
		if (tdec_mfa_fields(&f, mfa, sizeof mfa) < 0 ||
		    frame_loc(&t, file, sizeof file, &line) < 0)
			return -1;
		*r = t;
		if (file[0])
			drill_add(s, "%s  (%s:%llu)", mfa, file, (unsigned long long)line);
		else
			drill_add(s, "%s", mfa);
	}
	return tdec_list_end(r, n);
}

/* {Count, [{Key, Value}]}: proc_lib's keys are said for what they are. */
static int add_dict(const struct drill *d, struct dsection *s, struct tdec *r,
		    char *initial, size_t initlen)
{
	uint64_t count;
	int arity, n, i;

	drill_begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || tdec_u64(r, &count) < 0 ||
	    tdec_list(r, &n) < 0)
		return -1;
	if (count > (uint64_t)n)
		snprintf(s->why, sizeof s->why, "%llu entries, the first %d shown",
			 (unsigned long long)count, n);
	for (i = 0; i < n; i++) {
		char key[DRILL_WIDTH], val[DRILL_WIDTH + 8];
		struct tdec probe;

		if (tdec_tuple(r, &arity) < 0 || arity != 2)
			return -1;
		probe = *r;
		if (tdec_atom_is(&probe, "$initial_call")) {
			*r = probe;
			if (tdec_mfa(r, val, sizeof val) < 0 &&
			    drill_value_text(d, r, val, sizeof val) < 0)
				return -1;
			snprintf(initial, initlen, "%.*s", (int)initlen - 1, val);
			drill_add(s, "$initial_call  %s  (proc_lib: the real initial call)", val);
			continue;
		}
		if (tdec_atom_is(&probe, "$ancestors")) {
			*r = probe;
			if (drill_value_text(d, r, val, sizeof val) < 0)
				return -1;
			drill_add(s, "$ancestors  %s  (proc_lib: who started it, nearest first)",
				  val);
			continue;
		}
		if (drill_value_text(d, r, key, sizeof key) < 0)
			return -1;
		snprintf(val, sizeof val, "%s => ", key);
		if (drill_term(d, s, r, val, 4) < 0)
			return -1;
	}
	return tdec_list_end(r, n);
}

/* [{Ancestor, PidOrUndefined, RegisteredName}], nearest first. */
static int add_ancestors(const struct drill *d, struct dsection *s,
			 struct tdec *r)
{
	int n, i, arity;

	drill_begin(s);
	if (tdec_list(r, &n) < 0)
		return -1;
	if (n == 0)
		snprintf(s->why, sizeof s->why, "no $ancestors: not started by proc_lib");
	for (i = 0; i < n; i++) {
		char anc[200], name[200];
		struct bt_pid pid;
		struct dline *l;
		int have;

		if (tdec_tuple(r, &arity) < 0 || arity != 3 ||
		    drill_value_text(d, r, anc, sizeof anc) < 0)
			return -1;
		have = tdec_pid(r, &pid) == 0;
		if (!have && tdec_skip(r) < 0)
			return -1;
		if (tdec_text(r, name, sizeof name) < 0 && tdec_skip(r) == 0)
			name[0] = '\0';
		if (have) {
			char p[32];

			l = drill_add(s, "%d  %s  %s", i + 1, fmt_pid(p, sizeof p, &pid),
				      name[0] ? name : "");
			drill_target_pid(l, &pid);
		} else {
			drill_add(s, "%d  %s  (not running)", i + 1, anc);
		}
	}
	return tdec_list_end(r, n);
}

/*
 * The info section.  A formatter writes a value's text into out and
 * returns 0 (the value is consumed, or skipped for it), 1 when the value
 * is a term to lay out as the shell does (not consumed), or -1 when the
 * value is not to be shown (it is skipped).
 */
typedef int info_fmt(const struct drill *d, struct tdec *r, char *out,
		     size_t n);

/* A registered name: an Elixir alias as Elixir writes it. */
static int info_name(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	char name[TDEC_ATOM_MAX];

	(void)d;
	if (tdec_text(r, name, sizeof name) < 0 || !name[0])
		snprintf(out, n, "(none)");
	else
		snprintf(out, n, "%s", fmt_alias(name));
	return 0;
}

static int info_term(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	(void)d, (void)r, (void)out, (void)n;
	return 1;
}

/* A word the node answers with an atom (waiting, normal, true): as it
 * reads, in either syntax; anything else as a term. */
static int info_word(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	(void)d;
	return tdec_atom(r, out, n) == 0 ? 0 : 1;
}

static int info_mfa(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	(void)d;
	return tdec_mfa(r, out, n) < 0 ? 1 : 0;
}

static int info_memory(const struct drill *d, struct tdec *r, char *out,
		      size_t n)
{
	uint64_t v;

	(void)d;
	if (tdec_u64(r, &v) < 0)
		return -1;
	fmt_bytes(out, n, (double)v);
	return 0;
}

static int info_words(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	uint64_t v;

	if (tdec_u64(r, &v) < 0)
		return -1;
	fmt_bytes(out, n, (double)v * d->wordsize);
	return 0;
}

static int info_count(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	uint64_t v;

	(void)d;
	if (tdec_u64(r, &v) < 0)
		return -1;
	snprintf(out, n, "%llu", (unsigned long long)v);
	return 0;
}

/* The label (OTP 27+): a process without one says undefined; a text is
 * shown as it is, any other term as the shell prints it. */
static int info_label(const struct drill *d, struct tdec *r, char *out, size_t n)
{
	(void)d;
	if (tdec_atom_is(r, "undefined"))
		return -1;
	return tdec_text(r, out, n) == 0 ? 0 : 1;
}

enum info_line {
	I_NAME, I_LABEL, I_INITIAL, I_CURRENT, I_STATUS, I_MEMORY, I_HEAP,
	I_STACK, I_TOTAL_HEAP, I_QUEUE, I_REDS, I_TRAP_EXIT, I_PRIORITY,
	I_GROUP_LEADER, I_GC, I_COUNT_
};

static const struct info_item {
	const char *key;     /* process_info's */
	const char *title;
	info_fmt *fmt;
	const char *absent;  /* shown when the answer has no such key */
} info_items[I_COUNT_] = {
	[I_NAME] = { "registered_name", "registered name", info_name, NULL },
	/* The label names the process: next to its name. */
	[I_LABEL] = { "label", "label", info_label, NULL },
	[I_INITIAL] = { "initial_call", "initial call", info_mfa, NULL },
	[I_CURRENT] = { "current_function", "current function", info_mfa, NULL },
	[I_STATUS] = { "status", "status", info_word, NULL },
	[I_MEMORY] = { "memory", "memory", info_memory, NULL },
	[I_HEAP] = { "heap_size", "heap size", info_words, NULL },
	[I_STACK] = { "stack_size", "stack size", info_words, NULL },
	[I_TOTAL_HEAP] = { "total_heap_size", "total heap size", info_words, NULL },
	[I_QUEUE] = { "message_queue_len", "message queue", info_count, NULL },
	[I_REDS] = { "reductions", "reductions", info_count, NULL },
	[I_TRAP_EXIT] = { "trap_exit", "trap_exit", info_word, NULL },
	[I_PRIORITY] = { "priority", "priority", info_word, NULL },
	[I_GROUP_LEADER] = { "group_leader", "group leader", info_term, NULL },
	/* A node's first garbage_collection answer makes an atom
	 * (minor_gcs), so it is asked only where that atom exists. */
	[I_GC] = { "garbage_collection", "garbage collection", info_term,
		   "not asked (the node would make an atom, minor_gcs, to "
		   "answer)" },
};

static const struct info_item *info_item_of(const char *key)
{
	int i;

	for (i = 0; i < I_COUNT_; i++)
		if (strcmp(info_items[i].key, key) == 0)
			return &info_items[i];
	return NULL;
}

/* The info section's values, by line: a text, or a term to lay out. */
struct info_lines {
	char text[I_COUNT_][DRILL_WIDTH];
	struct tdec term[I_COUNT_];
	uint8_t is_term[I_COUNT_];
};

/* One {Key, Value} of the answer into il, or the stack into its
 * section.  Returns 0, or -1 when the answer is malformed. */
static int read_info_item(struct drill *d, struct tdec *r, struct info_lines *il)
{
	char key[48], buf[DRILL_WIDTH];
	const struct info_item *it;
	struct tdec save;
	int arity, rc, i;

	if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
	    tdec_atom(r, key, sizeof key) < 0)
		return -1;
	if (strcmp(key, "current_stacktrace") == 0) {
		if (add_stack(&d->sec[SEC_STACK], r) < 0)
			drill_fail(&d->sec[SEC_STACK], NULL);
		return 0;
	}
	save = *r;
	buf[0] = '\0';
	it = info_item_of(key);
	if (!it || (rc = it->fmt(d, r, buf, sizeof buf)) < 0) {
		/* A key we do not show, or a value of an unexpected type. */
		*r = save;
		return tdec_skip(r);
	}
	i = (int)(it - info_items);
	if (rc == 1) {
		*r = save;
		il->term[i] = save;
		il->is_term[i] = 1;
		return tdec_skip(r);
	}
	/* A formatter that fell back to a fixed text left the value. */
	if (r->idx == save.idx && tdec_skip(r) < 0)
		return -1;
	snprintf(il->text[i], DRILL_WIDTH, "%s", buf);
	return 0;
}

/* The lines in the table's order, the ones the node did not give left
 * out or said absent. */
static void show_info(const struct drill *d, struct dsection *info,
		      struct info_lines *il)
{
	char buf[DRILL_WIDTH];
	int i;

	/* proc_lib's processes all start in proc_lib:init_p/5: the
	 * dictionary knows the real initial call. */
	if (d->initial[0]) {
		snprintf(buf, sizeof buf, "%.100s (proc_lib; really %.110s)",
			 il->text[I_INITIAL], d->initial);
		snprintf(il->text[I_INITIAL], DRILL_WIDTH, "%s", buf);
	}
	for (i = 0; i < I_COUNT_; i++) {
		if (il->is_term[i]) {
			snprintf(buf, sizeof buf, "%-20s ", info_items[i].title);
			if (drill_term(d, info, &il->term[i], buf, 21) == 0)
				continue;
			snprintf(il->text[i], DRILL_WIDTH, "?");
		}
		if (!il->text[i][0] && info_items[i].absent)
			snprintf(il->text[i], DRILL_WIDTH, "%s", info_items[i].absent);
		if (il->text[i][0])
			drill_add(info, "%-20s %s", info_items[i].title, il->text[i]);
	}
}

void drill_proc_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *info = &d->sec[SEC_INFO];
	struct info_lines il;
	int n, i;

	if (!drill_answered(d, info, r, why, NULL))
		return;
	memset(&il, 0, sizeof il);
	drill_begin(info);
	d->gone = 0; /* it answered: alive (an earlier answer may have said not) */
	if (tdec_list(r, &n) < 0) {
		drill_fail(info, NULL);
		return;
	}
	for (i = 0; i < n; i++)
		if (read_info_item(d, r, &il) < 0) {
			drill_fail(info, NULL);
			return;
		}
	show_info(d, info, &il);
}

/* [{links | monitors | monitored_by, {Count, List}}] into links. */
static void add_links(const struct drill *d, struct dsection *links,
		      struct tdec *r)
{
	int arity, n, i;

	drill_begin(links);
	if (tdec_list(r, &n) < 0) {
		drill_fail(links, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		char key[32];

		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0 ||
		    add_list(d, links, r, strcmp(key, "links") == 0 ? "links" :
			     strcmp(key, "monitors") == 0 ? "monitors" :
			     "monitored by") < 0) {
			drill_fail(links, NULL);
			return;
		}
	}
	if (tdec_list_end(r, n) < 0)
		drill_fail(links, NULL);
}

/* {Dict, Chain, Lists}: Dict is {Count, Pairs}, or the process's memory
 * when the dictionary was not copied (over the cap). */
void drill_proc_detail(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *links = &d->sec[SEC_LINKS], *dict = &d->sec[SEC_DICT];
	struct dsection *anc = &d->sec[SEC_ANCESTORS];
	uint64_t mem;
	char b1[32], b2[32];
	int arity;

	if (!r) {
		drill_fail(links, why);
		drill_fail(dict, why);
		drill_fail(anc, why);
		return;
	}
	if (tdec_atom_is(r, "undefined")) {
		d->gone = 1;
		return;
	}
	if (tdec_tuple(r, &arity) < 0 || arity != 3) {
		drill_fail(links, NULL);
		return;
	}
	if (tdec_u64(r, &mem) == 0) {
		drill_fail(dict, NULL);
		snprintf(dict->why, sizeof dict->why, "not read: the process uses %s, "
			 "over the %s that beamtop lets the node copy for it (its "
			 "dictionary could be as big; C raises it)",
			 fmt_bytes(b1, sizeof b1, (double)mem),
			 fmt_bytes(b2, sizeof b2, drill_cap(d)));
	} else if (add_dict(d, dict, r, d->initial, sizeof d->initial) < 0) {
		drill_fail(dict, NULL);
		return;
	}
	if (add_ancestors(d, anc, r) < 0) {
		drill_fail(anc, NULL);
		return;
	}
	add_links(d, links, r);
}

/* {Count, Bytes}: the refc binaries a process refers to. */
void drill_proc_binary(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_BINARY];
	uint64_t count, bytes;
	char b[32];
	int arity;

	if (!drill_answered(d, s, r, why, "the process is gone"))
		return;
	drill_begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || tdec_u64(r, &count) < 0 ||
	    tdec_u64(r, &bytes) < 0) {
		drill_fail(s, NULL);
		return;
	}
	drill_add(s, "%llu refc binar%s referred to, %s in all",
		  (unsigned long long)count, count == 1 ? "y" : "ies",
		  fmt_bytes(b, sizeof b, (double)bytes));
	drill_add(s, "(bin_leak, B in the process list, shows which processes "
		  "release binaries when collected)");
}
