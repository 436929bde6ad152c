/*
 * check_cookie.c - where the cookie comes from, and what is refused.
 * Messages must never contain the cookie.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beamtop/cookie.h"
#include "check_suites.h"

static char dir[64];

static void mkfile(const char *name, const char *text, mode_t mode, char *path,
		   size_t n)
{
	int fd;

	snprintf(path, n, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	chmod(path, mode);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/beamtop-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	unsetenv("ERLANG_COOKIE");
	setenv("HOME", dir, 1);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(precedence)
{
	char out[COOKIE_MAX + 1], err[256], path[128], home[128];

	mkfile(".erlang.cookie", "HOMECOOKIE\n", 0400, home, sizeof home);
	mkfile("explicit", "FILECOOKIE \n", 0600, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, NULL, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "HOMECOOKIE");
	setenv("ERLANG_COOKIE", "ENVCOOKIE", 1);
	ck_assert_int_eq(cookie_load(NULL, NULL, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "ENVCOOKIE");
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "FILECOOKIE");
	ck_assert_int_eq(cookie_load("ARGCOOKIE", NULL, out, sizeof out, err,
				     sizeof err), 0);
	ck_assert_str_eq(out, "ARGCOOKIE");
}
END_TEST

START_TEST(refusals)
{
	char out[COOKIE_MAX + 1], err[256], path[128], big[COOKIE_MAX + 10];

	ck_assert_int_eq(cookie_load(NULL, NULL, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "does not exist"));
	/* erl's rule: ~/.erlang.cookie readable by others is refused. */
	mkfile(".erlang.cookie", "SECRETCOOKIE", 0644, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, NULL, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "owner only"));
	ck_assert_ptr_null(strstr(err, "SECRETCOOKIE"));
	unlink(path);
	mkfile("empty", "\n", 0400, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	mkfile("big", big, 0400, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer"));
	ck_assert_int_eq(cookie_load(NULL, "/nonexistent/c", out, sizeof out, err,
				     sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/c"));
}
END_TEST

/* A file named with --cookie-file is read whatever its mode (mix release
 * writes releases/COOKIE with 644), with a warning that names the mode. */
START_TEST(named_file_open_to_others_warns)
{
	char out[COOKIE_MAX + 1], err[256], path[128];

	mkfile("COOKIE", "RELEASECOOKIE\n", 0644, path, sizeof path);
	err[0] = '\0';
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), 1);
	ck_assert_str_eq(out, "RELEASECOOKIE");
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "mode 644"));
	ck_assert_ptr_null(strstr(err, "RELEASECOOKIE"));
	ck_assert_ptr_null(strchr(err, '\n'));
	/* What is wrong in it is still refused. */
	mkfile("COOKIE", "\n", 0644, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	mkfile("COOKIE", "OWNERCOOKIE\n", 0400, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), 0);
}
END_TEST

/* Like erl: printable ASCII only, once the trailing newline is gone. */
START_TEST(bad_characters)
{
	static const char *const bad[] = { "SEC\nRET\n", "SEC\tRET", "SEC\033RET",
					   "SEC\xc3\xa9RET" };
	char out[COOKIE_MAX + 1], err[256], path[128];
	size_t i;
	int fd;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		mkfile("bad", bad[i], 0400, path, sizeof path);
		ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err,
					     sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, "bad characters in cookie (from "));
		ck_assert_ptr_nonnull(strstr(err, path));
		ck_assert_ptr_null(strstr(err, "SEC"));
		unlink(path);
	}
	/* A NUL inside: mkfile writes a C string, so write it here. */
	snprintf(path, sizeof path, "%s/nul", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0400);
	ck_assert_int_eq(write(fd, "SEC\0RET\n", 8), 8);
	close(fd);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad characters"));
	setenv("ERLANG_COOKIE", "SEC\nRET", 1);
	ck_assert_int_eq(cookie_load(NULL, NULL, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "(from $ERLANG_COOKIE)"));
	mkfile("good", "a b~!\r\n", 0400, path, sizeof path);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "a b~!");
}
END_TEST

/* A FIFO would block open() forever; it, a directory and a device are
 * refused at once (the test's timeout catches a block). */
START_TEST(not_regular)
{
	char out[COOKIE_MAX + 1], err[256], path[128];

	snprintf(path, sizeof path, "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0400), 0);
	ck_assert_int_eq(cookie_load(NULL, path, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file (a FIFO)"));
	ck_assert_int_eq(cookie_load(NULL, dir, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file (a directory)"));
	ck_assert_int_eq(cookie_load(NULL, "/dev/zero", out, sizeof out, err,
				     sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file (a device)"));
	snprintf(path, sizeof path, "%s/.erlang.cookie", dir);
	ck_assert_int_eq(mkfifo(path, 0400), 0);
	ck_assert_int_eq(cookie_load(NULL, NULL, out, sizeof out, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "a FIFO"));
}
END_TEST

Suite *cookie_suite(void)
{
	Suite *s = suite_create("cookie");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, precedence);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, named_file_open_to_others_warns);
	tcase_add_test(tc, not_regular);
	tcase_add_test(tc, bad_characters);
	suite_add_tcase(s, tc);
	return s;
}
