/*
 * check_decode.c - the term codec: valid, truncated, wrong-typed, lying
 * and deeply nested input.  Terms are built with ei_x_encode_* directly so
 * that the tests do not trust the code under test to build them.
 */
#include <ei.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/ids.h"
#include "check_suites.h"

/* A fresh buffer with the version byte. */
static ei_x_buff xnew(void)
{
	ei_x_buff x;

	ck_assert_int_eq(ei_x_new_with_version(&x), 0);
	return x;
}

static ei_x_buff sample(void)
{
	ei_x_buff x = xnew();
	erlang_pid p;

	memset(&p, 0, sizeof p);
	strcpy(p.node, "app@host");
	p.num = 123;
	p.serial = 4;
	p.creation = 7;
	ei_x_encode_tuple_header(&x, 9);
	ei_x_encode_atom(&x, "hello");
	ei_x_encode_long(&x, 42);
	ei_x_encode_long(&x, -5);
	ei_x_encode_double(&x, 3.5);
	ei_x_encode_string(&x, "str");
	ei_x_encode_binary(&x, "bin", 3);
	ei_x_encode_list_header(&x, 2);
	ei_x_encode_long(&x, 1000);
	ei_x_encode_long(&x, 2000);
	ei_x_encode_empty_list(&x);
	ei_x_encode_map_header(&x, 1);
	ei_x_encode_atom(&x, "k");
	ei_x_encode_long(&x, 1);
	ei_x_encode_pid(&x, &p);
	return x;
}

START_TEST(reads_every_kind)
{
	ei_x_buff x = sample();
	struct tdec d;
	char a[64];
	int n;
	uint64_t u;
	int64_t i;
	double f;
	struct bt_pid pid;

	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_tuple(&d, &n), 0);
	ck_assert_int_eq(n, 9);
	ck_assert_int_eq(tdec_atom(&d, a, sizeof a), 0);
	ck_assert_str_eq(a, "hello");
	ck_assert_int_eq(tdec_u64(&d, &u), 0);
	ck_assert_uint_eq(u, 42);
	/* A negative number is not a u64, and the cursor stays put. */
	ck_assert_int_eq(tdec_u64(&d, &u), -1);
	ck_assert_int_eq(tdec_i64(&d, &i), 0);
	ck_assert_int_eq(i, -5);
	ck_assert_int_eq(tdec_number(&d, &f), 0);
	ck_assert(f == 3.5);
	ck_assert_int_eq(tdec_text(&d, a, sizeof a), 0);
	ck_assert_str_eq(a, "str");
	ck_assert_int_eq(tdec_text(&d, a, sizeof a), 0);
	ck_assert_str_eq(a, "bin");
	ck_assert_int_eq(tdec_list(&d, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(tdec_u64(&d, &u), 0);
	ck_assert_int_eq(tdec_u64(&d, &u), 0);
	ck_assert_uint_eq(u, 2000);
	ck_assert_int_eq(tdec_list_end(&d, n), 0);
	ck_assert_int_eq(tdec_map(&d, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(tdec_skip(&d), 0);
	ck_assert_int_eq(tdec_skip(&d), 0);
	ck_assert_int_eq(tdec_pid(&d, &pid), 0);
	ck_assert_uint_eq(pid.num, 123);
	ck_assert_uint_eq(pid.serial, 4);
	ck_assert_uint_eq(pid.creation, 7);
	ck_assert_int_eq(d.idx, d.len);
	ei_x_free(&x);
}
END_TEST

START_TEST(every_truncation_is_refused)
{
	ei_x_buff x = sample();
	struct tdec d;
	int len;

	for (len = 0; len < x.index; len++) {
		/* A copy of exactly len bytes, so ASan sees any overread. */
		char *copy = malloc((size_t)len + 1);

		memcpy(copy, x.buff, (size_t)len);
		ck_assert_msg(tdec_init(&d, copy, len) == -1, "len %d accepted", len);
		free(copy);
	}
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ei_x_free(&x);
}
END_TEST

START_TEST(trailing_bytes_and_bad_version_are_refused)
{
	ei_x_buff x = xnew();
	struct tdec d;

	ei_x_encode_atom(&x, "ok");
	ei_x_encode_atom(&x, "extra");
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), -1);
	x.buff[0] = 130;
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), -1);
	ei_x_free(&x);
}
END_TEST

