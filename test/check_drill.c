/*
 * check_drill.c - rendering the drill-down's answers, and the embedded
 * queries and the read-only list they rely on.
 */
#include <ei.h>
#include <string.h>

#include "beamtop/conn.h"
#include "beamtop/drill.h"
#include "beamtop/query.h"
#include "check_suites.h"

static struct drill d;

static void pid_at(erlang_pid *p, unsigned num)
{
	memset(p, 0, sizeof *p);
	strcpy(p->node, "app@host");
	p->num = num;
	p->creation = 1;
}

static struct tdec cursor(ei_x_buff *x)
{
	struct tdec t;

	ck_assert_int_eq(tdec_init(&t, x->buff, x->index), 0);
	return t;
}

/* Whether any line of the section contains text. */
static int has(const struct dsection *s, const char *text)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strstr(drill_text(s, i), text))
			return 1;
	return 0;
}

static void kv_atom(ei_x_buff *x, const char *k, const char *v)
{
	ei_x_encode_tuple_header(x, 2);
	ei_x_encode_atom(x, k);
	ei_x_encode_atom(x, v);
}

static void mfa(ei_x_buff *x, const char *m, const char *f, long a)
{
	ei_x_encode_tuple_header(x, 3);
	ei_x_encode_atom(x, m);
	ei_x_encode_atom(x, f);
	ei_x_encode_long(x, a);
}

START_TEST(proc_info_sections)
{
	ei_x_buff x;
	struct tdec t;

	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 5);
	kv_atom(&x, "registered_name", "my_server");
	ei_x_encode_tuple_header(&x, 2);            /* initial_call */
	ei_x_encode_atom(&x, "initial_call");
	mfa(&x, "proc_lib", "init_p", 5);
	ei_x_encode_tuple_header(&x, 2);            /* memory */
	ei_x_encode_atom(&x, "memory");
	ei_x_encode_long(&x, 2048);
	ei_x_encode_tuple_header(&x, 2);            /* current_stacktrace */
	ei_x_encode_atom(&x, "current_stacktrace");
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_tuple_header(&x, 4);
	ei_x_encode_atom(&x, "gen_server");
	ei_x_encode_atom(&x, "loop");
	ei_x_encode_long(&x, 7);
	ei_x_encode_list_header(&x, 2);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "file");
	ei_x_encode_string(&x, "gen_server.erl");
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "line");
	ei_x_encode_long(&x, 437);
	ei_x_encode_empty_list(&x);
	ei_x_encode_empty_list(&x);
	ei_x_encode_tuple_header(&x, 2);            /* a key from a newer OTP */
	ei_x_encode_atom(&x, "future_item");
	ei_x_encode_atom(&x, "whatever");
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	snprintf(d.initial, sizeof d.initial, "MyApp.Worker.init/1");
	drill_proc_info(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_INFO].state, SEC_OK);
	ck_assert(has(&d.sec[SEC_INFO], "my_server"));
	ck_assert(has(&d.sec[SEC_INFO], "really MyApp.Worker.init/1"));
	ck_assert(has(&d.sec[SEC_INFO], "2.00 KiB"));
	ck_assert(has(&d.sec[SEC_STACK], "gen_server:loop/7  (gen_server.erl:437)"));
	ei_x_free(&x);
}
END_TEST

/* {Dict, Chain, Lists}, the dictionary given as pairs or as a memory. */
static void encode_detail(ei_x_buff *x, int dict_read)
{
	erlang_pid p;

	ei_x_new_with_version(x);
	ei_x_encode_tuple_header(x, 3);
	if (dict_read) {
		ei_x_encode_tuple_header(x, 2);
		ei_x_encode_long(x, 3);
		ei_x_encode_list_header(x, 2);
		ei_x_encode_tuple_header(x, 2);
		ei_x_encode_atom(x, "$initial_call");
		mfa(x, "Elixir.MyApp.Worker", "init", 1);
		kv_atom(x, "planted", "value");
		ei_x_encode_empty_list(x);
	} else {
		ei_x_encode_long(x, 200L << 20);
	}
	ei_x_encode_list_header(x, 1);              /* the ancestors */
	ei_x_encode_tuple_header(x, 3);
	ei_x_encode_atom(x, "my_sup");
	pid_at(&p, 12);
	ei_x_encode_pid(x, &p);
	ei_x_encode_atom(x, "my_sup");
	ei_x_encode_empty_list(x);
	ei_x_encode_list_header(x, 1);              /* links {1, [Pid]} */
	ei_x_encode_tuple_header(x, 2);
	ei_x_encode_atom(x, "links");
	ei_x_encode_tuple_header(x, 2);
	ei_x_encode_long(x, 1);
	ei_x_encode_list_header(x, 1);
	pid_at(&p, 77);
	ei_x_encode_pid(x, &p);
	ei_x_encode_empty_list(x);
	ei_x_encode_empty_list(x);
}

