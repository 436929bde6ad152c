/*
 * check_opts.c - the command line: defaults, values, and the message for
 * every kind of bad input (which must name the option).
 */
#include <string.h>

#include "beamtop/opts.h"
#include "check_suites.h"

static int parse(struct opts *o, char *err, size_t n, int argc, const char **argv)
{
	return opts_parse(o, argc, (char **)(void *)argv, err, n);
}

START_TEST(defaults_and_values)
{
	struct opts o;
	char err[256];
	const char *a1[] = { "beamtop", "app@host", NULL };
	const char *a2[] = { "beamtop", "-b", "-n", "3", "-d", "0.5", "--sort", "mq",
			     "--json", "--lines", "7", "--port", "9000", "app@host",
			     NULL };

	ck_assert_int_eq(parse(&o, err, sizeof err, 2, a1), 0);
	ck_assert_str_eq(o.node, "app@host");
	ck_assert_int_eq(o.batch, 0);
	ck_assert_uint_eq(o.delay_ms, 2000);
	ck_assert_uint_eq(o.lines, 20);
	ck_assert_int_eq(o.sort, SORT_MEMORY);
	ck_assert_int_eq(parse(&o, err, sizeof err, 14, a2), 0);
	ck_assert_int_eq(o.batch, 1);
	ck_assert_int_eq(o.iterations, 3);
	ck_assert_uint_eq(o.delay_ms, 500);
	ck_assert_int_eq(o.sort, SORT_MQ);
	ck_assert_int_eq(o.json, 1);
	ck_assert_uint_eq(o.lines, 7);
	ck_assert_int_eq(o.port, 9000);
}
END_TEST

#define REFUSED(n, needle, ...) do { \
	const char *argv[] = { "beamtop", __VA_ARGS__, NULL }; \
	ck_assert_int_eq(parse(&o, err, sizeof err, n, argv), -1); \
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err, needle); \
} while (0)

START_TEST(bad_values_name_the_option)
{
	struct opts o;
	char err[256];

	REFUSED(4, "--delay", "-d", "-1", "n@h");
	REFUSED(4, "--delay", "-d", "soon", "n@h");
	REFUSED(4, "--iterations", "-n", "0", "n@h");
	REFUSED(4, "--iterations", "-n", "many", "n@h");
	REFUSED(4, "--sort", "--sort", "colour", "n@h");
	REFUSED(4, "--lines", "--lines", "-5", "n@h");
	REFUSED(4, "--port", "--port", "70000", "n@h");
	REFUSED(4, "--timeout", "--timeout", "0", "n@h");
	REFUSED(4, "--pane", "--pane", "nope", "n@h");
	REFUSED(4, "--collector", "--collector", "magic", "n@h");
	REFUSED(3, "--bogus", "--bogus", "n@h");
	REFUSED(3, "unknown option -x", "-x", "n@h");
	/* A value given to a flag is not an unknown option. */
	REFUSED(3, "option --json takes no value", "--json=1", "n@h");
	REFUSED(3, "option --read-only takes no value", "--read-only=yes", "n@h");
	REFUSED(3, "unknown option --jsonx=1", "--jsonx=1", "n@h");
	REFUSED(2, "-d needs a value", "-d");
	REFUSED(1, "no node given", "-b");
	REFUSED(3, "one node only", "a@h", "b@h");
	REFUSED(3, "--demo", "--demo", "a@h");
	REFUSED(6, "give one", "--cookie", "x", "--cookie-file", "f", "a@h");
}
END_TEST

Suite *opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, defaults_and_values);
	tcase_add_test(tc, bad_values_name_the_option);
	suite_add_tcase(s, tc);
	return s;
}
