/*
 * drill.c - rendering the drill-down's answers into lines (see drill.h).
 *
 * Every renderer tolerates keys it does not know (skipped) and keys that
 * are missing (their line is left out), as OTP versions differ in what
 * process_info, ets:info and port_info return.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/drill.h"
#include "beamtop/format.h"

const char *const drill_sec_name[SEC_COUNT_] = {
	[SEC_INFO] = "info", [SEC_STACK] = "stack", [SEC_LINKS] = "links",
	[SEC_DICT] = "dictionary", [SEC_ANCESTORS] = "ancestors",
	[SEC_MSGS] = "messages", [SEC_STATE] = "state", [SEC_OBJECTS] = "objects",
	[SEC_INET] = "inet", [SEC_BINARY] = "binaries",
};

void drill_reset(struct drill *d, enum drill_kind kind)
{
	unsigned ws = d->wordsize;

	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->wordsize = ws ? ws : 8;
}

struct dline *drill_add(struct dsection *s, const char *fmt, ...)
{
	struct dline *l;
	va_list ap;

	if (s->n >= DRILL_LINES)
		return NULL;
	l = &s->line[s->n++];
	memset(l, 0, sizeof *l);
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	return l;
}

/* What the node was let copy, in bytes (C raises it, confirmed). */
static double cap_of(const struct drill *d)
{
	return (double)(d->cap ? d->cap : DRILL_CAP_BYTES);
}

static void begin(struct dsection *s)
{
	s->state = SEC_OK;
	s->n = 0;
	s->why[0] = '\0';
}

static void fail(struct dsection *s, const char *why)
{
	s->state = SEC_FAILED;
	snprintf(s->why, sizeof s->why, "%.*s", (int)sizeof s->why - 1,
		 why ? why : "unexpected answer");
}

/* What every answer starts with: none (the call failed: why), or
 * 'undefined' (the process, table or port is gone: marked, and said in
 * the section when gone_text is given).  1 when there is more to read. */
static int answered(struct drill *d, struct dsection *s, struct tdec *r,
		    const char *why, const char *gone_text)
{
	if (!r) {
		fail(s, why);
		return 0;
	}
	if (tdec_atom_is(r, "undefined")) {
		d->gone = 1;
		if (gone_text)
			fail(s, gone_text);
		return 0;
	}
	return 1;
}

/* A value as text (parts cut on the node are marked by the printer). */
static int value_text(const struct drill *d, struct tdec *r, char *out,
		      size_t n)
{
	return tdec_print_marked(r, out, n, &d->mark);
}

/* Adds one line per element of {Count, List}, pids and ports as targets. */
static int add_list(const struct drill *d, struct dsection *s, struct tdec *r,
		    const char *title)
{
	uint64_t count;
	int arity, n, i;

	if (tdec_tuple(r, &arity) < 0 || arity != 2 || tdec_u64(r, &count) < 0 ||
	    tdec_list(r, &n) < 0)
		return -1;
	drill_add(s, "%s (%llu%s)", title, (unsigned long long)count,
		  count > (uint64_t)n ? ", first shown" : "")->heading = 1;
	for (i = 0; i < n; i++) {
		struct dline *l = drill_add(s, "  ");
		struct bt_pid pid;
		struct bt_port port;
		enum tkind k;

		if (!l) {
			tdec_skip(r);
			continue;
		}
		if (tdec_kind(r, &k, NULL) < 0)
			return -1;
		if (k == TK_PID && tdec_pid(r, &pid) == 0) {
			fmt_pid(l->text + 2, sizeof l->text - 2, &pid);
			l->target = DT_PID;
			l->pid = pid;
			continue;
		}
		if (k == TK_PORT && tdec_port(r, &port) == 0) {
			fmt_port(l->text + 2, sizeof l->text - 2, &port);
			l->target = DT_PORT;
			l->port = port;
			continue;
		}
		if (k == TK_TUPLE) {
			/* Monitors: {process, Pid} or {process, {Name, Node}}. */
			struct tdec t = *r;

			if (tdec_tuple(&t, &arity) == 0 && arity == 2 &&
			    tdec_skip(&t) == 0 && tdec_pid(&t, &pid) == 0) {
				fmt_pid(l->text + 2, sizeof l->text - 2, &pid);
				l->target = DT_PID;
				l->pid = pid;
				*r = t;
				continue;
			}
		}
		if (value_text(d, r, l->text + 2, sizeof l->text - 2) < 0)
			return -1;
	}
	return tdec_list_end(r, n);
}