START_TEST(proc_detail_sections)
{
	ei_x_buff x;
	struct tdec t;

	encode_detail(&x, 1);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_detail(&d, &t, NULL);
	ck_assert(has(&d.sec[SEC_LINKS], "<0.77.0>"));
	ck_assert_int_eq(d.sec[SEC_LINKS].line[1].target, DT_PID);
	ck_assert_uint_eq(d.sec[SEC_LINKS].line[1].pid.num, 77);
	ck_assert(has(&d.sec[SEC_DICT], "proc_lib: the real initial call"));
	ck_assert(has(&d.sec[SEC_DICT], "planted => value"));
	ck_assert(strstr(d.sec[SEC_DICT].why, "3 entries"));
	ck_assert_str_eq(d.initial, "MyApp.Worker.init/1");
	ck_assert(has(&d.sec[SEC_ANCESTORS], "my_sup"));
	ei_x_free(&x);

	/* Over the cap: not read, and the section says why. */
	encode_detail(&x, 0);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_detail(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_DICT].state, SEC_FAILED);
	ck_assert(strstr(d.sec[SEC_DICT].why, "200 MiB"));
	ck_assert(has(&d.sec[SEC_LINKS], "<0.77.0>"));
	ei_x_free(&x);
}
END_TEST

/* Lists longer than a section holds fill it: the lines after are counted
 * and the last line says that the rest is not kept, the answer is still
 * read to its end. */
START_TEST(links_past_a_full_section)
{
	static const char *const key[] = { "links", "monitors", "monitored_by" };
	ei_x_buff x;
	struct tdec t;
	erlang_pid p;
	int i, k;

	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_tuple_header(&x, 2);            /* an empty dictionary */
	ei_x_encode_long(&x, 0);
	ei_x_encode_empty_list(&x);
	ei_x_encode_empty_list(&x);                 /* no ancestors */
	ei_x_encode_list_header(&x, 3);
	for (k = 0; k < 3; k++) {
		ei_x_encode_tuple_header(&x, 2);
		ei_x_encode_atom(&x, key[k]);
		ei_x_encode_tuple_header(&x, 2);
		ei_x_encode_long(&x, 2000);
		ei_x_encode_list_header(&x, 2000);
		for (i = 0; i < 2000; i++) {
			pid_at(&p, 1000 + i);
			ei_x_encode_pid(&x, &p);
		}
		ei_x_encode_empty_list(&x);
	}
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_detail(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_LINKS].state, SEC_OK);
	ck_assert_int_eq(d.sec[SEC_LINKS].n, DRILL_LINES);
	ck_assert(has(&d.sec[SEC_LINKS], "links (2000"));
	ck_assert(has(&d.sec[SEC_LINKS], "monitors (2000"));
	ck_assert(has(&d.sec[SEC_LINKS], "monitored by (2000"));
	ck_assert_msg(strstr(drill_text(&d.sec[SEC_LINKS], DRILL_LINES - 1), "not kept"),
		      "%s", drill_text(&d.sec[SEC_LINKS], DRILL_LINES - 1));
	ck_assert_uint_eq(d.sec[SEC_LINKS].dropped, 6003 - (DRILL_LINES - 1));
	ck_assert_int_eq(t.idx, t.len);
	ei_x_free(&x);
}
END_TEST

/* {How, A} or {How, A, B}: the coded answers of proc_state. */
static void encode_code(ei_x_buff *x, long how, const char *atom, long n)
{
	ei_x_new_with_version(x);
	ei_x_encode_tuple_header(x, atom || n >= 0 ? 2 : 1);
	ei_x_encode_long(x, how);
	if (atom)
		ei_x_encode_atom(x, atom);
	else if (n >= 0)
		ei_x_encode_long(x, n);
}

