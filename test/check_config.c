/*
 * check_config.c - the settings file: every setting read back by name,
 * what is refused (and how it is reported), and save then load; each row
 * of the options table that has a key read, refused, saved and read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beamtop/config.h"
#include "beamtop/fields.h"
#include "beamtop/options.h"
#include "beamtop/opts.h"
#include "check_suites.h"

static char dir[64], path[128];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/beamtop-cfg-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sub/config", dir);
	unsetenv("NO_COLOR");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *text)
{
	char d[160];
	FILE *f;

	snprintf(d, sizeof d, "%s/sub", dir);
	mkdir(d, 0700);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(reads_every_setting)
{
	struct opts o;
	char err[300];

	opts_init(&o);
	write_file("# a comment\n\ninterval = 0.5\n  pane=ets \nsort = mq\ncolor = off\n"
		   "budget = 25\nwindow = 10\nlines = 7\ncolumns = pid, name,memory\n");
	ck_assert_int_eq(config_load(&o, path, err, sizeof err), 0);
	ck_assert_uint_eq(o.delay_ms, 500);
	ck_assert_str_eq(o.pane, "ets");
	ck_assert_int_eq(o.sort, SORT_MQ);
	ck_assert_int_eq(o.no_color, 1);
	ck_assert_uint_eq(o.budget, 25);
	ck_assert_uint_eq(o.window_s, 10);
	ck_assert_uint_eq(o.lines, 7);
	ck_assert_str_eq(o.columns, "pid, name,memory");
}
END_TEST

START_TEST(missing_file_is_fine)
{
	struct opts o;
	char err[300];

	opts_init(&o);
	ck_assert_int_eq(config_load(&o, "/nonexistent/beamtop/config", err,
				     sizeof err), 0);
	ck_assert_uint_eq(o.delay_ms, 2000);
}
END_TEST

#define REFUSED(text, needle) do { \
	struct opts o; \
	char err[300]; \
	opts_init(&o); \
	write_file(text); \
	ck_assert_int_eq(config_load(&o, path, err, sizeof err), -1); \
	ck_assert_msg(strstr(err, needle) != NULL, "'%s' lacks '%s'", err, needle); \
	ck_assert_msg(strstr(err, path) != NULL, "'%s' does not name the file", err); \
} while (0)

START_TEST(refusals_name_the_line)
{
	REFUSED("interval = 1\nsort = colour\n", ":2: 'colour' is not a valid sort");
	REFUSED("pane = nowhere\n", "not a valid pane");
	REFUSED("window = 30\n", "not a valid window");
	REFUSED("frobnicate = 1\n", ":1: unknown setting 'frobnicate'");
	REFUSED("just words\n", "expected name = value");
	REFUSED("columns = pid,colour\n", "'colour' is not a column");
	REFUSED("budget = 0\n", "not a valid budget");
}
END_TEST

START_TEST(save_then_load)
{
	struct opts a, b;
	char err[300];
	int cols[16];

	opts_init(&a);
	a.delay_ms = 3000;
	a.pane = "schedulers";
	a.sort = SORT_REDS_RATE;
	a.no_color = 1;
	a.window_s = 60;
	a.budget = 50;
	snprintf(a.columns, sizeof a.columns, "pid,memory,name");
	a.ets_sort = ETS_SORT_GROWTH;
	a.ports_sort = PORT_SORT_QUEUE;
	ck_assert_int_eq(config_save(&a, path, err, sizeof err), 0);
	opts_init(&b);
	ck_assert_int_eq(config_load(&b, path, err, sizeof err), 0);
	ck_assert_uint_eq(b.delay_ms, 3000);
	ck_assert_str_eq(b.pane, "schedulers");
	ck_assert_int_eq(b.sort, SORT_REDS_RATE);
	ck_assert_int_eq(b.no_color, 1);
	ck_assert_uint_eq(b.window_s, 60);
	ck_assert_uint_eq(b.budget, 50);
	ck_assert_int_eq(b.ets_sort, ETS_SORT_GROWTH);
	ck_assert_int_eq(b.ports_sort, PORT_SORT_QUEUE);
	ck_assert_int_eq(config_columns(b.columns, cols, 16, err, sizeof err), 3);
	ck_assert_str_eq(fields_proc.f[cols[0]].name, "pid");
	ck_assert_str_eq(fields_proc.f[cols[1]].name, "memory");
	ck_assert_str_eq(fields_proc.f[cols[2]].name, "name");
}
END_TEST

/* For each name of the file: a value it takes, how it is saved, and a
 * value it refuses. */