/* current_stacktrace: [{M, F, Arity | Args, [{file, F}, {line, L}]}]. */
static int add_stack(struct dsection *s, struct tdec *r)
{
	int n, i;

	begin(s);
	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char mfa[300], file[200] = "", key[16];
		uint64_t line = 0;
		int arity, m, j;
		struct tdec t = *r;

		if (tdec_tuple(&t, &arity) < 0 || arity != 4 || tdec_skip(&t) < 0 ||
		    tdec_skip(&t) < 0 || tdec_skip(&t) < 0) {
			if (tdec_skip(r) < 0)
				return -1;
			continue;
		}
		/* {M, F, A, Loc}: tdec_mfa reads the first three as a tuple, so
		 * re-read them from the frame. */
		{
			struct tdec f = *r;
			char mod[TDEC_ATOM_MAX], fun[TDEC_ATOM_MAX];
			int64_t a;
			enum tkind k;
			int size;

			tdec_tuple(&f, &arity);
			if (tdec_atom(&f, mod, sizeof mod) < 0 ||
			    tdec_atom(&f, fun, sizeof fun) < 0)
				return -1;
			if (tdec_i64(&f, &a) < 0) {
				if (tdec_kind(&f, &k, &size) < 0 || tdec_skip(&f) < 0)
					return -1;
				a = size;
			}
			if (strncmp(mod, "Elixir.", 7) == 0)
				snprintf(mfa, sizeof mfa, "%.140s.%.140s/%lld", mod + 7, fun,
					 (long long)a);
			else
				snprintf(mfa, sizeof mfa, "%.140s:%.140s/%lld", mod, fun, (long long)a);
		}
		if (tdec_list(&t, &m) < 0)
			return -1;
		for (j = 0; j < m; j++) {
			int ar;

			if (tdec_tuple(&t, &ar) < 0 || ar != 2 ||
			    tdec_atom(&t, key, sizeof key) < 0)
				return -1;
			if (strcmp(key, "file") == 0 && tdec_text(&t, file, sizeof file) == 0)
				continue;
			if (strcmp(key, "line") == 0 && tdec_u64(&t, &line) == 0)
				continue;
			if (tdec_skip(&t) < 0)
				return -1;
		}
		if (tdec_list_end(&t, m) < 0)
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

	begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || tdec_u64(r, &count) < 0 ||
	    tdec_list(r, &n) < 0)
		return -1;
	if (count > (uint64_t)n)
		snprintf(s->why, sizeof s->why, "%llu entries, the first %d shown",
			 (unsigned long long)count, n);
	for (i = 0; i < n; i++) {
		char key[DRILL_WIDTH], val[DRILL_WIDTH];
		struct tdec probe;

		if (tdec_tuple(r, &arity) < 0 || arity != 2)
			return -1;
		probe = *r;
		if (tdec_atom_is(&probe, "$initial_call")) {
			*r = probe;
			if (tdec_mfa(r, val, sizeof val) < 0 &&
			    value_text(d, r, val, sizeof val) < 0)
				return -1;
			snprintf(initial, initlen, "%s", val);
			drill_add(s, "$initial_call  %s  (proc_lib: the real initial call)", val);
			continue;
		}
		if (tdec_atom_is(&probe, "$ancestors")) {
			*r = probe;
			if (value_text(d, r, val, sizeof val) < 0)
				return -1;
			drill_add(s, "$ancestors  %s  (proc_lib: who started it, nearest first)",
				  val);
			continue;
		}
		if (value_text(d, r, key, sizeof key) < 0 || value_text(d, r, val, sizeof val) < 0)
			return -1;
		drill_add(s, "%s => %s", key, val);
	}
	return tdec_list_end(r, n);
}

/* [{Ancestor, PidOrUndefined, RegisteredName}], nearest first. */
static int add_ancestors(struct dsection *s, struct tdec *r)
{
	int n, i, arity;

	begin(s);
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
		    tdec_print(r, anc, sizeof anc) < 0)
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
			if (l) {
				l->target = DT_PID;
				l->pid = pid;
			}
		} else {
			drill_add(s, "%d  %s  (not running)", i + 1, anc);
		}
	}
	return tdec_list_end(r, n);
}