START_TEST(wrong_types_leave_the_cursor)
{
	ei_x_buff x = xnew();
	struct tdec d;
	char a[16];
	int n, at;
	uint64_t u;
	struct bt_pid p;

	ei_x_encode_atom(&x, "notanumber");
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	at = d.idx;
	ck_assert_int_eq(tdec_u64(&d, &u), -1);
	ck_assert_int_eq(tdec_tuple(&d, &n), -1);
	ck_assert_int_eq(tdec_list(&d, &n), -1);
	ck_assert_int_eq(tdec_pid(&d, &p), -1);
	ck_assert_int_eq(tdec_mfa(&d, a, sizeof a), -1);
	ck_assert_int_eq(d.idx, at);
	ck_assert_int_eq(tdec_atom_is(&d, "other"), 0);
	ck_assert_int_eq(d.idx, at);
	ck_assert_int_eq(tdec_atom_is(&d, "notanumber"), 1);
	ei_x_free(&x);
}
END_TEST

/* Hand-made bytes: version, then the term. */
static int init_raw(struct tdec *d, const unsigned char *b, int len)
{
	return tdec_init(d, (const char *)b, len);
}

START_TEST(lying_sizes_are_refused)
{
	struct tdec d;
	/* A list that claims 2^31 elements, a tuple of 2^32-1, a binary
	 * longer than the buffer, an atom of 300 latin-1 bytes. */
	static const unsigned char list[] = { 131, 108, 0x80, 0, 0, 0, 97, 1, 106 };
	static const unsigned char tuple[] = { 131, 105, 0xff, 0xff, 0xff, 0xff, 106 };
	static const unsigned char bin[] = { 131, 109, 0, 0, 0, 9, 'a', 'b' };
	unsigned char atom[3 + 1 + 300];
	static const unsigned char cache_ref[] = { 131, 82, 0 };
	static const unsigned char big_ref[] = { 131, 90, 0, 9, 119, 1, 'n', 0, 0, 0, 1 };

	ck_assert_int_eq(init_raw(&d, list, sizeof list), -1);
	ck_assert_int_eq(init_raw(&d, tuple, sizeof tuple), -1);
	ck_assert_int_eq(init_raw(&d, bin, sizeof bin), -1);
	atom[0] = 131;
	atom[1] = 100;
	atom[2] = 300 >> 8;
	atom[3] = 300 & 0xff;
	memset(atom + 4, 'a', 300);
	ck_assert_int_eq(init_raw(&d, atom, sizeof atom), -1);
	ck_assert_int_eq(init_raw(&d, cache_ref, sizeof cache_ref), -1);
	ck_assert_int_eq(init_raw(&d, big_ref, sizeof big_ref), -1);
}
END_TEST

START_TEST(deep_nesting_costs_no_stack)
{
	/* 200,000 nested one-element lists: [[[...[]...]]].  ei_skip_term
	 * would recurse that deep; our walk does not. */
	const int depth = 200000;
	size_t len = 1 + (size_t)depth * 5 + 1 + (size_t)depth;
	unsigned char *b = malloc(len), *p = b;
	struct tdec d;
	char out[64];
	int i;

	*p++ = 131;
	for (i = 0; i < depth; i++) {
		*p++ = 108;
		*p++ = 0; *p++ = 0; *p++ = 0; *p++ = 1;
	}
	*p++ = 106;
	for (i = 0; i < depth; i++)
		*p++ = 106;
	ck_assert_int_eq(tdec_init(&d, (const char *)b, (int)len), 0);
	ck_assert_int_eq(tdec_print(&d, out, sizeof out), 0);
	ck_assert_ptr_nonnull(strstr(out, "..."));
	ck_assert_int_eq(d.idx, (int)len);
	free(b);
}
END_TEST

START_TEST(int_lists_in_both_encodings)
{
	ei_x_buff x = xnew();
	struct tdec d;
	uint64_t v[4];
	int n;

	/* Small integers come as STRING_EXT, bigger ones as LIST_EXT. */
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_string_len(&x, "\x01\x02\x00", 3);
	ei_x_encode_list_header(&x, 2);
	ei_x_encode_long(&x, 300);
	ei_x_encode_long(&x, 70000);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_tuple(&d, &n), 0);
	ck_assert_int_eq(tdec_int_list(&d, v, 4, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(v[0], 1);
	ck_assert_uint_eq(v[2], 0);
	ck_assert_int_eq(tdec_int_list(&d, v, 1, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(v[0], 300);
	ck_assert_int_eq(d.idx, d.len);
	ei_x_free(&x);
}
END_TEST

START_TEST(bignums_up_to_64_bits)
{
	ei_x_buff x = xnew();
	struct tdec d;
	uint64_t u;
	int n;

	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_ulonglong(&x, 18446744073709551615ULL);
	ei_x_encode_longlong(&x, -9000000000000000000LL);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_tuple(&d, &n), 0);
	ck_assert_int_eq(tdec_u64(&d, &u), 0);
	ck_assert(u == 18446744073709551615ULL);
	ck_assert_int_eq(tdec_u64(&d, &u), -1);
	ei_x_free(&x);
}
END_TEST

START_TEST(text_of_unicode_charlists)
{
	ei_x_buff x = xnew();
	struct tdec d;
	char out[16];

	ei_x_encode_list_header(&x, 2);
	ei_x_encode_long(&x, 0x20AC);   /* euro sign */
	ei_x_encode_long(&x, 'x');
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_text(&d, out, sizeof out), 0);
	ck_assert_str_eq(out, "\xe2\x82\xac" "x");
	ei_x_free(&x);
}
END_TEST

START_TEST(mfa_erlang_and_elixir)
{
	ei_x_buff x = xnew();
	struct tdec d;
	char out[64];
	int n;

	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_atom(&x, "gen_server");
	ei_x_encode_atom(&x, "loop");
	ei_x_encode_long(&x, 7);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_atom(&x, "Elixir.MyApp.Worker");
	ei_x_encode_atom(&x, "init");
	ei_x_encode_list_header(&x, 1);
	ei_x_encode_atom(&x, "arg");
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_tuple(&d, &n), 0);
	ck_assert_int_eq(tdec_mfa(&d, out, sizeof out), 0);
	ck_assert_str_eq(out, "gen_server:loop/7");
	ck_assert_int_eq(tdec_mfa(&d, out, sizeof out), 0);
	ck_assert_str_eq(out, "MyApp.Worker.init/1");
	ei_x_free(&x);
}
END_TEST