/* proc_state's answer in x (freed here) fails the section saying says. */
static void state_refused(ei_x_buff *x, const char *says)
{
	struct tdec t = cursor(x);

	drill_reset(&d, DRILL_PROC);
	drill_proc_state(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_STATE].state, SEC_FAILED);
	ck_assert_msg(strstr(d.sec[SEC_STATE].why, says), "%s", d.sec[SEC_STATE].why);
	ei_x_free(x);
}

START_TEST(state_answers)
{
	static const struct { long how; const char *atom; long n; const char *says; } c[] = {
		{ 2, "running", -1, "the process is running, not waiting" },
		{ 2, "suspended", -1, "the process is suspended" },
		{ 3, "my_worker", -1, "waits in my_worker, which does not handle system" },
		{ 4, NULL, 300L << 20, "uses 300 MiB, over the 8.00 MiB" },
		{ 5, NULL, -1, "timed out" },
	};
	ei_x_buff x;
	struct tdec t;
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		encode_code(&x, c[i].how, c[i].atom, c[i].n);
		state_refused(&x, c[i].says);
	}
	encode_code(&x, 1, "the_state", -1);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_state(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_STATE].state, SEC_OK);
	ck_assert(has(&d.sec[SEC_STATE], "the_state"));
	ei_x_free(&x);
}
END_TEST

/* The answers that name where the process waits: {7, Module, Loop},
 * {8, {M, F, A}} and sys:get_state's error {6, Class, Reason}. */
START_TEST(state_answers_named)
{
	static const struct { long how; const char *a, *b; const char *says; } c[] = {
		{ 7, "it_shapes", "gen_server",
		  "waits in it_shapes inside the loop of gen_server" },
		{ 8, "erl_eval", NULL, "hibernates, which hides where it waits, and "
		  "it was started as erl_eval:loop/0, which shows no loop" },
		{ 6, "exit", "badarg", "sys:get_state failed: exit badarg" },
	};
	ei_x_buff x;
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		ei_x_new_with_version(&x);
		ei_x_encode_tuple_header(&x, c[i].b ? 3 : 2);
		ei_x_encode_long(&x, c[i].how);
		if (c[i].b) {
			ei_x_encode_atom(&x, c[i].a);
			ei_x_encode_atom(&x, c[i].b);
		} else {
			ei_x_encode_tuple_header(&x, 3);
			ei_x_encode_atom(&x, c[i].a);
			ei_x_encode_atom(&x, "loop");
			ei_x_encode_long(&x, 0);
		}
		state_refused(&x, c[i].says);
	}
}
END_TEST

START_TEST(gone_and_failed)
{
	ei_x_buff x;
	struct tdec t;

	drill_reset(&d, DRILL_PROC);
	drill_proc_info(&d, NULL, "timed out");
	ck_assert_int_eq(d.sec[SEC_INFO].state, SEC_FAILED);
	ck_assert_str_eq(d.sec[SEC_INFO].why, "timed out");
	ei_x_new_with_version(&x);
	ei_x_encode_atom(&x, "undefined");
	t = cursor(&x);
	drill_proc_state(&d, &t, NULL);
	ck_assert(d.gone);
	ei_x_free(&x);
}
END_TEST