static void bytes_of_words(const struct drill *d, uint64_t words, char *out, size_t n)
{
	fmt_bytes(out, n, (double)words * d->wordsize);
}

void drill_proc_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *info = &d->sec[SEC_INFO];
	char line[24][DRILL_WIDTH];   /* by the order they are shown in */
	char key[48], buf[DRILL_WIDTH];
	int n, i, arity, k;
	uint64_t v;

	if (!answered(d, info, r, why, NULL))
		return;
	memset(line, 0, sizeof line);
	begin(info);
	d->gone = 0; /* it answered: alive (an earlier answer may have said not) */
	if (tdec_list(r, &n) < 0) {
		fail(info, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		struct tdec save;

		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0) {
			fail(info, NULL);
			return;
		}
		save = *r;
		k = -1;
		buf[0] = '\0';
		if (strcmp(key, "registered_name") == 0) {
			k = 0;
			if (tdec_text(r, buf, sizeof buf) < 0 || !buf[0])
				snprintf(buf, sizeof buf, "(none)");
		} else if (strcmp(key, "initial_call") == 0) {
			k = 1;
			if (tdec_mfa(r, buf, sizeof buf) < 0)
				tdec_print(r, buf, sizeof buf);
		} else if (strcmp(key, "current_function") == 0) {
			k = 2;
			if (tdec_mfa(r, buf, sizeof buf) < 0)
				tdec_print(r, buf, sizeof buf);
		} else if (strcmp(key, "status") == 0) {
			k = 3;
			tdec_print(r, buf, sizeof buf);
		} else if (strcmp(key, "memory") == 0 && tdec_u64(r, &v) == 0) {
			k = 4;
			fmt_bytes(buf, sizeof buf, (double)v);
		} else if (strcmp(key, "heap_size") == 0 && tdec_u64(r, &v) == 0) {
			k = 5;
			bytes_of_words(d, v, buf, sizeof buf);
		} else if (strcmp(key, "stack_size") == 0 && tdec_u64(r, &v) == 0) {
			k = 6;
			bytes_of_words(d, v, buf, sizeof buf);
		} else if (strcmp(key, "total_heap_size") == 0 && tdec_u64(r, &v) == 0) {
			k = 7;
			bytes_of_words(d, v, buf, sizeof buf);
		} else if (strcmp(key, "message_queue_len") == 0 && tdec_u64(r, &v) == 0) {
			k = 8;
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
		} else if (strcmp(key, "reductions") == 0 && tdec_u64(r, &v) == 0) {
			k = 9;
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
		} else if (strcmp(key, "trap_exit") == 0 || strcmp(key, "priority") == 0) {
			k = key[0] == 't' ? 10 : 11;
			tdec_print(r, buf, sizeof buf);
		} else if (strcmp(key, "group_leader") == 0) {
			k = 12;
			tdec_print(r, buf, sizeof buf);
		} else if (strcmp(key, "garbage_collection") == 0) {
			k = 13;
			tdec_print(r, buf, sizeof buf);
		} else if (strcmp(key, "label") == 0 && !tdec_atom_is(r, "undefined")) {
			k = tdec_as_text(r, buf, sizeof buf) == 0 ? 14 : -1;
		} else if (strcmp(key, "current_stacktrace") == 0) {
			if (add_stack(&d->sec[SEC_STACK], r) < 0)
				fail(&d->sec[SEC_STACK], NULL);
			continue;
		}
		if (k < 0) {
			/* A key we do not show, or a value of an unexpected type. */
			*r = save;
			if (tdec_skip(r) < 0) {
				fail(info, NULL);
				return;
			}
			continue;
		}
		if (r->idx == save.idx && tdec_skip(r) < 0) {
			fail(info, NULL);
			return;
		}
		snprintf(line[k], sizeof line[k], "%s", buf);
	}
	{
		static const char *const label[] = {
			"registered name", "initial call", "current function", "status",
			"memory", "heap size", "stack size", "total heap size",
			"message queue", "reductions", "trap_exit", "priority",
			"group leader", "garbage collection", "label"
		};
		/* The label (OTP 27+) names the process: next to its name. */
		static const int order[] = { 0, 14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
					     11, 12, 13 };

		/* proc_lib's processes all start in proc_lib:init_p/5: the
		 * dictionary knows the real initial call. */
		/* A node's first garbage_collection answer makes an atom
		 * (minor_gcs), so it is asked only where that atom exists. */
		if (!line[13][0])
			snprintf(line[13], sizeof line[13], "not asked (the node would "
				 "make an atom, minor_gcs, to answer)");
		if (d->initial[0]) {
			snprintf(buf, sizeof buf, "%.100s (proc_lib; really %.110s)", line[1],
				 d->initial);
			snprintf(line[1], sizeof line[1], "%s", buf);
		}
		for (i = 0; i < 15; i++)
			if (line[order[i]][0])
				drill_add(info, "%-20s %s", label[order[i]],
					  line[order[i]]);
	}
}

