/*
 * check_layout.c - screen arithmetic without a terminal: text widths and
 * clipping, bars split by kind, sparklines, column widths, and the key
 * table's consistency.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/input.h"
#include "beamtop/layout.h"
#include "beamtop/ring.h"
#include "check_suites.h"

START_TEST(text_widths_and_clipping)
{
	char out[64];
	int cols;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	layout_set_utf8(1);
	ck_assert_int_eq(text_width("abc"), 3);
	ck_assert_int_eq(text_width("\xe2\x82\xac"), 1);        /* euro: one column */
	ck_assert_int_eq(text_width("\xe5\xad\x97x"), 3);       /* CJK: two columns */
	ck_assert_uint_eq(text_fit("\xe5\xad\x97x", 1, &cols), 0);
	ck_assert_int_eq(cols, 0);
	ck_assert_uint_eq(text_fit("ab\xe2\x82\xac" "cd", 3, &cols), 5);
	ck_assert_int_eq(cols, 3);
	/* Escaped as batch text escapes them, never drawn raw. */
	text_clean("a\tb\xff" "c", 10, &cols, out, sizeof out);
	ck_assert_str_eq(out, "a\\tb\\xffc");
	ck_assert_int_eq(cols, 9);
	/* An escape is cut whole, never in the middle. */
	text_clean("x\033[2J\r\ny", 9, &cols, out, sizeof out);
	ck_assert_str_eq(out, "x\\e[2J\\r");
	ck_assert_int_eq(cols, 8);
	ck_assert_int_eq(text_width("\xc0\x80"), 4);
	/* A cut is marked, so that a cut pid never passes for a whole one. */
	snprintf(out, sizeof out, "<0.1048575.15>");
	text_mark_cut(out, sizeof out, 14);
	ck_assert_str_eq(out, "<0.1048575.15>");
	text_mark_cut(out, sizeof out, 11);
	ck_assert_str_eq(out, "<0.1048575\xe2\x80\xa6");
	ck_assert_int_eq(text_width(out), 11);
	snprintf(out, sizeof out, "ab");
	text_mark_cut(out, 3, 1);
	ck_assert_str_eq(out, "~");
	layout_set_utf8(0);
	snprintf(out, sizeof out, "<0.1048575.15>");
	text_mark_cut(out, sizeof out, 11);
	ck_assert_str_eq(out, "<0.1048575~");
	text_clean("\xe2\x82\xac!", 10, &cols, out, sizeof out);
	ck_assert_str_eq(out, "?!");
	setlocale(LC_CTYPE, "C");
}
END_TEST

/* The sizes named are never cut, however narrow the terminal. */
/* A line wider than the screen goes on in the next rows, every character
 * in one of them. */
START_TEST(text_wrapped_into_rows)
{
	const char *s = "ab\xe5\xad\x97" "cdef";
	size_t n;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	layout_set_utf8(1);
	ck_assert_int_eq(text_rows("", 10), 1);
	ck_assert_int_eq(text_rows("abcdef", 6), 1);
	ck_assert_int_eq(text_rows("abcdefg", 6), 2);
	/* The wide character does not fit after "ab" in 3 columns. */
	ck_assert_uint_eq((n = text_wrap(s, 3)), 2);
	ck_assert_uint_eq(text_wrap(s + n, 3), 4);
	ck_assert_int_eq(text_rows(s, 3), 3);
	/* A character wider than the row still takes one. */
	ck_assert_uint_eq(text_wrap("\xe5\xad\x97", 1), 3);
	ck_assert_int_eq(text_rows("\xe5\xad\x97\xe5\xad\x97", 1), 2);
	/* An escape is not cut in two either. */
	ck_assert_uint_eq(text_wrap("\033x", 1), 1);
	ck_assert_uint_eq(text_wrap("", 5), 0);
}
END_TEST

START_TEST(too_small_names_the_real_minimum)
{
	char b[96];

	layout_too_small(b, sizeof b, 59, 30, 60, 15);
	ck_assert_str_eq(b, "Terminal too small: 59x30, beamtop needs 60x15");
	layout_too_small(b, sizeof b, 20, 5, 60, 15);
	ck_assert_str_eq(b, "need 60x15");
	layout_too_small(b, sizeof b, 21, 5, 60, 15);
	ck_assert_str_eq(b, "too small: need 60x15");
	layout_too_small(b, sizeof b, 4, 5, 60, 15);
	ck_assert_str_eq(b, "60x15");
}
END_TEST