START_TEST(messages_head_too_big_and_sampled)
{
	ei_x_buff x;
	struct tdec t;
	int i;

	/* {1, Len, Messages}: the head. */
	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 5);
	ei_x_encode_list_header(&x, 2);
	for (i = 0; i < 2; i++)
		kv_atom(&x, "msg", "hello");
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	ck_assert_int_eq(drill_proc_messages(&d, &t, NULL, 1), 0);
	ck_assert_int_eq(d.sec[SEC_MSGS].n, 2);
	ck_assert(strstr(d.sec[SEC_MSGS].why, "5 messages in the queue"));
	ei_x_free(&x);

	/* {2, Len, Memory}: not copied; sampled unless read-only. */
	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_long(&x, 2);
	ei_x_encode_long(&x, 1000000);
	ei_x_encode_long(&x, 300L << 20);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	ck_assert_int_eq(drill_proc_messages(&d, &t, NULL, 1), 1);
	ck_assert(strstr(d.sec[SEC_MSGS].why, "not copied"));
	t = cursor(&x);
	ck_assert_int_eq(drill_proc_messages(&d, &t, NULL, 0), 0);
	ck_assert(strstr(d.sec[SEC_MSGS].why, "--read-only forbids"));
	ei_x_free(&x);

	/* {3, Len, Messages}: what arrived while watching. */
	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_long(&x, 3);
	ei_x_encode_long(&x, 1000000);
	ei_x_encode_list_header(&x, 3);
	for (i = 0; i < 3; i++)
		kv_atom(&x, "msg", "hello");
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_sample(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_MSGS].n, 3);
	ck_assert(strstr(d.sec[SEC_MSGS].why, "1000000 messages"));
	ck_assert(has(&d.sec[SEC_MSGS], "{msg,hello}"));
	ei_x_free(&x);
}
END_TEST

START_TEST(private_table_and_port_inet)
{
	ei_x_buff x;
	struct tdec t;

	ei_x_new_with_version(&x);
	ei_x_encode_atom(&x, "private");
	t = cursor(&x);
	drill_reset(&d, DRILL_ETS);
	drill_ets_objects(&d, &t, NULL);
	ck_assert(strstr(d.sec[SEC_OBJECTS].why, "private table"));
	ei_x_free(&x);

	/* {2, Size, Words}: objects too big on average to copy one. */
	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_long(&x, 2);
	ei_x_encode_long(&x, 20);
	ei_x_encode_long(&x, 20L << 20);
	t = cursor(&x);
	drill_reset(&d, DRILL_ETS);
	drill_ets_objects(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_OBJECTS].state, SEC_FAILED);
	ck_assert(strstr(d.sec[SEC_OBJECTS].why, "not read: 20 objects in 160 MiB"));
	ei_x_free(&x);

	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "name");
	ei_x_encode_string(&x, "tcp_inet");
	ei_x_encode_empty_list(&x);
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "peername");
	ei_x_encode_atom(&x, "enotconn");
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PORT);
	drill_port_info(&d, &t, NULL);
	ck_assert(has(&d.sec[SEC_INFO], "tcp_inet"));
	ck_assert(has(&d.sec[SEC_INET], "enotconn"));
	ei_x_free(&x);
}
END_TEST

/* Parts cut on the node are printed as cuts, by the mark of the
 * connection; the same shape with another reference is plain data. */
START_TEST(cuts_marked_by_the_node)
{
	erlang_ref mark, other;
	ei_x_buff x;
	struct tdec t;
	char out[256];
	int i;

	memset(&mark, 0, sizeof mark);
	strcpy(mark.node, "beamtop@host");
	mark.len = 3;
	mark.n[0] = 7;
	mark.creation = 5;
	other = mark;
	other.n[0] = 8;
	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 5);
	ei_x_encode_long(&x, 1);
	ei_x_encode_tuple_header(&x, 3);            /* the rest of a list */
	ei_x_encode_ref(&x, &mark);
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 999998);
	ei_x_encode_tuple_header(&x, 4);            /* a long binary */
	ei_x_encode_ref(&x, &mark);
	ei_x_encode_long(&x, 2);
	ei_x_encode_binary(&x, "abc", 3);
	ei_x_encode_long(&x, 1048576);
	ei_x_encode_tuple_header(&x, 3);            /* not sent at all */
	ei_x_encode_ref(&x, &mark);
	ei_x_encode_long(&x, 3);
	ei_x_encode_long(&x, 4096);
	ei_x_encode_tuple_header(&x, 3);            /* not ours: data */
	ei_x_encode_ref(&x, &other);
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 5);
	ei_x_encode_empty_list(&x);
	drill_reset(&d, DRILL_PROC);
	d.mark.len = 3;
	d.mark.n[0] = 7;
	d.mark.creation = 5;
	for (i = 0; i < 2; i++) {
		t = cursor(&x);
		ck_assert_int_eq(tdec_print_marked(&t, out, sizeof out, i ? &d.mark : NULL), 0);
		if (!i) {
			ck_assert_ptr_null(strstr(out, "more"));
			continue;
		}
		ck_assert_msg(strstr(out, "[1,\u2026(+999998 more),"), "%s", out);
		ck_assert_msg(strstr(out, "<<\"abc\">>\u2026(1048576 bytes)"), "%s", out);
		ck_assert_msg(strstr(out, "\u2026(cut: 4096 bytes)"), "%s", out);
		ck_assert_msg(strstr(out, ",1,5}]"), "%s", out);
	}
	ei_x_free(&x);
}
END_TEST

