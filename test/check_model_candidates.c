/*
 * check_model_candidates.c - incremental refreshes: which processes are read
 * again, and the proofs (or signals) that the top lists are right.
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/model.h"
#include "check_suites.h"

/* A refresh at t_ms: processes 1..n, process i with i*10 bytes and
 * reds[i] reductions; node-wide counters given. */
/* How long the next refresh's reads took (a long full scan: seconds). */
static double next_wall_ms;

static void refresh(struct model *m, uint64_t t_ms, int kind, size_t n,
		    const uint64_t *reds, uint64_t node_reds, uint64_t procs_mem,
		    int stale_from)
{
	struct snapshot *s = model_next(m);
	size_t i;

	snapshot_clear(s);
	s->t_ms = t_ms;
	s->scan = (uint8_t)kind;
	s->wall_ms = next_wall_ms;
	s->procs_ok = 1;
	s->stale_t_ms = 0;
	s->sys.reductions = node_reds;
	s->sys.have_stats = 1;
	s->n_mem = 1;
	strcpy(s->mem[0].kind, "processes");
	s->mem[0].bytes = procs_mem;
	for (i = 0; i < n; i++) {
		struct proc *p = snapshot_add_proc(s);

		p->pid.num = (uint32_t)i + 1;
		p->memory = (i + 1) * 10;
		p->reductions = reds[i];
		p->have = PF_MEMORY | PF_REDS | PF_MQ;
		/* Rows from stale_from on were not read: carried over. */
		if (kind == SCAN_INCR && (int)i >= stale_from)
			p->have |= PF_STALE;
	}
	ck_assert_int_eq(model_commit(m), 0);
}

START_TEST(candidates_cover_each_list)
{
	struct model m;
	uint64_t reds[50];
	const struct bt_pid *pids;
	const uint32_t *rows;
	size_t n, n_mem, i, t;
	int has_top_mem = 0, active = 0, kept = 0, not_top = 0;

	ck_assert_int_eq(model_init(&m), 0);
	m.per_list = 5;
	for (i = 0; i < 50; i++)
		reds[i] = 100;
	refresh(&m, 1000, SCAN_FULL, 50, reds, 1000, 5000, 0);
	/* New processes are all watched for a few reads (ACTIVE_NEW, 6). */
	n = model_candidates(&m, &pids, &rows, &n_mem);
	ck_assert_uint_eq(n, 50);
	for (t = 2; t <= 6; t++) {
		for (i = 0; i < 10; i++)
			reds[i * 5] += 1000;
		refresh(&m, 1000 * t, SCAN_FULL, 50, reds, 20000 * t, 5000, 0);
		n = model_candidates(&m, &pids, &rows, &n_mem);
		ck_assert_uint_eq(n, 50);
	}
	/* Then the active set (the 10 whose reductions moved), and the top
	 * of the other lists. */
	for (i = 0; i < 10; i++)
		reds[i * 5] += 1000;
	refresh(&m, 7000, SCAN_FULL, 50, reds, 140000, 5000, 0);
	n = model_candidates(&m, &pids, &rows, &n_mem);
	ck_assert_uint_ge(n, 10);
	ck_assert_uint_le(n, 25);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(pids[i].num, m.cur->procs[rows[i]].pid.num);
		has_top_mem |= pids[i].num == 50;
		active += (pids[i].num - 1) % 5 == 0;
	}
	ck_assert(has_top_mem);
	ck_assert_int_ge(active, 10);
	/* Idle for a refresh, the 10 stay in the active set, after the
	 * tops (whose memory is read whenever they have run). */
	refresh(&m, 8000, SCAN_FULL, 50, reds, 140000, 5000, 0);
	n = model_candidates(&m, &pids, &rows, &n_mem);
	ck_assert_uint_le(n_mem, n);
	for (i = 0; i < n; i++)
		if ((pids[i].num - 1) % 5 == 0 && pids[i].num <= 46) {
			kept++;
			not_top += i >= n_mem;
		}
	ck_assert_int_eq(kept, 10);
	ck_assert_int_ge(not_top, 5);
	model_free(&m);
}
END_TEST