START_TEST(split_bar_by_kind)
{
	uint64_t parts[3] = { 50, 30, 20 };
	uint64_t tiny[3] = { 1, 1, 98 };
	int cells[3];

	layout_split(parts, 3, 100, 10, cells);
	ck_assert_int_eq(cells[0], 5);
	ck_assert_int_eq(cells[1], 3);
	ck_assert_int_eq(cells[2], 2);
	layout_split(parts, 3, 200, 10, cells);   /* half full */
	ck_assert_int_eq(cells[0] + cells[1] + cells[2], 5);
	layout_split(tiny, 3, 100, 7, cells);
	ck_assert_int_eq(cells[0] + cells[1] + cells[2], 7);
	ck_assert_int_ge(cells[2], 6);
	layout_split(parts, 3, 0, 10, cells);
	ck_assert_int_eq(cells[0] + cells[1] + cells[2], 0);
}
END_TEST

START_TEST(sparkline)
{
	struct ring r;
	char out[128];
	int i;

	layout_set_utf8(0);
	ck_assert_int_eq(ring_init(&r, 10), 0);
	for (i = 0; i < 8; i++)
		ring_push(&r, i);
	layout_spark(&r, 10, out, sizeof out);
	ck_assert_str_eq(out, "  _.-~=+*#");
	layout_spark(&r, 3, out, sizeof out);
	ck_assert_str_eq(out, "_=#");           /* the last three: 5, 6, 7 */
	layout_set_utf8(1);
	layout_spark(&r, 2, out, sizeof out);
	ck_assert_str_eq(out, "\u2581\u2588");
	layout_set_utf8(0);
	ring_free(&r);
}
END_TEST

/* Each column as wide as it wants within its limits; the rest to the
 * flexible ones. */
START_TEST(columns_follow_content)
{
	/* name (flex), size, owner (max 12), id */
	struct layout_col c[4] = {
		{ .want = 6, .minw = 12, .flex = 1 }, { .want = 5, .minw = 7 },
		{ .want = 22, .minw = 10, .maxw = 12 },
		{ .want = 36, .minw = 12, .maxw = 44, .keep = LAYOUT_KEEP_ID },
	};
	int w[4];

	/* Room for all: each its want (owner held at 12 at first, then given
	 * its want from what is left), the rest to the name. */
	ck_assert_int_eq(layout_fit(c, 4, 120, 1, w), 4);
	ck_assert_int_eq(w[1], 7);
	ck_assert_int_eq(w[2], 22);
	ck_assert_int_eq(w[3], 36);
	ck_assert_int_eq(w[0] + w[1] + w[2] + w[3] + 3, 120);
	/* Less room: the owner stays at its maximum, the name gets none. */
	ck_assert_int_eq(layout_fit(c, 4, 12 + 7 + 12 + 36 + 3, 1, w), 4);
	ck_assert_int_eq(w[0], 12);
	ck_assert_int_eq(w[2], 12);
	ck_assert_int_eq(w[3], 36);
	/* Too little: the widest beyond its minimum gives cells up first. */
	ck_assert_int_eq(layout_fit(c, 4, 60, 1, w), 4);
	ck_assert_int_eq(w[0] + w[1] + w[2] + w[3] + 3, 60);
	ck_assert_int_eq(w[3], 60 - 3 - 12 - 7 - 12);
	ck_assert_int_eq(layout_fit(c, 4, 46, 1, w), 4);
	ck_assert_int_eq(w[2], 11);
	ck_assert_int_eq(w[3], 13);
	ck_assert_int_eq(w[0] + w[1] + w[2] + w[3] + 3, 46);
}
END_TEST

/* Columns that do not fit at their minimum go, last first, the sort
 * key's and then an id's last. */
START_TEST(columns_hide_last_first_but_kept)
{
	struct layout_col c[4] = {
		{ .want = 10, .minw = 10 }, { .want = 20, .minw = 20, .flex = 1 },
		{ .want = 8, .minw = 8, .keep = LAYOUT_KEEP_SORT },
		{ .want = 8, .minw = 8 },
	};
	int w[4];

	ck_assert_int_eq(layout_fit(c, 4, 80, 1, w), 4);
	ck_assert_int_eq(w[0] + w[1] + w[2] + w[3] + 3, 80);
	ck_assert_int_eq(w[0], 10);
	ck_assert_int_eq(w[2], 8);
	ck_assert_int_eq(layout_fit(c, 4, 40, 1, w), 3);
	ck_assert_int_eq(w[3], 0);
	ck_assert_int_eq(w[0] + w[1] + w[2] + 2, 40);
	/* The sort key stays; the flexible one before it goes. */
	ck_assert_int_eq(layout_fit(c, 4, 20, 1, w), 2);
	ck_assert_int_eq(w[1], 0);
	ck_assert_int_eq(w[2], 8);
	ck_assert_int_eq(w[0], 10);
	c[3].keep = LAYOUT_KEEP_ID;
	ck_assert_int_eq(layout_fit(c, 4, 40, 1, w), 3);
	ck_assert_int_eq(w[1], 0);
	ck_assert_int_eq(w[3], 8);
	/* One column wider than the screen is cut to it. */
	ck_assert_int_eq(layout_fit(c, 4, 5, 1, w), 1);
	ck_assert_int_eq(w[2], 5);
}
END_TEST

