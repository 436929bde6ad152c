/*
 * check_window.c - deltas keyed by identity: rates, new rows, dead rows,
 * reused pids, and the node-wide figures of the model.
 */
#include <stdlib.h>

#include "beamtop/keymap.h"
#include "beamtop/model.h"
#include "beamtop/window.h"
#include "check_suites.h"

static void add(struct snapshot *s, uint32_t num, uint64_t reds, uint64_t mem,
		uint32_t mq)
{
	struct proc *p = snapshot_add_proc(s);

	ck_assert_ptr_nonnull(p);
	p->pid.num = num;
	p->reductions = reds;
	p->memory = mem;
	p->mq = mq;
	p->have = PF_MEMORY | PF_REDS | PF_MQ;
}

START_TEST(rates_new_and_dead)
{
	struct snapshot a, b;
	struct keymap map;
	struct proc_delta d[3];

	snapshot_init(&a);
	snapshot_init(&b);
	keymap_init(&map);
	add(&a, 1, 1000, 500, 0);
	add(&a, 2, 50, 100, 0);      /* dies */
	add(&a, 3, 9000, 100, 10);
	/* Order differs: the join is by pid, not by row. */
	add(&b, 3, 8000, 100, 5);    /* fewer reductions: a reused pid */
	add(&b, 4, 777777, 100, 0);  /* new: its lifetime total is no rate */
	add(&b, 1, 3000, 300, 4);
	ck_assert_int_eq(window_procs(&a, &b, 2.0, &map, d), 0);
	ck_assert(d[0].is_new);
	ck_assert(d[1].is_new);
	ck_assert(d[1].reds_rate == 0);
	ck_assert(!d[2].is_new);
	ck_assert(d[2].reds_rate == 1000.0);
	ck_assert(d[2].mem_rate == -100.0);
	ck_assert(d[2].mq_rate == 2.0);
	keymap_free(&map);
	snapshot_free(&a);
	snapshot_free(&b);
}
END_TEST

START_TEST(no_base_means_all_new)
{
	struct snapshot b;
	struct keymap map;
	struct proc_delta d[1];

	snapshot_init(&b);
	keymap_init(&map);
	add(&b, 1, 10, 10, 0);
	ck_assert_int_eq(window_procs(NULL, &b, 1.0, &map, d), 0);
	ck_assert(d[0].is_new);
	keymap_free(&map);
	snapshot_free(&b);
}
END_TEST

START_TEST(model_tops_and_node_rates)
{
	struct model m;
	struct snapshot *s;
	size_t out[3];

	ck_assert_int_eq(model_init(&m), 0);
	s = model_next(&m);
	s->t_ms = 1000;
	s->sys.reductions = 100;
	s->sys.have_stats = 1;
	add(s, 1, 100, 10, 0);
	add(s, 2, 100, 30, 7);
	ck_assert_int_eq(model_commit(&m), 0);
	ck_assert(m.reds_rate < 0);
	/* Rates need two refreshes: none is in the top yet. */
	ck_assert_uint_eq(model_top_procs(&m, SORT_REDS_RATE, 3, 0, out), 0);
	ck_assert_uint_eq(model_top_procs(&m, SORT_MEMORY, 3, 0, out), 2);
	ck_assert_uint_eq(out[0], 1);

	s = model_next(&m);
	ck_assert_ptr_ne(s, m.cur);
	s->t_ms = 3000;
	s->sys.reductions = 5100;
	s->sys.have_stats = 1;
	add(s, 2, 300, 30, 7);
	add(s, 1, 4100, 10, 0);
	add(s, 9, 100000, 10, 0);
	ck_assert_int_eq(model_commit(&m), 0);
	ck_assert(m.reds_rate == 2500.0);
	ck_assert_uint_eq(model_top_procs(&m, SORT_REDS_RATE, 3, 0, out), 2);
	ck_assert_uint_eq(m.cur->procs[out[0]].pid.num, 1);
	ck_assert_uint_eq(m.cur->procs[out[1]].pid.num, 2);
	ck_assert_uint_eq(model_top_procs(&m, SORT_MQ, 1, 0, out), 1);
	ck_assert_uint_eq(m.cur->procs[out[0]].pid.num, 2);
	{
		struct bt_pid p = { 9, 0, 0 };

		ck_assert_int_eq(model_find_proc(&m, &p), 2);
	}
	ck_assert_int_eq(m.h_reds.n, 2);
	model_free(&m);
}
END_TEST

/* One refresh at t_ms: process 1 always (100 reductions a second), and
 * process 2 from t = 3 s on. */
static void refresh_at(struct model *m, uint64_t t_ms)
{
	struct snapshot *s = model_next(m);

	snapshot_clear(s);
	s->t_ms = t_ms;
	add(s, 1, 1000 + t_ms / 10, 10, 0);
	if (t_ms >= 3000)
		add(s, 2, 5, 10, 0);
	ck_assert_int_eq(model_commit(m), 0);
}

START_TEST(window_spans_one_to_two_windows)
{
	struct model m;
	/* Expected span of the rates at t = 0, 1, ... 6 s with a 2 s window. */
	const double span[] = { 0, 1, 2, 3, 4, 3, 4 };
	uint64_t t;

	ck_assert_int_eq(model_init(&m), 0);
	model_set_window(&m, 2000);
	for (t = 0; t <= 6; t++) {
		refresh_at(&m, t * 1000);
		ck_assert_msg(m.wdt == span[t], "t=%d: span %.1f", (int)t, m.wdt);
		if (t > 0)
			ck_assert_msg(m.pd[0].reds_rate == 100.0, "t=%d: %.1f", (int)t,
				      m.pd[0].reds_rate);
	}
	/* Process 2 appeared at 3 s, inside the window of 6 s (based at 2 s):
	 * new, with no rate; the base of 7 s (taken at 4 s) has it. */
	ck_assert(m.pd[1].is_new);
	refresh_at(&m, 7000);
	ck_assert(!m.pd[1].is_new);
	model_set_window(&m, 0);
	refresh_at(&m, 8000);
	ck_assert(m.wdt == 1.0);
	model_free(&m);
}
END_TEST

Suite *window_suite(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("deltas");

	tcase_add_test(tc, rates_new_and_dead);
	tcase_add_test(tc, no_base_means_all_new);
	tcase_add_test(tc, model_tops_and_node_rates);
	tcase_add_test(tc, window_spans_one_to_two_windows);
	suite_add_tcase(s, tc);
	return s;
}