/* A state as sys:get_state answers it: {1, State}, State a struct whose
 * list of 40 entries is far wider than a line. */
static void encode_state(ei_x_buff *x)
{
	int i;

	ei_x_new_with_version(x);
	ei_x_encode_tuple_header(x, 2);
	ei_x_encode_long(x, 1);
	ei_x_encode_map_header(x, 3);
	ei_x_encode_atom(x, "__struct__");
	ei_x_encode_atom(x, "Elixir.MyApp.State");
	ei_x_encode_atom(x, "long");
	ei_x_encode_list_header(x, 40);
	for (i = 0; i < 40; i++) {
		ei_x_encode_tuple_header(x, 2);
		ei_x_encode_atom(x, "entry");
		ei_x_encode_binary(x, "abcdefghij", 10);
	}
	ei_x_encode_empty_list(x);
	ei_x_encode_atom(x, "name");
	ei_x_encode_binary(x, "s929", 4);
}

/* s's lines, joined without their spaces, into out; 1 when every line
 * is at most width characters. */
static int joined(const struct dsection *s, char *out, int width)
{
	int i, ok = 1;

	for (i = 0; i < s->n; i++) {
		const char *t = drill_text(s, i);

		ok &= (int)strlen(t) <= width;
		for (; *t; t++)
			if (*t != ' ')
				*out++ = *t;
	}
	*out = '\0';
	return ok;
}

/* The state laid out in the screen's width, in the node's syntax, every
 * character kept (no line cut at a width of its own). */
START_TEST(state_laid_out_whole)
{
	static char all[8192];
	ei_x_buff x;
	struct tdec t;
	int i;

	encode_state(&x);
	drill_reset(&d, DRILL_PROC);
	d.width = 40;
	t = cursor(&x);
	drill_proc_state(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_STATE].state, SEC_OK);
	ck_assert_int_gt(d.sec[SEC_STATE].n, 10);
	ck_assert(joined(&d.sec[SEC_STATE], all, 40));
	ck_assert_str_eq(drill_text(&d.sec[SEC_STATE], 0),
			 "#{'__struct__' => 'Elixir.MyApp.State',");
	ck_assert_ptr_nonnull(strstr(all, "long=>[{entry,<<\"abcdefghij\">>},"));
	for (i = 0; i < 40; i++)
		ck_assert_ptr_nonnull(strstr(all, "{entry,<<\"abcdefghij\">>}"));
	ck_assert_ptr_nonnull(strstr(all, "{entry,<<\"abcdefghij\">>}],name=><<\"s929\">>}"));
	/* On an Elixir node, as IEx prints it. */
	drill_reset(&d, DRILL_PROC);
	d.elixir = 1;
	t = cursor(&x);
	drill_proc_state(&d, &t, NULL);
	ck_assert_str_eq(drill_text(&d.sec[SEC_STATE], 0), "%MyApp.State{");
	ck_assert_str_eq(drill_text(&d.sec[SEC_STATE], 1), "  long: [");
	ck_assert_str_eq(drill_text(&d.sec[SEC_STATE], d.sec[SEC_STATE].n - 2),
			 "  name: \"s929\"");
	ck_assert(joined(&d.sec[SEC_STATE], all, 40));
	d.elixir = 0;
	d.width = 0;
	ei_x_free(&x);
}
END_TEST

/* Messages numbered, each laid out from after its number; a copy of the
 * drill-down (what the screen draws) keeps every line. */