static const struct {
	const char *key, *good, *written, *bad;
} file_cases[] = {
	{ "interval", "0.25", "0.25", "0.01" },
	{ "sort", "reds", "reductions_per_sec", "colour" },
	{ "lines", "7", "7", "0" },
	{ "budget", "100", "100", "0" },
	{ "pane", "ports", "ports", "nowhere" },
	{ "color", "off", "off", "blue" },
	{ "window", "60", "60", "30" },
	{ "columns", "pid,memory,name", "pid,memory,name", "pid,colour" },
	{ "ets_sort", "size", "size", "owner" },
	{ "ports_sort", "input_per_sec", "input_per_sec", "heap" },
};
#define N_FILE_CASES (sizeof file_cases / sizeof file_cases[0])

START_TEST(every_setting_has_a_case)
{
	size_t i, j;

	for (i = 0; i < options_count; i++) {
		if (!options_table[i].key)
			continue;
		for (j = 0; j < N_FILE_CASES; j++)
			if (strcmp(file_cases[j].key, options_table[i].key) == 0)
				break;
		ck_assert_msg(j < N_FILE_CASES, "setting %s has no case here",
			      options_table[i].key);
	}
	for (j = 0; j < N_FILE_CASES; j++)
		ck_assert_msg(options_by_key(file_cases[j].key) != NULL,
			      "no setting %s", file_cases[j].key);
}
END_TEST

/* The panes' sort settings name each key as its field table does. */
START_TEST(list_sorts_are_the_field_tables)
{
	static const struct {
		const char *key;
		const struct field_list *l;
		int count;
	} lists[] = {
		{ "ets_sort", &fields_ets, ETS_SORT_COUNT_ },
		{ "ports_sort", &fields_port, PORT_SORT_COUNT_ },
	};
	size_t i, j;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		const struct options_def *d = options_by_key(lists[i].key);

		ck_assert_ptr_nonnull(d);
		for (j = 0; d->names[j]; j++) {
			ck_assert_int_eq(field_sort_parse(lists[i].l, d->names[j]),
					 (int)d->values[j]);
			ck_assert_str_eq(field_sort_name(lists[i].l, (int)d->values[j]),
					 d->names[j]);
		}
		ck_assert_int_eq((int)j, lists[i].count);
	}
}
END_TEST

START_TEST(every_setting_read_refused_saved)
{
	const struct options_def *d = options_by_key(file_cases[_i].key);
	struct opts a, b;
	char line[200], err[300], buf[300];

	/* Read, from a line as a person would write it. */
	opts_init(&a);
	snprintf(line, sizeof line, "%s = %s\n", d->key, file_cases[_i].good);
	write_file(line);
	ck_assert_msg(config_load(&a, path, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(options_format(&a, d, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, file_cases[_i].written);
	/* Saved by name, and read back the same. */
	ck_assert_int_eq(config_save(&a, path, err, sizeof err), 0);
	opts_init(&b);
	ck_assert_int_eq(config_load(&b, path, err, sizeof err), 0);
	ck_assert_int_eq(options_format(&b, d, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, file_cases[_i].written);
	/* Refused, naming the file and the line, and leaving o as it was. */
	snprintf(line, sizeof line, "%s = %s\n", d->key, file_cases[_i].bad);
	write_file(line);
	ck_assert_int_eq(config_load(&b, path, err, sizeof err), -1);
	ck_assert_msg(strstr(err, ":1: '") != NULL, "%s", err);
	ck_assert_int_eq(options_format(&b, d, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, file_cases[_i].written);
}
END_TEST

/* A file written before the options table (the order and the names F2
 * used then) reads the same. */
START_TEST(reads_files_saved_before)
{
	struct opts o;
	char err[300];

	opts_init(&o);
	write_file("# beamtop settings (saved with F2); the command line overrides "
		   "them.\ninterval = 3\npane = ets\nsort = memory_per_sec\n"
		   "color = on\nbudget = 10\nwindow = 10\nlines = 20\n"
		   "columns = pid,name,memory\n");
	ck_assert_int_eq(config_load(&o, path, err, sizeof err), 0);
	ck_assert_uint_eq(o.delay_ms, 3000);
	ck_assert_str_eq(o.pane, "ets");
	ck_assert_int_eq(o.sort, SORT_MEM_RATE);
	ck_assert_int_eq(o.no_color, 0);
	ck_assert_uint_eq(o.window_s, 10);
	ck_assert_str_eq(o.columns, "pid,name,memory");
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("file");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reads_every_setting);
	tcase_add_test(tc, missing_file_is_fine);
	tcase_add_test(tc, refusals_name_the_line);
	tcase_add_test(tc, save_then_load);
	tcase_add_test(tc, every_setting_has_a_case);
	tcase_add_test(tc, list_sorts_are_the_field_tables);
	tcase_add_loop_test(tc, every_setting_read_refused_saved, 0, N_FILE_CASES);
	tcase_add_test(tc, reads_files_saved_before);
	suite_add_tcase(s, tc);
	return s;
}
