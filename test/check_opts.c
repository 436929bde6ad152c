/*
 * check_opts.c - the command line: defaults, values, and the message for
 * every kind of bad input (which must name the option); every row of the
 * options table taken by its long and short name, and refused; --help and
 * the man page's OPTIONS section as the table makes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/options.h"
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

/* For each option of the command line: a value it takes (NULL: a flag),
 * how options_format() writes it back, and a value it refuses (NULL: none
 * is, any text will do).  Rows without a long name are check_config.c's. */
static const struct {
	const char *name, *good, *written, *bad;
} cli_cases[] = {
	{ "batch", NULL, "1", NULL },
	{ "iterations", "3", "3", "0" },
	{ "delay", "12345.678", "12345.678", "0.05" },
	{ "sort", "mq", "message_queue_len", "colour" },
	{ "lines", "7", "7", "100001" },
	{ "json", NULL, "1", NULL },
	{ "partial", NULL, "1", NULL },
	{ "reconnect", NULL, "1", NULL },
	{ "cookie-file", "/tmp/c", "/tmp/c", NULL },
	{ "cookie", "s3cret", "s3cret", NULL },
	{ "name", "watcher", "watcher", NULL },
	{ "port", "9000", "9000", "70000" },
	{ "address", "127.0.0.1", "127.0.0.1", "" },
	{ "timeout", "0.5", "0.5", "0" },
	{ "collector", "plain", "plain", "magic" },
	{ "budget", "25", "25", "101" },
	{ "agent", NULL, "1", NULL },
	{ "demo", NULL, "1", NULL },
	{ "pane", "ets", "ets", "nope" },
	{ "pid", "<0.1.0>", "<0.1.0>", NULL },
	{ "read-only", NULL, "1", NULL },
	{ "no-color", NULL, "1", NULL },
	{ "help", NULL, "1", NULL },
	{ "version", NULL, "1", NULL },
};
#define N_CLI_CASES (sizeof cli_cases / sizeof cli_cases[0])

static const struct options_def *row_named(const char *name)
{
	size_t i;

	for (i = 0; i < options_count; i++)
		if (options_table[i].name && strcmp(options_table[i].name, name) == 0)
			return &options_table[i];
	return NULL;
}

START_TEST(every_option_has_a_case)
{
	size_t i, j;

	for (i = 0; i < options_count; i++) {
		if (!options_table[i].name)
			continue;
		for (j = 0; j < N_CLI_CASES; j++)
			if (strcmp(cli_cases[j].name, options_table[i].name) == 0)
				break;
		ck_assert_msg(j < N_CLI_CASES, "--%s has no case here",
			      options_table[i].name);
	}
	for (j = 0; j < N_CLI_CASES; j++)
		ck_assert_msg(row_named(cli_cases[j].name) != NULL, "no --%s",
			      cli_cases[j].name);
}
END_TEST

/* argv of --NAME [VALUE] (or -X [VALUE]) and a node, unless the option
 * stands alone (--demo starts its own node). */
static int cli_args(const char **argv, const char *flag, const char *val)
{
	int n = 0;

	argv[n++] = "beamtop";
	argv[n++] = flag;
	if (val)
		argv[n++] = val;
	if (strcmp(flag, "--demo") != 0)
		argv[n++] = "n@h";
	argv[n] = NULL;
	return n;
}

