/*
 * check_strpool.c - interning and the history ring.
 */
#include <stdio.h>

#include "beamtop/ring.h"
#include "beamtop/strpool.h"
#include "check_suites.h"

START_TEST(interns_once)
{
	struct strpool p;
	uint32_t a, b, c;
	char name[32];
	int i;

	strpool_init(&p);
	a = strpool_add(&p, "gen_server:loop/7");
	b = strpool_add(&p, "other");
	c = strpool_add(&p, "gen_server:loop/7");
	ck_assert_uint_eq(a, c);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq(strpool_add(&p, ""), 0);
	ck_assert_str_eq(strpool_get(&p, 0), "");
	ck_assert_str_eq(strpool_get(&p, 999999), "");
	/* Growth keeps earlier handles valid. */
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "s%d", i);
		strpool_add(&p, name);
	}
	ck_assert_str_eq(strpool_get(&p, a), "gen_server:loop/7");
	ck_assert_uint_eq(strpool_add(&p, "s4999"), strpool_add(&p, "s4999"));
	strpool_clear(&p);
	ck_assert_str_eq(strpool_get(&p, a), "");
	strpool_free(&p);
}
END_TEST

START_TEST(ring_keeps_the_newest)
{
	struct ring r;
	int i;

	ck_assert_int_eq(ring_init(&r, 3), 0);
	ck_assert(ring_last(&r) == 0);
	for (i = 1; i <= 5; i++)
		ring_push(&r, i);
	ck_assert_int_eq(r.n, 3);
	ck_assert(ring_get(&r, 0) == 3);
	ck_assert(ring_get(&r, 2) == 5);
	ck_assert(ring_last(&r) == 5);
	ck_assert(ring_get(&r, 3) == 0);
	ring_free(&r);
}
END_TEST

Suite *strpool_suite(void)
{
	Suite *s = suite_create("strpool");
	TCase *tc = tcase_create("pool");

	tcase_add_test(tc, interns_once);
	tcase_add_test(tc, ring_keeps_the_newest);
	suite_add_tcase(s, tc);
	return s;
}