START_TEST(reductions_proved_or_signalled)
{
	struct model m;
	uint64_t reds[30];
	size_t i;

	ck_assert_int_eq(model_init(&m), 0);
	m.top_n = 3;
	m.per_list = 5;
	for (i = 0; i < 30; i++)
		reds[i] = 0;
	/* A full scan that read its processes over seconds is not one
	 * moment: the refresh after it makes no claim. */
	next_wall_ms = 900;
	refresh(&m, 1000, SCAN_FULL, 30, reds, 0, 3000, 0);
	next_wall_ms = 0;
	refresh(&m, 2000, SCAN_INCR, 30, reds, 0, 3000, 5);
	ck_assert_int_eq(m.exact_reds, 0);
	ck_assert_str_eq(m.signal, "");
	/* Candidates (rows 0..4) did 100k..500k in 1 s; the node did exactly
	 * that: nothing left for anyone else, the list is proved. */
	for (i = 0; i < 5; i++)
		reds[i] = 100000 * (i + 1);
	refresh(&m, 3000, SCAN_INCR, 30, reds, 1500000, 3000, 5);
	ck_assert_int_eq(m.exact_reds, 1);
	ck_assert(m.reds_outside < 1);
	ck_assert_str_eq(m.signal, "");
	/* Now 900k/s more than the candidates did: someone else is busy,
	 * more than the 3rd candidate (300k/s): a full scan is asked for. */
	for (i = 0; i < 5; i++)
		reds[i] += 100000 * (i + 1);
	refresh(&m, 4000, SCAN_INCR, 30, reds, 1500000 + 1500000 + 900000, 3000, 5);
	ck_assert_int_eq(m.exact_reds, 0);
	ck_assert(m.reds_outside > 899000 && m.reds_outside < 901000);
	ck_assert_ptr_nonnull(strstr(m.signal, "reductions/s outside the candidates"));
	model_free(&m);
}
END_TEST

/* Busy processes that swap rates among themselves: all of them are read
 * every refresh (the active set), so each rate is over the same interval
 * and the list is proved; a process read now after a long gap (its rate
 * spans more than this interval) could have done its work in this one
 * alone: no claim while that could put it in the top. */
START_TEST(active_set_swapping_rates)
{
	struct model m;
	uint64_t reds[40] = { 0 }, node = 0, step;
	const struct bt_pid *pids;
	const uint32_t *rows;
	size_t i, n, n_mem, t;

	ck_assert_int_eq(model_init(&m), 0);
	m.top_n = 5;
	m.per_list = 2;
	for (i = 0; i < 10; i++)
		reds[i] = 1;
	refresh(&m, 1000, SCAN_FULL, 40, reds, node, 3000, 0);
	for (t = 2; t < 8; t++) {
		/* Workers 0..9 swap their rates every refresh. */
		for (i = 0; i < 10; i++) {
			step = 10000 + 1000 * ((i + t) % 10);
			reds[i] += step;
			node += step;
		}
		n = model_candidates(&m, &pids, &rows, &n_mem);
		ck_assert_uint_ge(n, 10);
		refresh(&m, 1000 * t, SCAN_INCR, 40, reds, node, 3000, 10);
		if (t > 2)
			ck_assert_int_eq(m.exact_reds, 1);
	}
	/* Process 15, idle since the full scan, did 60k now: read after a
	 * long gap, its rate over 7 s is under the 5th, but this interval
	 * alone could hold all of it. */
	reds[15] += 60000;
	node += 60000;
	for (i = 0; i < 10; i++) {
		step = 10000 + 1000 * ((i + t) % 10);
		reds[i] += step;
		node += step;
	}
	refresh(&m, 1000 * t, SCAN_INCR, 40, reds, node, 3000, 16);
	ck_assert_int_eq(m.exact_reds, 0);
	model_free(&m);
}
END_TEST

START_TEST(memory_growth_outside_is_signalled)
{
	struct model m;
	uint64_t reds[30] = { 0 };

	ck_assert_int_eq(model_init(&m), 0);
	m.top_n = 3;
	m.per_list = 5;
	refresh(&m, 1000, SCAN_FULL, 30, reds, 0, 1 << 20, 0);
	refresh(&m, 2000, SCAN_INCR, 30, reds, 0, 1 << 20, 5);
	refresh(&m, 3000, SCAN_INCR, 30, reds, 0, 1 << 20, 5);
	ck_assert_str_eq(m.signal, "");
	/* 64 MiB appeared that no candidate holds. */
	refresh(&m, 4000, SCAN_INCR, 30, reds, 0, (1 << 20) + (64u << 20), 5);
	ck_assert_int_eq(m.exact_mem, 0);
	ck_assert_ptr_nonnull(strstr(m.signal, "MiB grown outside the candidates"));
	model_free(&m);
}
END_TEST

Suite *model_candidates_suite(void)
{
	Suite *s = suite_create("candidates");
	TCase *tc = tcase_create("proofs");

	tcase_add_test(tc, candidates_cover_each_list);
	tcase_add_test(tc, reductions_proved_or_signalled);
	tcase_add_test(tc, memory_growth_outside_is_signalled);
	tcase_add_test(tc, active_set_swapping_rates);
	suite_add_tcase(s, tc);
	return s;
}