START_TEST(every_option_taken_by_both_names)
{
	const struct options_def *d = row_named(cli_cases[_i].name);
	const char *argv[6];
	char flag[40], err[256], buf[300];
	struct opts o;

	snprintf(flag, sizeof flag, "--%s", d->name);
	ck_assert_msg(parse(&o, err, sizeof err,
			    cli_args(argv, flag, cli_cases[_i].good), argv) == 0,
		      "%s: %s", flag, err);
	ck_assert_int_eq(options_format(&o, d, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, cli_cases[_i].written);
	if (!d->short_name)
		return;
	snprintf(flag, sizeof flag, "-%c", d->short_name);
	ck_assert_int_eq(parse(&o, err, sizeof err,
			       cli_args(argv, flag, cli_cases[_i].good), argv), 0);
	ck_assert_int_eq(options_format(&o, d, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, cli_cases[_i].written);
}
END_TEST

START_TEST(every_option_refuses_by_its_name)
{
	const struct options_def *d = row_named(cli_cases[_i].name);
	const char *argv[6];
	char flag[40], err[256];
	struct opts o;

	if (!cli_cases[_i].good) {
		/* A flag refuses a value. */
		snprintf(flag, sizeof flag, "--%s=1", d->name);
		ck_assert_int_eq(parse(&o, err, sizeof err,
				       cli_args(argv, flag, NULL), argv), -1);
		ck_assert_msg(strstr(err, "takes no value"), "%s: %s", flag, err);
	} else if (cli_cases[_i].bad) {
		snprintf(flag, sizeof flag, "--%s", d->name);
		ck_assert_int_eq(parse(&o, err, sizeof err,
				       cli_args(argv, flag, cli_cases[_i].bad), argv),
				 -1);
		ck_assert_msg(strncmp(err, flag, strlen(flag)) == 0 &&
			      strstr(err, "is not"), "%s: %s", flag, err);
	}
	/* Any value-taking option wants its value. */
	if (cli_cases[_i].good) {
		snprintf(flag, sizeof flag, "--%s", d->name);
		argv[0] = "beamtop";
		argv[1] = flag;
		argv[2] = NULL;
		ck_assert_int_eq(parse(&o, err, sizeof err, 2, argv), -1);
		ck_assert_msg(strstr(err, "needs a value"), "%s: %s", flag, err);
	}
}
END_TEST

START_TEST(defaults_are_values_of_their_row)
{
	struct opts o;
	char err[256], buf[300];
	size_t i;

	for (i = 0; i < options_count; i++) {
		const struct options_def *d = &options_table[i];

		if (!d->def)
			continue;
		memset(&o, 0, sizeof o);
		ck_assert_msg(options_set(&o, d, d->def, err, sizeof err) == 0,
			      "row %zu: default '%s' refused", i, d->def);
		ck_assert_int_eq(options_format(&o, d, buf, sizeof buf), 0);
		ck_assert_str_eq(buf, d->def);
	}
	opts_init(&o);
	ck_assert_int_eq(o.iterations, 0);
	ck_assert_uint_eq(o.timeout_ms, 5000);
	ck_assert_uint_eq(o.budget, 10);
	ck_assert_int_eq(o.source, PROCS_AUTO);
	ck_assert_str_eq(o.pane, "processes");
	ck_assert_uint_eq(o.window_s, 0);
	ck_assert_int_eq(o.no_color, 0);
}
END_TEST

/* What the other parts rely on: an option has its help and man lines; a
 * saved setting does not point into argv; a short name is a letter. */
START_TEST(rows_are_whole)
{
	size_t i;

	for (i = 0; i < options_count; i++) {
		const struct options_def *d = &options_table[i];

		ck_assert_msg(d->name || d->key, "row %zu has no name", i);
		if (d->name) {
			ck_assert_msg(d->help && d->man, "--%s: help or man", d->name);
			ck_assert_int_eq(d->man[strlen(d->man) - 1], '\n');
			ck_assert_msg((d->type == OPTIONS_FLAG) == !d->arg,
				      "--%s: a value iff an arg name", d->name);
		}
		if (d->key)
			ck_assert_msg(d->type != OPTIONS_STRING, "%s: saved", d->key);
		if (d->type == OPTIONS_CUSTOM)
			ck_assert(d->parse && d->format);
		if (d->type == OPTIONS_CHOICE)
			ck_assert_ptr_nonnull(d->names);
		if (d->short_name)
			ck_assert_ptr_eq(options_by_short(d->short_name), d);
		if (d->key)
			ck_assert_ptr_eq(options_by_key(d->key), d);
	}
}
END_TEST

/* f's whole text (freed by the caller). */
static char *slurp(FILE *f)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	do {
		if (len + 4096 > cap) {
			cap = 2 * cap + 4096;
			buf = realloc(buf, cap + 1);
			ck_assert_ptr_nonnull(buf);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	return buf;
}

START_TEST(help_from_the_table)
{
	char *text = NULL, flag[40];
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	int lines = 0;
	const char *p;

	ck_assert_ptr_nonnull(f);
	opts_usage(f);
	fclose(f);
	ck_assert_int_eq(strncmp(text, "usage: beamtop", 14), 0);
	for (p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_int_lt(lines, 40);
	for (i = 0; i < options_count; i++) {
		if (!options_table[i].name)
			continue;
		snprintf(flag, sizeof flag, "--%s ", options_table[i].name);
		ck_assert_msg(strstr(text, flag), "--help lacks %s", flag);
	}
	free(text);
}
END_TEST

/* make man-options writes man/beamtop.1's OPTIONS from the table; the
 * committed page must be what it writes (check-unit runs at the top of the
 * repository). */
START_TEST(man_page_in_step)
{
	FILE *in = fopen("man/beamtop.1", "r"), *out;
	char *want = NULL, *have;
	size_t len = 0;

	ck_assert_msg(in != NULL, "man/beamtop.1: run from the repository's top");
	out = open_memstream(&want, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(options_man(in, out), 0);
	fclose(out);
	rewind(in);
	have = slurp(in);
	fclose(in);
	ck_assert_msg(strcmp(want, have) == 0,
		      "man/beamtop.1's OPTIONS differ from the options table: "
		      "run make man-options");
	ck_assert_ptr_nonnull(strstr(want, "\n.BR \\-d \", \" \\-\\-delay \" \\fISECONDS\\fR\"\n"));
	free(want);
	free(have);
}
END_TEST

Suite *opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, defaults_and_values);
	tcase_add_test(tc, bad_values_name_the_option);
	tcase_add_test(tc, every_option_has_a_case);
	tcase_add_loop_test(tc, every_option_taken_by_both_names, 0, N_CLI_CASES);
	tcase_add_loop_test(tc, every_option_refuses_by_its_name, 0, N_CLI_CASES);
	tcase_add_test(tc, defaults_are_values_of_their_row);
	tcase_add_test(tc, rows_are_whole);
	tcase_add_test(tc, help_from_the_table);
	tcase_add_test(tc, man_page_in_step);
	suite_add_tcase(s, tc);
	return s;
}
