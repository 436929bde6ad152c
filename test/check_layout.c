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

START_TEST(columns_fit_or_hide)
{
	int minw[4] = { 10, 20, 8, 8 }, flex[4] = { 0, 1, 0, 1 }, w[4];

	ck_assert_int_eq(layout_columns(minw, flex, 4, 80, 1, w), 4);
	ck_assert_int_eq(w[0] + w[1] + w[2] + w[3] + 3, 80);
	ck_assert_int_eq(w[0], 10);
	ck_assert_int_eq(w[2], 8);
	ck_assert_int_eq(layout_columns(minw, flex, 4, 40, 1, w), 3);
	ck_assert_int_eq(w[3], 0);
	ck_assert_int_eq(w[0] + w[1] + w[2] + 2, 40);
	ck_assert_int_eq(layout_columns(minw, flex, 4, 5, 1, w), 1);
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
	tcase_add_test(tc, columns_fit_or_hide);
	tcase_add_test(tc, key_table_is_consistent);
	tcase_add_test(tc, too_small_names_the_real_minimum);
	tcase_add_test(tc, growing_is_a_leak_suspect);
	suite_add_tcase(s, tc);
	return s;
}
