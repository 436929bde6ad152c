/*
 * check_collect.c - decoding observer_backend's process chunks: real
 * record shapes from OTP 24-28, and records that are short, mistyped or
 * have fields a later OTP might add.
 */
#include <ei.h>
#include <string.h>

#include "../src/collect_priv.h"
#include "../src/conn_priv.h"
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

/* A row as read twice: before (was) and now. */
static void rows(struct proc *was, struct proc *now, uint64_t reds0,
		 uint64_t reds1, uint32_t mq0, uint32_t mq1)
{
	memset(was, 0, sizeof *was);
	*now = *was;
	was->reductions = reds0;
	now->reductions = reds1;
	was->mq = mq0;
	now->mq = mq1;
}

/* Memory is read again where the young heap or the queue changed, for a
 * top that ran, for the others that ran once in MEM_EVERY reads, and not
 * for a process that has not run. */
START_TEST(memory_read_where_it_may_have_changed)
{
	struct collector col;
	struct proc was, now;
	int turns = 0, r;

	memset(&col, 0, sizeof col);
	/* First read: nothing known of heaps; only those that ran. */
	ck_assert_int_eq(col_heaps_begin(&col, 4), 0);
	rows(&was, &now, 100, 100, 0, 0);
	ck_assert_int_eq(col_heaps_note(&col, 0, 11, &was, &now, 233, 0), 0);
	rows(&was, &now, 100, 105, 0, 0); /* our own read: not running */
	ck_assert_int_eq(col_heaps_note(&col, 1, 12, &was, &now, 233, 0), 0);
	rows(&was, &now, 100, 5000, 0, 0);
	ck_assert_int_eq(col_heaps_note(&col, 2, 13, &was, &now, 233, 0), 1);
	rows(&was, &now, 100, 100, 0, 3);
	ck_assert_int_eq(col_heaps_note(&col, 3, 14, &was, &now, 233, 0), 1);
	ck_assert_uint_eq(col.n_memory, 2);
	ck_assert_uint_eq(col.memory_of[0], 2);
	ck_assert_uint_eq(col.memory_of[1], 3);
	col_heaps_end(&col);
	/* Second read: a heap that grew; a top that ran with the same heap. */
	ck_assert_int_eq(col_heaps_begin(&col, 3), 0);
	rows(&was, &now, 100, 100, 0, 0);
	ck_assert_int_eq(col_heaps_note(&col, 0, 11, &was, &now, 376, 0), 1);
	rows(&was, &now, 100, 100, 0, 0);
	ck_assert_int_eq(col_heaps_note(&col, 1, 12, &was, &now, 233, 0), 0);
	rows(&was, &now, 5000, 9000, 0, 0);
	ck_assert_int_eq(col_heaps_note(&col, 2, 13, &was, &now, 233, 1), 1);
	col_heaps_end(&col);
	/* The others that run with the same heap: once in MEM_EVERY (16)
	 * reads each. */
	for (r = 0; r < 32; r++) {
		ck_assert_int_eq(col_heaps_begin(&col, 1), 0);
		rows(&was, &now, 100, 9000, 0, 0);
		turns += col_heaps_note(&col, 0, 13, &was, &now, 233, 0);
		col_heaps_end(&col);
	}
	ck_assert_int_eq(turns, 2);
	col_heaps_free(&col);
}
END_TEST

/* The head of a call to rex: {'$gen_call', {Self, Ref}, {call, M, F, ...
 * with M and F read into mod and fun. */
static void call_head(const ei_x_buff *x, int *i, char *mod, char *fun)
{
	int ver, arity;
	char a[MAXATOMLEN];
	erlang_pid p;
	erlang_ref r;

	ck_assert_int_eq(ei_decode_version(x->buff, i, &ver), 0);
	ck_assert_int_eq(ei_decode_tuple_header(x->buff, i, &arity), 0);
	ck_assert_int_eq(arity, 3);
	ck_assert_int_eq(ei_decode_atom(x->buff, i, a), 0);
	ck_assert_str_eq(a, "$gen_call");
	ck_assert_int_eq(ei_decode_tuple_header(x->buff, i, &arity), 0);
	ck_assert_int_eq(ei_decode_pid(x->buff, i, &p), 0);
	ck_assert_int_eq(ei_decode_ref(x->buff, i, &r), 0);
	ck_assert_uint_eq(r.n[0], 7);
	ck_assert_int_eq(ei_decode_tuple_header(x->buff, i, &arity), 0);
	ck_assert_int_eq(arity, 5);
	ck_assert_int_eq(ei_decode_atom(x->buff, i, a), 0);
	ck_assert_str_eq(a, "call");
	ck_assert_int_eq(ei_decode_atom(x->buff, i, mod), 0);
	ck_assert_int_eq(ei_decode_atom(x->buff, i, fun), 0);
}