START_TEST(messages_laid_out_and_copied)
{
	static struct drill copy;
	ei_x_buff x;
	struct tdec t;
	int i;

	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 2);
	ei_x_encode_list_header(&x, 2);
	ei_x_encode_list_header(&x, 30);
	for (i = 0; i < 30; i++)
		ei_x_encode_long(&x, 1000 + i);
	ei_x_encode_empty_list(&x);
	kv_atom(&x, "msg", "hello");
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	d.width = 40;
	drill_proc_messages(&d, &t, NULL, 1);
	ck_assert_str_eq(drill_text(&d.sec[SEC_MSGS], 0),
			 "  1  [1000,1001,1002,1003,1004,1005,");
	ck_assert_str_eq(drill_text(&d.sec[SEC_MSGS], 1),
			 "      1006,1007,1008,1009,1010,1011,");
	ck_assert(has(&d.sec[SEC_MSGS], "1029]"));
	ck_assert(has(&d.sec[SEC_MSGS], "  2  {msg,hello}"));
	ck_assert_int_eq(drill_copy(&copy, &d), 0);
	drill_reset(&d, DRILL_PROC);
	ck_assert_int_eq(copy.sec[SEC_MSGS].n, 6);
	ck_assert_str_eq(drill_text(&copy.sec[SEC_MSGS], 5), "  2  {msg,hello}");
	drill_free(&copy);
	ck_assert_int_eq(copy.sec[SEC_MSGS].n, 0);
	d.width = 0;
	ei_x_free(&x);
}
END_TEST

/* A binary wider than the width goes on in lines of the width, each one
 * a line the keys reach, none of its characters lost. */
START_TEST(long_text_in_lines_of_the_width)
{
	static char text[301], all[1024];
	ei_x_buff x;
	struct tdec t;
	int i;

	for (i = 0; i < 300; i++)
		text[i] = (char)('a' + i % 26);
	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_long(&x, 1);
	ei_x_encode_binary(&x, text, 300);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	d.width = 50;
	drill_proc_state(&d, &t, NULL);
	/* <<" and 300 characters and ">>: 305, in 7 lines of 50 or less. */
	ck_assert_int_eq(d.sec[SEC_STATE].n, 7);
	ck_assert(joined(&d.sec[SEC_STATE], all, 50));
	ck_assert_int_eq(strncmp(all, "<<\"", 3), 0);
	ck_assert_int_eq(strncmp(all + 3, text, 300), 0);
	ck_assert_str_eq(all + 303, "\">>");
	d.width = 0;
	ei_x_free(&x);
}
END_TEST

/* The queries' contract, as qc.escript states it. */
START_TEST(queries_are_embedded_and_well_formed)
{
	static const char *const mutating[] = { "binleak_gc", "proc_sample" };
	char buf[65536];
	size_t i, k;
	int j, m;

	ck_assert_uint_ge(QUERY_COUNT_, 12);
	for (i = 0; i < QUERY_COUNT_; i++) {
		const struct query_def *q = query_def((enum query_id)i);
		struct tdec t;

		ck_assert_ptr_nonnull(q);
		ck_assert_int_eq(q->id, (int)i);

		ck_assert(q->len + 1 <= sizeof buf);
		buf[0] = (char)131;
		memcpy(buf + 1, q->bytes, q->len);
		ck_assert_msg(tdec_init(&t, buf, (int)q->len + 1) == 0,
			      "query %s is not a term", q->name);
		/* Bound names sorted, and so their atoms: erl_eval's orddict. */
		for (j = 1; j < q->nbinds; j++) {
			ck_assert(strcmp(q->bind_names[j - 1], q->bind_names[j]) < 0);
			ck_assert(strcmp(q->bind_atoms[j - 1], q->bind_atoms[j]) < 0);
		}
		/* No variable keeps its name: names are atoms on the node. */
		for (j = 0; j < q->natoms; j++)
			ck_assert_msg(strcmp(q->atoms[j], "Pid") != 0 &&
				      strcmp(q->atoms[j], "Cap") != 0 &&
				      strncmp(q->atoms[j], "$beamtop", 8) != 0,
				      "query %s sends the atom %s", q->name, q->atoms[j]);
		if (!q->bare) {
			ck_assert_ptr_nonnull(query_bind_atom(q, "Us"));
			ck_assert_ptr_nonnull(query_bind_atom(q, "Tag"));
		}
		for (k = 0, m = 0; k < sizeof mutating / sizeof mutating[0]; k++)
			m |= strcmp(mutating[k], q->name) == 0;
		ck_assert_msg(q->mutating == m, "query %s: mutating %d", q->name, q->mutating);
		/* The caller's variables are the bound ones less the
		 * wrapper's five, sorted too. */
		ck_assert_int_eq(q->nargs + (q->bare ? 0 : 5), q->nbinds);
		ck_assert_int_le(q->nargs, QUERY_ARGS_MAX);
		for (j = 0; j < q->nargs; j++)
			ck_assert_ptr_nonnull(query_bind_atom(q, q->args[j]));
		for (j = 1; j < q->nargs; j++)
			ck_assert(strcmp(q->args[j - 1], q->args[j]) < 0);
	}
	ck_assert_str_eq(query_def(QUERY_PROC_STATE)->name, "proc_state");
	ck_assert_ptr_null(query_def(QUERY_COUNT_));
	ck_assert_ptr_null(query_def((enum query_id)-1));
}
END_TEST

