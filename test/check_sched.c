/*
 * check_sched.c - utilisation from scheduler_wall_time samples.
 */
#include <stdlib.h>

#include "beamtop/sched.h"
#include "beamtop/snapshot.h"
#include "check_suites.h"

static void samples(struct snapshot *s, int n, const uint64_t (*v)[3],
		    const uint8_t *types)
{
	int i;

	s->sched = calloc((size_t)n, sizeof *s->sched);
	s->n_sched = n;
	for (i = 0; i < n; i++) {
		s->sched[i].id = (uint32_t)v[i][0];
		s->sched[i].active = v[i][1];
		s->sched[i].total = v[i][2];
		s->sched[i].type = types[i];
	}
}

START_TEST(per_scheduler_and_per_type)
{
	struct snapshot a, b;
	const uint64_t va[3][3] = { { 1, 100, 1000 }, { 2, 0, 1000 }, { 3, 0, 1000 } };
	const uint64_t vb[3][3] = { { 1, 600, 2000 }, { 2, 1000, 2000 }, { 3, 250, 2000 } };
	const uint8_t types[3] = { SCHED_NORMAL, SCHED_NORMAL, SCHED_DIRTY_CPU };
	double u[3];

	snapshot_init(&a);
	snapshot_init(&b);
	samples(&a, 3, va, types);
	samples(&b, 3, vb, types);
	sched_util(&a, &b, u);
	ck_assert(u[0] == 0.5);
	ck_assert(u[1] == 1.0);
	ck_assert(u[2] == 0.25);
	ck_assert(sched_util_type(&a, &b, SCHED_NORMAL) == 0.75);
	ck_assert(sched_util_type(&a, &b, SCHED_DIRTY_CPU) == 0.25);
	ck_assert(sched_util_type(&a, &b, SCHED_DIRTY_IO) < 0);
	ck_assert(sched_util_type(NULL, &b, SCHED_NORMAL) < 0);
	snapshot_free(&a);
	snapshot_free(&b);
}
END_TEST

START_TEST(missing_or_backwards_samples_are_unknown)
{
	struct snapshot a, b;
	const uint64_t va[1][3] = { { 1, 100, 1000 } };
	const uint64_t vb[2][3] = { { 1, 50, 900 }, { 2, 10, 20 } };
	const uint8_t types[2] = { SCHED_NORMAL, SCHED_NORMAL };
	double u[2];

	snapshot_init(&a);
	snapshot_init(&b);
	samples(&a, 1, va, types);
	samples(&b, 2, vb, types);
	sched_util(&a, &b, u);
	ck_assert(u[0] < 0);   /* counters went back: a restarted node */
	ck_assert(u[1] < 0);   /* no earlier sample */
	snapshot_free(&a);
	snapshot_free(&b);
}
END_TEST

Suite *sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("util");

	tcase_add_test(tc, per_scheduler_and_per_type);
	tcase_add_test(tc, missing_or_backwards_samples_are_unknown);
	suite_add_tcase(s, tc);
	return s;
}