/* A plain call goes through the relay, its bindings sorted and each
 * what the relay's variable needs; a query (erl_eval) and a call made
 * with no relay go as they are. */
START_TEST(plain_calls_are_relayed_with_their_tag)
{
	static const char *const names[] = { "A", "F", "M", "Tag", "Us" };
	const struct query_def *q = query_def(QUERY_RELAY);
	struct conn_relay rl;
	struct conn_req r = { "erlang", "memory", NULL, 0, 0, "memory", NULL };
	erlang_pid self = { "beamtop@h", 5, 0, 1 };
	erlang_ref ref = { "beamtop@h", 3, { 7, 8, 9, 0, 0 }, 1 };
	erlang_ref got;
	erlang_pid gp;
	ei_x_buff x;
	char mod[MAXATOMLEN], fun[MAXATOMLEN], a[MAXATOMLEN];
	int i, j, n, at, type, size;

	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(q->nbinds, 5);
	rl.form = q->bytes;
	rl.len = q->len;
	for (j = 0; j < 5; j++) {
		ck_assert_str_eq(q->bind_names[j], names[j]);
		rl.atoms[j] = q->bind_atoms[j];
	}
	ei_x_new(&x);
	ck_assert_int_eq(conn_encode_call(&x, &r, &rl, &self, &ref, NULL, 0), 0);
	i = 0;
	call_head(&x, &i, mod, fun);
	ck_assert_str_eq(mod, "erl_eval");
	ck_assert_str_eq(fun, "expr");
	ck_assert_int_eq(ei_decode_list_header(x.buff, &i, &n), 0);
	ck_assert_int_eq(n, 5);
	at = i;
	ck_assert_int_eq(ei_skip_term(x.buff, &i), 0);
	ck_assert_int_eq(i - at, (int)q->len);
	ck_assert(memcmp(x.buff + at, q->bytes, q->len) == 0);
	ck_assert_int_eq(ei_decode_list_header(x.buff, &i, &n), 0);
	ck_assert_int_eq(n, 5);
	for (j = 0; j < 5; j++) {
		ck_assert_int_eq(ei_decode_tuple_header(x.buff, &i, &n), 0);
		ck_assert_int_eq(ei_decode_atom(x.buff, &i, a), 0);
		ck_assert_str_eq(a, q->bind_atoms[j]);
		if (j == 0) {
			ck_assert_int_eq(ei_get_type(x.buff, &i, &type, &size), 0);
			ck_assert_int_eq(type, ERL_NIL_EXT);
			ck_assert_int_eq(ei_skip_term(x.buff, &i), 0);
		} else if (j < 3) {
			ck_assert_int_eq(ei_decode_atom(x.buff, &i, a), 0);
			ck_assert_str_eq(a, j == 1 ? "memory" : "erlang");
		} else if (j == 3) {
			ck_assert_int_eq(ei_decode_ref(x.buff, &i, &got), 0);
			ck_assert_uint_eq(got.n[1], 8);
		} else {
			ck_assert_int_eq(ei_decode_pid(x.buff, &i, &gp), 0);
			ck_assert_uint_eq(gp.num, 5);
		}
	}
	/* Queries are not relayed, nor anything when there is no relay. */
	r.mod = "erl_eval";
	ck_assert_int_eq(conn_encode_call(&x, &r, &rl, &self, &ref, NULL, 0), 0);
	i = 0;
	call_head(&x, &i, mod, fun);
	ck_assert_str_eq(fun, "memory");
	r.mod = "erlang";
	rl.form = NULL;
	ck_assert_int_eq(conn_encode_call(&x, &r, &rl, &self, &ref, NULL, 0), 0);
	i = 0;
	call_head(&x, &i, mod, fun);
	ck_assert_str_eq(mod, "erlang");
	ei_x_free(&x);
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
	tcase_add_test(tc, memory_read_where_it_may_have_changed);
	tcase_add_test(tc, plain_calls_are_relayed_with_their_tag);
	suite_add_tcase(s, tc);
	return s;
}