/* A caller's values are checked against the variables the query
 * declares: each once, none missing, none unknown. */
START_TEST(query_args_match_the_declared_variables)
{
	const struct query_def *q = query_def(QUERY_PROC_DETAIL); /* Cap, Pid */
	struct bt_pid pid = { 0 };
	struct qargs a = { 0 };
	char why[200];
	int i;

	qargs_add(&a, qval_ptr("Pid", QV_PID, &pid, 0));
	ck_assert_int_eq(query_args_check(q, &a, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "Cap") != NULL, "%s", why);
	qargs_add(&a, qval_int("Cap", 1));
	ck_assert_int_eq(query_args_check(q, &a, why, sizeof why), 0);
	qargs_add(&a, qval_int("Cap", 2));
	ck_assert_int_eq(query_args_check(q, &a, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "Cap bound 2 times") != NULL, "%s", why);
	a.n = 2;
	qargs_add(&a, qval_int("Nope", 2));
	ck_assert_int_eq(query_args_check(q, &a, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "no variable Nope") != NULL, "%s", why);
	/* None for a query that binds none; values for it are strangers. */
	ck_assert_int_eq(query_args_check(query_def(QUERY_BINLEAK_GC), NULL, why,
					  sizeof why), 0);
	ck_assert_int_eq(query_args_check(query_def(QUERY_BINLEAK_GC), &a, why,
					  sizeof why), -1);
	ck_assert_int_eq(query_args_check(q, NULL, why, sizeof why), -1);
	/* More than any query binds: refused, not written past the end. */
	for (i = 0; i < QUERY_ARGS_MAX + 3; i++)
		qargs_add(&a, qval_int("Cap", i));
	ck_assert_int_eq(a.n, -1);
	ck_assert_int_eq(query_args_check(q, &a, why, sizeof why), -1);
}
END_TEST

START_TEST(mutating_bifs)
{
	ck_assert(conn_is_mutating("erlang", "exit"));
	ck_assert(conn_is_mutating("erlang", "garbage_collect"));
	ck_assert(conn_is_mutating("erlang", "halt"));
	ck_assert(conn_is_mutating("init", "stop"));
	ck_assert(!conn_is_mutating("erlang", "process_info"));
	ck_assert(!conn_is_mutating("erlang", "memory"));
}
END_TEST

Suite *drill_suite(void)
{
	Suite *s = suite_create("drill");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, proc_info_sections);
	tcase_add_test(tc, proc_detail_sections);
	tcase_add_test(tc, links_past_a_full_section);
	tcase_add_test(tc, state_answers);
	tcase_add_test(tc, state_answers_named);
	tcase_add_test(tc, gone_and_failed);
	tcase_add_test(tc, messages_head_too_big_and_sampled);
	tcase_add_test(tc, private_table_and_port_inet);
	tcase_add_test(tc, cuts_marked_by_the_node);
	tcase_add_test(tc, state_laid_out_whole);
	tcase_add_test(tc, messages_laid_out_and_copied);
	tcase_add_test(tc, long_text_in_lines_of_the_width);
	tcase_add_test(tc, queries_are_embedded_and_well_formed);
	tcase_add_test(tc, query_args_match_the_declared_variables);
	tcase_add_test(tc, mutating_bifs);
	suite_add_tcase(s, tc);
	return s;
}
