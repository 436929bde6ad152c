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
		if (strstr(s->line[i].text, text))
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
	erlang_pid p;
	struct tdec t;

	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 8);
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
	ei_x_encode_tuple_header(&x, 2);            /* links {1, [Pid]} */
	ei_x_encode_atom(&x, "links");
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_long(&x, 1);
	ei_x_encode_list_header(&x, 1);
	pid_at(&p, 77);
	ei_x_encode_pid(&x, &p);
	ei_x_encode_empty_list(&x);
	ei_x_encode_tuple_header(&x, 2);            /* dictionary */
	ei_x_encode_atom(&x, "dictionary");
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_long(&x, 3);
	ei_x_encode_list_header(&x, 2);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "$initial_call");
	mfa(&x, "Elixir.MyApp.Worker", "init", 1);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "planted");
	ei_x_encode_tuple_header(&x, 3);            /* a value cut on the node */
	ei_x_encode_atom(&x, "$beamtop_cut");
	ei_x_encode_long(&x, 999999);
	ei_x_encode_string(&x, "[1,2,3|...]");
	ei_x_encode_empty_list(&x);
	ei_x_encode_tuple_header(&x, 2);            /* a key from a newer OTP */
	ei_x_encode_atom(&x, "future_item");
	ei_x_encode_atom(&x, "whatever");
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "binary_refs");
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_long(&x, 3);
	ei_x_encode_long(&x, 3145728);
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_info(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_INFO].state, SEC_OK);
	ck_assert(has(&d.sec[SEC_INFO], "my_server"));
	ck_assert(has(&d.sec[SEC_INFO], "really MyApp.Worker.init/1"));
	ck_assert(has(&d.sec[SEC_INFO], "2.00 KiB"));
	ck_assert(has(&d.sec[SEC_INFO], "3 refc binaries, 3.00 MiB"));
	ck_assert(has(&d.sec[SEC_STACK], "gen_server:loop/7  (gen_server.erl:437)"));
	ck_assert(has(&d.sec[SEC_LINKS], "<0.77.0>"));
	ck_assert_int_eq(d.sec[SEC_LINKS].line[1].target, DT_PID);
	ck_assert_uint_eq(d.sec[SEC_LINKS].line[1].pid.num, 77);
	ck_assert(has(&d.sec[SEC_DICT], "proc_lib: the real initial call"));
	ck_assert(has(&d.sec[SEC_DICT], "(999999 words, cut) [1,2,3|...]"));
	ck_assert(strstr(d.sec[SEC_DICT].why, "3 entries"));
	ei_x_free(&x);
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
	ei_x_new_with_version(&x);
	ei_x_encode_atom(&x, "not_sys");
	t = cursor(&x);
	drill_proc_state(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_STATE].state, SEC_FAILED);
	ck_assert(strstr(d.sec[SEC_STATE].why, "not an OTP process"));
	ei_x_free(&x);
}
END_TEST

START_TEST(messages_head_and_sampled)
{
	ei_x_buff x;
	struct tdec t;
	int i;

	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_atom(&x, "sampled");
	ei_x_encode_long(&x, 1000000);
	ei_x_encode_list_header(&x, 3);
	for (i = 0; i < 3; i++)
		kv_atom(&x, "msg", "hello");
	ei_x_encode_empty_list(&x);
	t = cursor(&x);
	drill_reset(&d, DRILL_PROC);
	drill_proc_messages(&d, &t, NULL);
	ck_assert_int_eq(d.sec[SEC_MSGS].n, 3);
	ck_assert(strstr(d.sec[SEC_MSGS].why, "1000000 messages"));
	ck_assert(strstr(d.sec[SEC_MSGS].why, "too many to copy"));
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

	ei_x_new_with_version(&x);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "name");
	ei_x_encode_string(&x, "tcp_inet");
	ei_x_encode_empty_list(&x);
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "peer");
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

START_TEST(queries_are_embedded_and_well_formed)
{
	static const char *const used[] = {
		"proc_info", "proc_messages", "proc_state", "ets_objects",
		"port_info", "binleak_scan", "binleak_gc"
	};
	char buf[65536];
	size_t i;

	for (i = 0; i < sizeof used / sizeof used[0]; i++) {
		const struct query_def *q = query_find(used[i]);
		struct tdec t;

		ck_assert_msg(q != NULL, "query %s missing", used[i]);
		ck_assert(q->len + 1 <= sizeof buf);
		buf[0] = (char)131;
		memcpy(buf + 1, q->bytes, q->len);
		ck_assert_msg(tdec_init(&t, buf, (int)q->len + 1) == 0,
			      "query %s is not a term", used[i]);
	}
	ck_assert_ptr_null(query_find("nope"));
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
	tcase_add_test(tc, gone_and_failed);
	tcase_add_test(tc, messages_head_and_sampled);
	tcase_add_test(tc, private_table_and_port_inet);
	tcase_add_test(tc, queries_are_embedded_and_well_formed);
	tcase_add_test(tc, mutating_bifs);
	suite_add_tcase(s, tc);
	return s;
}
