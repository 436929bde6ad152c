/*
 * check_format.c - numbers and ids as text, and parsing them back.
 */
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/ids.h"
#include "check_suites.h"

START_TEST(bytes_and_counts)
{
	char b[32];

	ck_assert_str_eq(fmt_bytes(b, sizeof b, 0), "0 B");
	ck_assert_str_eq(fmt_bytes(b, sizeof b, 1023), "1023 B");
	ck_assert_str_eq(fmt_bytes(b, sizeof b, 1536), "1.50 KiB");
	ck_assert_str_eq(fmt_bytes(b, sizeof b, 12.3 * 1048576), "12.3 MiB");
	ck_assert_str_eq(fmt_bytes(b, sizeof b, 5.0 * 1073741824), "5.00 GiB");
	ck_assert_str_eq(fmt_bytes(b, sizeof b, -2048), "-2.00 KiB");
	ck_assert_str_eq(fmt_count(b, sizeof b, 999), "999");
	ck_assert_str_eq(fmt_count(b, sizeof b, 1000), "1.00k");
	ck_assert_str_eq(fmt_count(b, sizeof b, 10500000), "10.5M");
	ck_assert_str_eq(fmt_count(b, sizeof b, -1500), "-1.50k");
	ck_assert_str_eq(fmt_percent(b, sizeof b, 0.456), "45.6%");
	ck_assert_str_eq(fmt_percent(b, sizeof b, -1), "  n/a");
}
END_TEST

START_TEST(ids)
{
	char b[64];
	struct bt_pid p = { 123, 4, 0 };
	struct bt_port port = { 57, 0 };
	struct bt_ref r = { { 11, 22, 33, 0, 0 }, 3, 0 };

	ck_assert_str_eq(fmt_pid(b, sizeof b, &p), "<0.123.4>");
	ck_assert_str_eq(fmt_port(b, sizeof b, &port), "#Port<0.57>");
	ck_assert_str_eq(fmt_ref(b, sizeof b, &r), "#Ref<0.33.22.11>");
	ck_assert_str_eq(fmt_uptime(b, sizeof b, 3723000), "01:02:03");
	ck_assert_str_eq(fmt_uptime(b, sizeof b, 2 * 86400000ULL + 5000), "2d 00:00:05");
}
END_TEST

START_TEST(parse_pids_and_values)
{
	struct bt_pid p;
	unsigned ms;
	unsigned long v;

	ck_assert_int_eq(parse_pid("<0.123.0>", &p), 0);
	ck_assert_uint_eq(p.num, 123);
	ck_assert_int_eq(parse_pid("0.77.3", &p), 0);
	ck_assert_uint_eq(p.serial, 3);
	ck_assert_int_eq(parse_pid("<1.2.3>", &p), -1);   /* not the target's */
	ck_assert_int_eq(parse_pid("<0.1.2", &p), -1);
	ck_assert_int_eq(parse_pid("<0.x.2>", &p), -1);
	ck_assert_int_eq(parse_pid("my_server", &p), -1);
	ck_assert_int_eq(parse_seconds("2", &ms), 0);
	ck_assert_uint_eq(ms, 2000);
	ck_assert_int_eq(parse_seconds("0.25", &ms), 0);
	ck_assert_uint_eq(ms, 250);
	ck_assert_int_eq(parse_seconds("-1", &ms), -1);
	ck_assert_int_eq(parse_seconds("0", &ms), -1);
	ck_assert_int_eq(parse_seconds("abc", &ms), -1);
	ck_assert_int_eq(parse_seconds("1e9", &ms), -1);
	ck_assert_int_eq(parse_uint("42", 100, &v), 0);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(parse_uint("101", 100, &v), -1);
	ck_assert_int_eq(parse_uint("-3", 100, &v), -1);
	ck_assert_int_eq(parse_uint("3x", 100, &v), -1);
	ck_assert_int_eq(parse_uint("", 100, &v), -1);
}
END_TEST

/* What a terminal would act on never passes; batch text and the screen
 * share these escapes. */
/* Elixir aliases as Elixir writes them; names as either shell writes
 * an atom. */