START_TEST(print_is_bounded_and_readable)
{
	ei_x_buff x = xnew();
	struct tdec d;
	char out[256];
	int i;

	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_binary(&x, "hello", 5);
	ei_x_encode_map_header(&x, 2);
	ei_x_encode_atom(&x, "__struct__");
	ei_x_encode_atom(&x, "Elixir.MyApp.User");
	ei_x_encode_atom(&x, "id");
	ei_x_encode_long(&x, 7);
	ei_x_encode_list_header(&x, 100);
	for (i = 0; i < 100; i++)
		ei_x_encode_long(&x, 1000 + i);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_print(&d, out, sizeof out), 0);
	ck_assert_ptr_nonnull(strstr(out, "<<\"hello\">>"));
	ck_assert_ptr_nonnull(strstr(out, "#{'__struct__' => 'Elixir.MyApp.User',id => 7}"));
	ck_assert_ptr_nonnull(strstr(out, ",...]"));
	ck_assert_ptr_null(strstr(out, "1099"));
	ei_x_free(&x);
}
END_TEST

/* A map whose __struct__ is not a module is a plain map, not a failure
 * to print. */
START_TEST(print_struct_key_that_is_no_module)
{
	ei_x_buff x = xnew();
	struct tdec d;
	char out[64];

	ei_x_encode_map_header(&x, 2);
	ei_x_encode_atom(&x, "__struct__");
	ei_x_encode_long(&x, 1);
	ei_x_encode_atom(&x, "a");
	ei_x_encode_long(&x, 2);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_print(&d, out, sizeof out), 0);
	ck_assert_str_eq(out, "#{'__struct__' => 1,a => 2}");
	ck_assert_int_eq(d.idx, d.len);
	ei_x_free(&x);
}
END_TEST

/* A list that goes bad halfway is refused before anything is copied. */
START_TEST(bad_lists_write_nothing)
{
	ei_x_buff x = xnew();
	struct tdec d, start;
	uint64_t v[4] = { 9, 9, 9, 9 };
	char out[16] = "untouched";
	int n = -7;

	ei_x_encode_list_header(&x, 3);
	ei_x_encode_long(&x, 'a');
	ei_x_encode_long(&x, 'b');
	ei_x_encode_atom(&x, "c");
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	start = d;
	ck_assert_int_eq(tdec_int_list(&d, v, 4, &n), -1);
	ck_assert_int_eq(d.idx, start.idx);
	ck_assert_int_eq(n, -7);
	ck_assert_uint_eq(v[0], 9);
	ck_assert_int_eq(tdec_text(&d, out, sizeof out), -1);
	ck_assert_int_eq(d.idx, start.idx);
	ck_assert_str_eq(out, "untouched");
	ei_x_free(&x);
}
END_TEST

START_TEST(built_terms_read_back)
{
	struct tenc *t = tenc_new();
	struct bt_pid p = { 55, 2, 9 }, q;
	struct tdec d;
	char buf[256], a[64];
	const char *data;
	int len, n;

	tenc_tuple(t, 3);
	tenc_fun(t, "erlang", "process_info", 2);
	tenc_pid(t, &p, "app@host");
	tenc_list(t, 1);
	tenc_atom(t, "memory");
	tenc_nil(t);
	ck_assert(tenc_ok(t));
	data = tenc_data(t, &len);
	buf[0] = (char)131;
	memcpy(buf + 1, data, (size_t)len);
	ck_assert_int_eq(tdec_init(&d, buf, len + 1), 0);
	ck_assert_int_eq(tdec_tuple(&d, &n), 0);
	ck_assert_int_eq(tdec_print(&d, a, sizeof a), 0);
	ck_assert_str_eq(a, "fun erlang:process_info/2");
	ck_assert_int_eq(tdec_pid(&d, &q), 0);
	ck_assert_uint_eq(q.num, 55);
	ck_assert_uint_eq(q.creation, 9);
	ck_assert_int_eq(tdec_list(&d, &n), 0);
	ck_assert_int_eq(tdec_atom_is(&d, "memory"), 1);
	tenc_free(t);
}
END_TEST