/* {Dict, Chain, Lists}: Dict is {Count, Pairs}, or the process's memory
 * when the dictionary was not copied (over the cap). */
void drill_proc_detail(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *links = &d->sec[SEC_LINKS], *dict = &d->sec[SEC_DICT];
	struct dsection *anc = &d->sec[SEC_ANCESTORS];
	uint64_t mem;
	char b1[32], b2[32];
	int arity, n, i;

	if (!r) {
		fail(links, why);
		fail(dict, why);
		fail(anc, why);
		return;
	}
	if (tdec_atom_is(r, "undefined")) {
		d->gone = 1;
		return;
	}
	if (tdec_tuple(r, &arity) < 0 || arity != 3) {
		fail(links, NULL);
		return;
	}
	if (tdec_u64(r, &mem) == 0) {
		fail(dict, NULL);
		snprintf(dict->why, sizeof dict->why, "not read: the process uses %s, "
			 "over the %s that beamtop lets the node copy for it (its "
			 "dictionary could be as big; C raises it)",
			 fmt_bytes(b1, sizeof b1, (double)mem),
			 fmt_bytes(b2, sizeof b2, cap_of(d)));
	} else if (add_dict(d, dict, r, d->initial, sizeof d->initial) < 0) {
		fail(dict, NULL);
		return;
	}
	if (add_ancestors(anc, r) < 0) {
		fail(anc, NULL);
		return;
	}
	begin(links);
	if (tdec_list(r, &n) < 0) {
		fail(links, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		char key[32];

		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0 ||
		    add_list(d, links, r, strcmp(key, "links") == 0 ? "links" :
			     strcmp(key, "monitors") == 0 ? "monitors" :
			     "monitored by") < 0) {
			fail(links, NULL);
			return;
		}
	}
	if (tdec_list_end(r, n) < 0)
		fail(links, NULL);
}

/* {Count, Bytes}: the refc binaries a process refers to. */
void drill_proc_binary(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_BINARY];
	uint64_t count, bytes;
	char b[32];
	int arity;

	if (!answered(d, s, r, why, "the process is gone"))
		return;
	begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || tdec_u64(r, &count) < 0 ||
	    tdec_u64(r, &bytes) < 0) {
		fail(s, NULL);
		return;
	}
	drill_add(s, "%llu refc binaries referred to, %s in all",
		  (unsigned long long)count, fmt_bytes(b, sizeof b, (double)bytes));
	drill_add(s, "(bin_leak, B in the process list, shows which processes "
		  "release binaries when collected)");
}

/* Lines for a list of messages (pruned on the node). */
static void add_messages(const struct drill *d, struct dsection *s,
			 struct tdec *r)
{
	char buf[DRILL_WIDTH];
	int n, i;

