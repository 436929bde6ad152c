/*
 * check_dreq.c - the drill-down's requests: the queue never loses one nor
 * sends one twice, however often the sender says "not now" or the slots
 * run out; and every row of the request table binds exactly the variables
 * its query declares.
 */
#include <stdio.h>
#include <string.h>

#include "../src/poller_priv.h"
#include "beamtop/dreq.h"
#include "check_suites.h"

/* A sender that refuses the first `later` requests it is handed, then
 * sends; it keeps what it sent, and the slots of requests "in flight". */
struct fake {
	int later, dropped_serial;
	int sent[DREQ_KINDS];
	unsigned serial[DREQ_KINDS];
	struct dreq_slot *flying[64];
	int nflying;
	struct dreq_queue *q;
	int answer_now;  /* answer at once, and ask kind 7 from inside */
};

static enum dreq_sent fake_send(void *ctx, struct dreq_slot *s)
{
	struct fake *f = ctx;

	if ((int)s->serial == f->dropped_serial)
		return DREQ_DROPPED;
	if (f->later > 0) {
		f->later--;
		return DREQ_LATER;
	}
	f->sent[s->kind]++;
	f->serial[s->kind] = s->serial;
	if (f->answer_now) {
		f->answer_now = 0;
		dreq_done(s);
		dreq_want(f->q, 7, s->serial);
		dreq_flush(f->q, NULL, fake_send, f);
		return DREQ_SENT;
	}
	f->flying[f->nflying++] = s;
	return DREQ_SENT;
}

static void answer_all(struct fake *f)
{
	while (f->nflying > 0)
		dreq_done(f->flying[--f->nflying]);
}

START_TEST(a_request_that_cannot_go_waits)
{
	struct dreq_queue q;
	struct fake f = { .later = 3, .dropped_serial = -1 };
	int i;

	dreq_clear(&q);
	dreq_want(&q, 2, 5);
	ck_assert(dreq_busy(&q, 2));
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(dreq_flush(&q, NULL, fake_send, &f), 1);
		ck_assert_int_eq(f.sent[2], 0);
		ck_assert(dreq_busy(&q, 2));
	}
	ck_assert_int_eq(dreq_flush(&q, NULL, fake_send, &f), 0);
	ck_assert_int_eq(f.sent[2], 1);
	ck_assert_uint_eq(f.serial[2], 5);
	ck_assert(dreq_busy(&q, 2)); /* in flight */
	ck_assert_int_eq(dreq_flush(&q, NULL, fake_send, &f), 0);
	ck_assert_int_eq(f.sent[2], 1); /* once */
	answer_all(&f);
	ck_assert(!dreq_busy(&q, 2));
}
END_TEST

START_TEST(no_free_slot_waits_for_one)
{
	struct dreq_queue q;
	struct fake f = { .dropped_serial = -1 };
	int i;

	dreq_clear(&q);
	for (i = 0; i < DREQ_SLOTS + 4; i++) {
		dreq_want(&q, i, 1);
		dreq_flush(&q, &f, fake_send, &f);
	}
	ck_assert_int_eq(f.nflying, DREQ_SLOTS);
	for (i = DREQ_SLOTS; i < DREQ_SLOTS + 4; i++) {
		ck_assert_int_eq(f.sent[i], 0);
		ck_assert(dreq_busy(&q, i));
	}
	ck_assert_ptr_eq(f.flying[0]->owner, &f);
	/* Answers free slots: the four waiting go, each once. */
	answer_all(&f);
	ck_assert_int_eq(dreq_flush(&q, &f, fake_send, &f), 0);
	for (i = 0; i < DREQ_SLOTS + 4; i++)
		ck_assert_int_eq(f.sent[i], 1);
}
END_TEST