/* An id cut in the middle keeps its end, where ids differ. */
START_TEST(ids_cut_in_the_middle)
{
	char out[64];

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	layout_set_utf8(1);
	snprintf(out, sizeof out, "#Ref<0.1019473738.3182821377.58109>");
	text_mark_cut_middle(out, sizeof out, 35);
	ck_assert_str_eq(out, "#Ref<0.1019473738.3182821377.58109>");
	text_mark_cut_middle(out, sizeof out, 16);
	ck_assert_str_eq(out, "#Ref<\xe2\x80\xa6" "377.58109>");
	ck_assert_int_eq(text_width(out), 16);
	/* An escape is kept whole or left out whole. */
	snprintf(out, sizeof out, "ab\x01" "cdefghij\x02" "z");
	text_mark_cut_middle(out, sizeof out, 9);
	ck_assert_int_le(text_width(out), 9);
	ck_assert_str_eq(out, "ab\xe2\x80\xa6" "j\x02" "z");
	layout_set_utf8(0);
	snprintf(out, sizeof out, "#Port<0.123456>");
	text_mark_cut_middle(out, sizeof out, 10);
	ck_assert_str_eq(out, "#Po~23456>");
	setlocale(LC_CTYPE, "C");
}
END_TEST

START_TEST(key_table_is_consistent)
{
	int i, j;

	/* No key means two things in the same pane, and every action has a
	 * key with help text somewhere above its other keys. */
	for (i = 0; i < input_nbindings; i++) {
		const struct binding *a = &input_bindings[i];

		for (j = i + 1; j < input_nbindings; j++) {
			const struct binding *b = &input_bindings[j];

			ck_assert_msg(a->key != b->key || !(a->where & b->where),
				      "key %d bound twice", a->key);
		}
		if (!a->help) {
			for (j = i - 1; j >= 0 && !input_bindings[j].help; j--)
				;
			ck_assert_msg(j >= 0, "binding %d has no help above it", i);
		}
	}
	ck_assert_int_eq(input_action('q', IN_PROCS), A_QUIT);
	ck_assert_int_eq(input_action('G', IN_PROCS), A_GROUP);
	ck_assert_int_eq(input_action('G', IN_MEMORY), A_NONE);
	ck_assert_int_eq(input_action('S', IN_ETS), A_SORT_SIZE);
}
END_TEST

START_TEST(growing_is_a_leak_suspect)
{
	static const double up[] = { 10e6, 11e6, 11e6, 12e6, 13e6, 14e6 };
	static const double dips[] = { 10e6, 11e6, 10.5e6, 12e6, 13e6, 14e6 };
	static const double flat[] = { 10e6, 10e6, 10e6, 10e6, 10e6, 10e6 };
	static const double tiny[] = { 10e6, 10e6 + 1, 10e6 + 2, 10e6 + 3, 10e6 + 4 };
	const double *cases[] = { up, dips, flat, tiny };
	const int n[] = { 6, 6, 6, 5 }, want[] = { 1, 0, 0, 0 };
	struct ring r;
	int c, i;

	for (c = 0; c < 4; c++) {
		ck_assert_int_eq(ring_init(&r, 16), 0);
		for (i = 0; i < n[c]; i++)
			ring_push(&r, cases[c][i]);
		ck_assert_int_eq(layout_growing(&r), want[c]);
		ring_free(&r);
	}
	ck_assert_int_eq(ring_init(&r, 16), 0);
	ring_push(&r, 1e6);
	ring_push(&r, 9e6);
	ck_assert_int_eq(layout_growing(&r), 0); /* too few samples to say */
	ring_free(&r);
}
END_TEST

Suite *layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, text_widths_and_clipping);
	tcase_add_test(tc, text_wrapped_into_rows);
	tcase_add_test(tc, split_bar_by_kind);
	tcase_add_test(tc, sparkline);
	tcase_add_test(tc, columns_follow_content);
	tcase_add_test(tc, columns_hide_last_first_but_kept);
	tcase_add_test(tc, ids_cut_in_the_middle);
	tcase_add_test(tc, key_table_is_consistent);
	tcase_add_test(tc, too_small_names_the_real_minimum);
	tcase_add_test(tc, growing_is_a_leak_suspect);
	suite_add_tcase(s, tc);
	return s;
}