	if (tdec_list(r, &n) < 0) {
		fail(s, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		if (value_text(d, r, buf, sizeof buf) < 0) {
			fail(s, NULL);
			return;
		}
		drill_add(s, "%3d  %s", i + 1, buf);
	}
}

int drill_proc_messages(struct drill *d, struct tdec *r, const char *why,
			int can_sample)
{
	struct dsection *s = &d->sec[SEC_MSGS];
	uint64_t len, mem;
	int64_t how;
	int arity;
	char b1[32], b2[32];

	if (!answered(d, s, r, why, "the process is gone"))
		return 0;
	begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity != 3 || tdec_i64(r, &how) < 0 ||
	    tdec_u64(r, &len) < 0) {
		fail(s, NULL);
		return 0;
	}
	if (how == 2 && tdec_u64(r, &mem) == 0) {
		snprintf(s->why, sizeof s->why, "%llu messages, the process uses %s: "
			 "not copied (only queues of at most %u messages and %s are); %s",
			 (unsigned long long)len, fmt_bytes(b1, sizeof b1, (double)mem),
			 DRILL_MSGS_MAX_COPY, fmt_bytes(b2, sizeof b2, cap_of(d)),
			 can_sample ? "watching what arrives instead..." :
			 "sampling traces the process, which --read-only forbids");
		if (!can_sample)
			return 0;
		s->state = SEC_PENDING;
		return 1;
	}
	snprintf(s->why, sizeof s->why, "%llu messages in the queue; the first "
		 "ones shown (at most %d)", (unsigned long long)len, DRILL_MSGS_N);
	add_messages(d, s, r);
	return 0;
}

void drill_proc_sample(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_MSGS];
	uint64_t len;
	int64_t how;
	int arity;

	if (!answered(d, s, r, why, "the process is gone"))
		return;
	begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity < 2 || tdec_i64(r, &how) < 0 ||
	    tdec_u64(r, &len) < 0) {
		fail(s, NULL);
		return;
	}
	if (how == 4) {
		snprintf(s->why, sizeof s->why, "%llu messages: too many to copy, and "
			 "the process cannot be traced (someone else traces it)",
			 (unsigned long long)len);
		return;
	}
	snprintf(s->why, sizeof s->why, "%llu messages in the queue: too many or "
		 "too big to copy on the node, so these arrived while watching for "
		 "%d s (each cut to size)", (unsigned long long)len,
		 DRILL_SAMPLE_MS / 1000);
	add_messages(d, s, r);
}

void drill_proc_state(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_STATE];
	char buf[DRILL_WIDTH * 4], what[200], b1[32], b2[32];
	int64_t how;
	uint64_t mem;
	int arity;

	if (!answered(d, s, r, why, "the process is gone"))
		return;
	if (tdec_tuple(r, &arity) < 0 || arity < 1 || tdec_i64(r, &how) < 0) {
		fail(s, NULL);
		return;
	}
	switch (how) {
	case 1:
		break;
	case 2:
	case 3:
		if (tdec_print(r, what, sizeof what) < 0)
			snprintf(what, sizeof what, "?");
		snprintf(buf, sizeof buf, how == 2 ?
			 "not asked: the process is %s, not waiting for a message; a "
			 "system message would wait in its mailbox (or be taken by its "
			 "own receive)" :
			 "not asked: the process waits in %s, which does not handle "
			 "system messages (no system_continue/3): it would never "
			 "answer sys:get_state", what);
		fail(s, buf);
		return;
	case 4:
		if (tdec_u64(r, &mem) < 0)
			mem = 0;
		snprintf(buf, sizeof buf, "not asked: the process uses %s, over the %s "
			 "that beamtop lets the node copy for it (its state could be as "
			 "big; C raises it)", fmt_bytes(b1, sizeof b1, (double)mem),
			 fmt_bytes(b2, sizeof b2, cap_of(d)));
		fail(s, buf);
		return;
	case 5:
		fail(s, "sys:get_state timed out: the process did not answer in time");
		return;
	default:
		if (tdec_print(r, what, sizeof what) < 0)
			snprintf(what, sizeof what, "?");
		snprintf(buf, sizeof buf, "sys:get_state failed: %s", what);
		fail(s, buf);
		return;
	}
	begin(s);
	if (value_text(d, r, buf, sizeof buf) < 0) {
		fail(s, NULL);
		return;
	}
	/* One long rendering, wrapped over lines. */
	{
		size_t len = strlen(buf), at = 0, w = DRILL_WIDTH - 1;

		while (at < len) {
			drill_add(s, "%.*s", (int)w, buf + at);
			at += w;
		}
	}
}

/* A proplist as "key  value" lines into s. */
static int add_proplist(const struct drill *d, struct dsection *s,
			struct tdec *r)
{
	int n, i, arity;