START_TEST(the_newest_target_wins_and_stale_ones_drop)
{
	struct dreq_queue q;
	struct fake f = { .later = 1, .dropped_serial = 3 };

	dreq_clear(&q);
	dreq_want(&q, 4, 1);
	dreq_flush(&q, NULL, fake_send, &f); /* later */
	dreq_want(&q, 4, 2);
	dreq_flush(&q, NULL, fake_send, &f);
	ck_assert_int_eq(f.sent[4], 1);
	ck_assert_uint_eq(f.serial[4], 2);
	/* A request whose target is gone by the time it can go. */
	dreq_want(&q, 5, 3);
	ck_assert_int_eq(dreq_flush(&q, NULL, fake_send, &f), 0);
	ck_assert_int_eq(f.sent[5], 0);
	ck_assert(!dreq_busy(&q, 5));
	/* Out of range kinds are ignored, not written anywhere. */
	dreq_want(&q, DREQ_KINDS, 1);
	dreq_want(&q, -1, 1);
	ck_assert(!dreq_busy(&q, DREQ_KINDS));
}
END_TEST

START_TEST(an_answer_may_ask_the_next_from_inside)
{
	struct dreq_queue q;
	struct fake f = { .dropped_serial = -1, .answer_now = 1 };

	dreq_clear(&q);
	f.q = &q;
	dreq_want(&q, 9, 4); /* answered at once, asks 7 for the same target */
	ck_assert_int_eq(dreq_flush(&q, NULL, fake_send, &f), 0);
	ck_assert_int_eq(f.sent[9], 1);
	ck_assert_int_eq(f.sent[7], 1);
	ck_assert_uint_eq(f.serial[7], 4);
	ck_assert_int_eq(f.nflying, 1);
	/* The link is lost: nothing waits, nothing flies. */
	dreq_want(&q, 3, 4);
	dreq_clear(&q);
	ck_assert(!dreq_busy(&q, 3) && !dreq_busy(&q, 7));
}
END_TEST

/* Every request's values are what its query declares, checked here for
 * each row, as collect_query() checks them on every call. */
START_TEST(every_row_binds_its_query)
{
	struct collect_opts o;
	struct collector *col;
	struct dr_view v;
	int k;

	memset(&o, 0, sizeof o);
	memset(&v, 0, sizeof v);
	col = collect_new(NULL, &o);
	ck_assert_ptr_nonnull(col);
	snprintf(v.tabname, sizeof v.tabname, "some_table");
	snprintf(v.name, sizeof v.name, "some_name");
	ck_assert_int_le(DR_COUNT_, DREQ_KINDS);
	for (k = 0; k < DR_COUNT_; k++) {
		const struct dr_row *row = &dr_rows[k];
		const struct query_def *q = query_def(row->query);
		struct qargs a = { 0 };
		char why[200] = "";

		ck_assert_msg(!row->answer != !row->render,
			      "row %d: one way to take its answer", k);
		if (!q) {
			ck_assert_msg(row->call && !row->args, "row %d sends nothing", k);
			continue;
		}
		ck_assert_msg(!row->call, "row %d: a query and a call", k);
		if (row->args)
			row->args(col, &v, &a);
		ck_assert_msg(query_args_check(q, &a, why, sizeof why) == 0,
			      "row %d: %s", k, why);
	}
	/* What may change the node is the query's to say: only bin_leak's
	 * collection (confirmed) and the mailbox sample (tracing). */
	ck_assert(query_def(dr_rows[DR_SAMPLE].query)->mutating);
	ck_assert(query_def(dr_rows[DR_BL_GC].query)->mutating);
	ck_assert(!query_def(dr_rows[DR_MSGS].query)->mutating);
	collect_free(col);
}
END_TEST

Suite *dreq_suite(void)
{
	Suite *s = suite_create("dreq");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, a_request_that_cannot_go_waits);
	tcase_add_test(tc, no_free_slot_waits_for_one);
	tcase_add_test(tc, the_newest_target_wins_and_stale_ones_drop);
	tcase_add_test(tc, an_answer_may_ask_the_next_from_inside);
	tcase_add_test(tc, every_row_binds_its_query);
	suite_add_tcase(s, tc);
	return s;
}
