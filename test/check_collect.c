/*
 * check_collect.c - decoding observer_backend's process chunks: real
 * record shapes from OTP 24-28, and records that are short, mistyped or
 * have fields a later OTP might add.
 */
#include <ei.h>
#include <string.h>

#include "../src/collect_priv.h"
#include "check_suites.h"

static void pid_of(erlang_pid *p, unsigned num)
{
	memset(p, 0, sizeof *p);
	strcpy(p->node, "app@host");
	p->num = num;
	p->creation = 3;
}

/* {etop_proc_info, Pid, Mem, Reds, Name, 0, CF, MQ [, extra]} */
static void rec(ei_x_buff *x, unsigned num, long mem, const char *reg,
		int extra)
{
	erlang_pid p;

	pid_of(&p, num);
	ei_x_encode_tuple_header(x, 8 + extra);
	ei_x_encode_atom(x, "etop_proc_info");
	ei_x_encode_pid(x, &p);
	ei_x_encode_long(x, mem);
	ei_x_encode_long(x, 1000 + num);
	if (reg) {
		ei_x_encode_atom(x, reg);
	} else {
		ei_x_encode_tuple_header(x, 3);
		ei_x_encode_atom(x, "Elixir.MyApp.Worker");
		ei_x_encode_atom(x, "init");
		ei_x_encode_long(x, 1);
	}
	ei_x_encode_long(x, 0);
	ei_x_encode_tuple_header(x, 3);
	ei_x_encode_atom(x, "gen_server");
	ei_x_encode_atom(x, "loop");
	ei_x_encode_long(x, 7);
	ei_x_encode_long(x, num * 10);
	if (extra)
		ei_x_encode_atom(x, "future_field");
}

static int decode(ei_x_buff *x, struct snapshot *s)
{
	struct tdec d;

	ck_assert_int_eq(tdec_init(&d, x->buff, x->index), 0);
	return col_procs_decode_chunk(&d, s);
}

START_TEST(chunk_of_records)
{
	ei_x_buff x;
	struct snapshot s;

	snapshot_init(&s);
	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 3);
	rec(&x, 10, 5000, "my_server", 0);
	rec(&x, 11, 6000, NULL, 0);
	rec(&x, 12, 7000, "Elixir.MyApp.Cache", 1);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(decode(&x, &s), 0);
	ck_assert_uint_eq(s.n_procs, 3);
	ck_assert_uint_eq(s.procs[0].pid.num, 10);
	ck_assert_uint_eq(s.procs[0].memory, 5000);
	ck_assert_uint_eq(s.procs[0].reductions, 1010);
	ck_assert_uint_eq(s.procs[0].mq, 100);
	ck_assert_str_eq(strpool_get(&s.pool, s.procs[0].name), "my_server");
	ck_assert(s.procs[0].registered);
	ck_assert_str_eq(strpool_get(&s.pool, s.procs[1].name), "MyApp.Worker.init/1");
	ck_assert(!s.procs[1].registered);
	ck_assert_str_eq(strpool_get(&s.pool, s.procs[2].name), "MyApp.Cache");
	ck_assert_str_eq(strpool_get(&s.pool, s.procs[2].cf), "gen_server:loop/7");
	/* Interned: the same current function is stored once. */
	ck_assert_uint_eq(s.procs[0].cf, s.procs[2].cf);
	ei_x_free(&x);
	snapshot_free(&s);
}
END_TEST

START_TEST(bad_record_stops_the_chunk)
{
	ei_x_buff x;
	struct snapshot s;
	erlang_pid p;

	snapshot_init(&s);
	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 3);
	rec(&x, 10, 5000, "ok_one", 0);
	/* Memory as an atom: the record is refused. */
	pid_of(&p, 11);
	ei_x_encode_tuple_header(&x, 8);
	ei_x_encode_atom(&x, "etop_proc_info");
	ei_x_encode_pid(&x, &p);
	ei_x_encode_atom(&x, "lots");
	ei_x_encode_long(&x, 1);
	ei_x_encode_atom(&x, "n");
	ei_x_encode_long(&x, 0);
	ei_x_encode_atom(&x, "undefined");
	ei_x_encode_long(&x, 0);
	rec(&x, 12, 7000, "never_read", 0);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(decode(&x, &s), -1);
	ck_assert_uint_eq(s.n_procs, 1);
	ei_x_free(&x);
	snapshot_free(&s);
}
END_TEST

START_TEST(short_record_and_wrong_tag)
{
	ei_x_buff x;
	struct snapshot s;

	snapshot_init(&s);
	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_atom(&x, "etop_proc_info");
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 2);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(decode(&x, &s), -1);
	ck_assert_uint_eq(s.n_procs, 0);
	ei_x_free(&x);

	ei_x_new_with_version(&x);
	ei_x_encode_atom(&x, "not_a_list");
	ck_assert_int_eq(decode(&x, &s), -1);
	ei_x_free(&x);
	snapshot_free(&s);
}
END_TEST

START_TEST(undefined_current_function_is_tolerated)
{
	ei_x_buff x;
	struct snapshot s;
	erlang_pid p;

	snapshot_init(&s);
	ei_x_new_with_version(&x);
	ei_x_encode_list_header(&x, 1);
	pid_of(&p, 20);
	ei_x_encode_tuple_header(&x, 8);
	ei_x_encode_atom(&x, "etop_proc_info");
	ei_x_encode_pid(&x, &p);
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 2);
	ei_x_encode_binary(&x, "my label", 8);   /* OTP 27 process label */
	ei_x_encode_long(&x, 0);
	ei_x_encode_atom(&x, "undefined");
	ei_x_encode_long(&x, 0);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(decode(&x, &s), 0);
	ck_assert_uint_eq(s.n_procs, 1);
	ck_assert_str_eq(strpool_get(&s.pool, s.procs[0].name), "my label");
	ck_assert_str_eq(strpool_get(&s.pool, s.procs[0].cf), "undefined");
	ei_x_free(&x);
	snapshot_free(&s);
}
END_TEST

Suite *collect_suite(void)
{
	Suite *s = suite_create("collect");
	TCase *tc = tcase_create("procs_chunk");

	tcase_add_test(tc, chunk_of_records);
	tcase_add_test(tc, bad_record_stops_the_chunk);
	tcase_add_test(tc, short_record_and_wrong_tag);
	tcase_add_test(tc, undefined_current_function_is_tolerated);
	suite_add_tcase(s, tc);
	return s;
}