	if (tdec_list(r, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char key[64], val[DRILL_WIDTH];
		struct dline *l;
		struct bt_pid pid;
		struct tdec t;

		if (tdec_tuple(r, &arity) < 0 || arity != 2 ||
		    tdec_atom(r, key, sizeof key) < 0)
			return -1;
		t = *r;
		if (tdec_pid(&t, &pid) == 0) {
			char p[32];

			l = drill_add(s, "%-22s %s", key, fmt_pid(p, sizeof p, &pid));
			if (l) {
				l->target = DT_PID;
				l->pid = pid;
			}
			*r = t;
			continue;
		}
		if (tdec_text(&t, val, sizeof val) == 0 && strcmp(key, "name") == 0) {
			drill_add(s, "%-22s %s", key, val);
			*r = t;
			continue;
		}
		if (value_text(d, r, val, sizeof val) < 0)
			return -1;
		drill_add(s, "%-22s %s", key, val);
	}
	return tdec_list_end(r, n);
}

/* ets:info gives memory in words: the line says bytes, as the list does. */
static void words_as_bytes(const struct drill *d, struct dsection *s,
			   const char *key)
{
	size_t kl = strlen(key);
	char b[32];
	int i;

	for (i = 0; i < s->n; i++) {
		char *t = s->line[i].text;
		unsigned long long w;

		if (strncmp(t, key, kl) != 0 || t[kl] != ' ' ||
		    sscanf(t + kl, " %llu", &w) != 1)
			continue;
		snprintf(t, sizeof s->line[i].text, "%-22s %s (%llu words)", key,
			 fmt_bytes(b, sizeof b, (double)w * d->wordsize), w);
	}
}

void drill_ets_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_INFO];

	if (!answered(d, s, r, why, NULL))
		return;
	begin(s);
	if (add_proplist(d, s, r) < 0) {
		fail(s, NULL);
		return;
	}
	words_as_bytes(d, s, "memory");
}

void drill_ets_objects(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_OBJECTS];
	char buf[DRILL_WIDTH], b1[32], b2[32];
	uint64_t size, asked, words;
	int64_t how;
	int arity, n, i;

	if (!answered(d, s, r, why, "the table is gone"))
		return;
	if (tdec_atom_is(r, "private")) {
		fail(s, "a private table: only its owner can read it");
		return;
	}
	if (tdec_tuple(r, &arity) < 0 || arity < 3 || tdec_i64(r, &how) < 0 ||
	    tdec_u64(r, &size) < 0) {
		fail(s, NULL);
		return;
	}
	if (how == 2) {
		if (tdec_u64(r, &words) < 0)
			words = 0;
		snprintf(buf, sizeof buf, "not read: %llu objects in %s, over %s each "
			 "on average, the most beamtop lets the node copy",
			 (unsigned long long)size,
			 fmt_bytes(b1, sizeof b1, (double)words * d->wordsize),
			 fmt_bytes(b2, sizeof b2, cap_of(d)));
		fail(s, buf);
		return;
	}
	begin(s);
	if (tdec_u64(r, &asked) < 0 || tdec_list(r, &n) < 0) {
		fail(s, NULL);
		return;
	}
	snprintf(s->why, sizeof s->why, "the first %d of %llu objects (a bounded "
		 "match of at most %llu, as many as fit %s; never the whole table)",
		 n, (unsigned long long)size, (unsigned long long)asked,
		 fmt_bytes(b1, sizeof b1, cap_of(d)));
	for (i = 0; i < n; i++) {
		if (value_text(d, r, buf, sizeof buf) < 0) {
			fail(s, NULL);
			return;
		}
		drill_add(s, "%s", buf);
	}
}

void drill_port_info(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_INFO], *inet = &d->sec[SEC_INET];
	int arity;

	if (!answered(d, s, r, why, NULL))
		return;
	begin(s);
	begin(inet);
	if (tdec_tuple(r, &arity) < 0 || arity != 2 || add_proplist(d, s, r) < 0) {
		fail(s, NULL);
		return;
	}
	if (add_proplist(d, inet, r) < 0)
		fail(inet, NULL);
	else if (inet->n == 0)
		snprintf(inet->why, sizeof inet->why, "not an inet socket");
}