/* An atom may hold a NUL: the name goes on past it (as C0 80). */
START_TEST(atom_with_nul)
{
	ei_x_buff x;
	struct tdec d;
	char a[64];

	ck_assert_int_eq(ei_x_new_with_version(&x), 0);
	ck_assert_int_eq(ei_x_encode_atom_len_as(&x, "ev\0il\033", 6, ERLANG_UTF8,
						 ERLANG_UTF8), 0);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_atom(&d, a, sizeof a), 0);
	ck_assert_str_eq(a, "ev\xc0\x80" "il\033");
	ei_x_free(&x);
	/* Latin-1 on the wire: e-acute grows to two bytes, the NUL still kept. */
	ck_assert_int_eq(ei_x_new_with_version(&x), 0);
	ck_assert_int_eq(ei_x_encode_atom_len_as(&x, "\xe9\0z", 3, ERLANG_LATIN1,
						 ERLANG_LATIN1), 0);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_atom(&d, a, sizeof a), 0);
	ck_assert_str_eq(a, "\xc3\xa9\xc0\x80z");
	/* Too small a buffer: cut, never overrun. */
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_atom(&d, a, 4), 0);
	ck_assert_str_eq(a, "\xc3\xa9");
	ei_x_free(&x);
}
END_TEST

/* What erl would print: bignums in decimal, refs, funs, and newlines in
 * strings as \n, never <bignum>, <?> or a raw control character. */
START_TEST(print_ids_bignums_and_escapes)
{
	/* 2^64 and -2^100 as SMALL_BIG_EXT: n, sign, magnitude LSB first. */
	static const char big64[] = { 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const char neg100[] = { 110, 13, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0x10 };
	static const char bits[] = { 77, 0, 0, 0, 2, 3, (char)0xff, (char)0xe0 };
	ei_x_buff x = xnew();
	erlang_ref r;
	erlang_fun f;
	struct tdec d;
	char out[512];

	ei_x_encode_list_header(&x, 6);
	ei_x_append_buf(&x, big64, sizeof big64);
	ei_x_append_buf(&x, neg100, sizeof neg100);
	memset(&r, 0, sizeof r);
	strcpy(r.node, "a@b");
	r.len = 3;
	r.n[0] = 3, r.n[1] = 2, r.n[2] = 1;
	ei_x_encode_ref(&x, &r);
	memset(&f, 0, sizeof f);
	f.arity = 1;
	strcpy(f.module, "m");
	f.type = EI_FUN_CLOSURE;
	f.u.closure.index = 5;
	f.u.closure.old_index = 5;
	f.u.closure.uniq = 77;
	strcpy(f.u.closure.pid.node, "a@b");
	ei_x_encode_fun(&x, &f);
	ei_x_encode_string(&x, "a\nb\"c\\");
	ei_x_append_buf(&x, bits, sizeof bits);
	ei_x_encode_empty_list(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_print(&d, out, sizeof out), 0);
	ck_assert_str_eq(out, "[18446744073709551616,-1267650600228229401496703205376,"
			 "#Ref<0.1.2.3>,#Fun<m.5.77>,\"a\\nb\\\"c\\\\\",<<255,7:3>>]");
	ei_x_free(&x);
}
END_TEST

Suite *decode_suite(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, reads_every_kind);
	tcase_add_test(tc, every_truncation_is_refused);
	tcase_add_test(tc, trailing_bytes_and_bad_version_are_refused);
	tcase_add_test(tc, wrong_types_leave_the_cursor);
	tcase_add_test(tc, lying_sizes_are_refused);
	tcase_add_test(tc, deep_nesting_costs_no_stack);
	tcase_add_test(tc, int_lists_in_both_encodings);
	tcase_add_test(tc, bignums_up_to_64_bits);
	tcase_add_test(tc, text_of_unicode_charlists);
	tcase_add_test(tc, mfa_erlang_and_elixir);
	tcase_add_test(tc, print_is_bounded_and_readable);
	tcase_add_test(tc, built_terms_read_back);
	tcase_add_test(tc, atom_with_nul);
	tcase_add_test(tc, print_ids_bignums_and_escapes);
	tcase_add_test(tc, print_struct_key_that_is_no_module);
	tcase_add_test(tc, bad_lists_write_nothing);
	suite_add_tcase(s, tc);
	return s;
}
