/*
 * check_topn.c - partial selection agrees with a full sort.
 */
#include <stdlib.h>

#include "beamtop/topn.h"
#include "check_suites.h"

static double key(const void *ctx, size_t i, int *skip)
{
	const double *v = ctx;

	*skip = v[i] < 0;   /* negative values stand for "no value" */
	return v[i];
}

static const double *sort_vals;

static int by_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_vals[x] != sort_vals[y])
		return sort_vals[x] < sort_vals[y] ? 1 : -1;
	return x < y ? -1 : x > y;
}

START_TEST(matches_full_sort)
{
	enum { N = 20000, K = 20 };
	double *v = malloc(N * sizeof *v);
	size_t *all = malloc(N * sizeof *all), out[K], i, n, kept = 0;

	srand(42);
	for (i = 0; i < N; i++) {
		v[i] = (double)(rand() % 5000) - 100; /* ties and skipped rows */
		if (v[i] >= 0)
			all[kept++] = i;
	}
	sort_vals = v;
	qsort(all, kept, sizeof *all, by_desc);
	n = topn_select(v, N, key, K, 0, out);
	ck_assert_uint_eq(n, K);
	for (i = 0; i < K; i++)
		ck_assert_uint_eq(out[i], all[i]);
	free(v);
	free(all);
}
END_TEST

START_TEST(fewer_rows_than_k_and_ascending)
{
	double v[] = { 5, -1, 3, 9, 3 };
	size_t out[10], n;

	n = topn_select(v, 5, key, 10, 0, out);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(out[0], 3);
	ck_assert_uint_eq(out[1], 0);
	ck_assert_uint_eq(out[2], 2);   /* tie: lower index first */
	ck_assert_uint_eq(out[3], 4);
	n = topn_select(v, 5, key, 2, 1, out);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(out[0], 2);
	ck_assert_uint_eq(out[1], 4);
	ck_assert_uint_eq(topn_select(v, 5, key, 0, 0, out), 0);
	ck_assert_uint_eq(topn_select(v, 0, key, 3, 0, out), 0);
}
END_TEST

Suite *topn_suite(void)
{
	Suite *s = suite_create("topn");
	TCase *tc = tcase_create("select");

	tcase_add_test(tc, matches_full_sort);
	tcase_add_test(tc, fewer_rows_than_k_and_ascending);
	suite_add_tcase(s, tc);
	return s;
}
