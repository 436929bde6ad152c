/*
 * check_keymap.c - the identity maps: every key found again at scale,
 * absent keys not found, and a pidmap that reads its keys back from the
 * snapshot's rows.
 */
#include <stdlib.h>

#include "beamtop/keymap.h"
#include "beamtop/snapshot.h"
#include "check_suites.h"

START_TEST(keymap_many_keys)
{
	struct keymap m;
	size_t i;

	keymap_init(&m);
	ck_assert_int_eq(keymap_get(&m, 1), -1);
	ck_assert_int_eq(keymap_reset(&m, 100000), 0);
	for (i = 0; i < 100000; i++)
		keymap_put(&m, (uint64_t)i << 32 | (i * 7), i);
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(keymap_get(&m, (uint64_t)i << 32 | (i * 7)), (long)i);
	ck_assert_int_eq(keymap_get(&m, 12345678901ULL), -1);
	/* A reset empties the map, whatever it held. */
	ck_assert_int_eq(keymap_reset(&m, 100000), 0);
	ck_assert_int_eq(keymap_get(&m, 7), -1);
	keymap_free(&m);
}
END_TEST

START_TEST(pidmap_rows_by_pid)
{
	struct snapshot s;
	struct pidmap m;
	struct bt_pid gone = { 5000, 0, 0 };
	uint32_t i;

	snapshot_init(&s);
	pidmap_init(&m);
	ck_assert_int_eq(pidmap_get(&m, &s, 0), -1);
	/* Dense, sequential pid numbers, two serials: the hash must spread
	 * them. */
	for (i = 0; i < 3000; i++) {
		struct proc *p = snapshot_add_proc(&s);

		ck_assert_ptr_nonnull(p);
		p->pid.num = i % 1500;
		p->pid.serial = i / 1500;
	}
	ck_assert_int_eq(pidmap_build(&m, &s), 0);
	for (i = 0; i < 3000; i++)
		ck_assert_int_eq(pidmap_get(&m, &s, bt_pid_key(&s.procs[i].pid)), (long)i);
	ck_assert_int_eq(pidmap_get(&m, &s, bt_pid_key(&gone)), -1);
	pidmap_free(&m);
	snapshot_free(&s);
}
END_TEST

Suite *keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("maps");

	tcase_add_test(tc, keymap_many_keys);
	tcase_add_test(tc, pidmap_rows_by_pid);
	suite_add_tcase(s, tc);
	return s;
}