START_TEST(aliases_and_typed_names)
{
	char a[64];

	ck_assert_str_eq(fmt_alias("Elixir.MyApp.Worker"), "MyApp.Worker");
	ck_assert_str_eq(fmt_alias("Elixir.A"), "A");
	ck_assert_str_eq(fmt_alias("Elixir.myapp"), "Elixir.myapp");
	ck_assert_str_eq(fmt_alias("Elixir.MyApp."), "Elixir.MyApp.");
	ck_assert_str_eq(fmt_alias("Elixir.My-App"), "Elixir.My-App");
	ck_assert_str_eq(fmt_alias("Elixir."), "Elixir.");
	ck_assert_str_eq(fmt_alias("code_server"), "code_server");
	parse_name("MyApp.Worker", a, sizeof a);
	ck_assert_str_eq(a, "MyApp.Worker");
	parse_name("'Elixir.MyApp.Worker'", a, sizeof a);
	ck_assert_str_eq(a, "Elixir.MyApp.Worker");
	parse_name("'it\\'s'", a, sizeof a);
	ck_assert_str_eq(a, "it's");
	parse_name(":my_server", a, sizeof a);
	ck_assert_str_eq(a, "my_server");
	parse_name(":\"$gen_cast\"", a, sizeof a);
	ck_assert_str_eq(a, "$gen_cast");
	parse_name("'", a, sizeof a);
	ck_assert_str_eq(a, "'");
	parse_name("a_long_name", a, 5);
	ck_assert_str_eq(a, "a_lo");
}
END_TEST

START_TEST(escapes)
{
	char b[64];

	ck_assert_str_eq(fmt_escape(b, sizeof b, "plain \xe2\x82\xac"), "plain \xe2\x82\xac");
	ck_assert_str_eq(fmt_escape(b, sizeof b, "a\033[2J\033]0;x\007\r\nFORGED"),
			 "a\\e[2J\\e]0;x\\x07\\r\\nFORGED");
	ck_assert_str_eq(fmt_escape(b, sizeof b, "\t\\\x7f\xff"), "\\t\\\\\\x7f\\xff");
	/* C1 controls (here 8-bit CSI) and the decoder's NUL. */
	ck_assert_str_eq(fmt_escape(b, sizeof b, "\xc2\x9b" "2J" "\xc0\x80" "z"),
			 "\\x9b2J\\x00z");
	/* Cut on a whole escape. */
	ck_assert_str_eq(fmt_escape(b, 6, "ab\033cd"), "ab\\ec");
	ck_assert_str_eq(fmt_escape(b, 4, "ab\033cd"), "ab");
}
END_TEST

/* Bignums in decimal, from the external format's bytes. */
START_TEST(bigints)
{
	static const unsigned char two64[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const unsigned char ten9[] = { 0x00, 0xca, 0x9a, 0x3b };
	unsigned char big[1025];
	char b[64];

	ck_assert_str_eq(fmt_bigint(b, sizeof b, 0, two64, sizeof two64),
			 "18446744073709551616");
	ck_assert_str_eq(fmt_bigint(b, sizeof b, 1, two64, sizeof two64),
			 "-18446744073709551616");
	ck_assert_str_eq(fmt_bigint(b, sizeof b, 0, ten9, sizeof ten9), "1000000000");
	ck_assert_str_eq(fmt_bigint(b, sizeof b, 0, ten9, 0), "0");
	/* Too many digits for the buffer: cut, and said so. */
	ck_assert_str_eq(fmt_bigint(b, 12, 0, two64, sizeof two64), "18446744...");
	memset(big, 0xff, sizeof big);
	ck_assert_str_eq(fmt_bigint(b, sizeof b, 0, big, sizeof big),
			 "<integer of 1025 bytes>");
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, bytes_and_counts);
	tcase_add_test(tc, ids);
	tcase_add_test(tc, parse_pids_and_values);
	tcase_add_test(tc, escapes);
	tcase_add_test(tc, aliases_and_typed_names);
	tcase_add_test(tc, bigints);
	suite_add_tcase(s, tc);
	return s;
}
