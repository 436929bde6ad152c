/*
 * cookie.c - reads the cookie (see cookie.h).
 *
 * We read it ourselves: given no cookie, ei goes to ~/.erlang.cookie on its
 * own and prints to stderr when that is missing, which would bypass the
 * checks and messages below.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beamtop/cookie.h"

void cookie_wipe(char *buf, size_t len)
{
	volatile char *p = buf;

	while (len--)
		*p++ = 0;
}

/* Trailing newlines and blanks are not part of a cookie (erl trims them). */
static size_t trim(char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
			 s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return n;
}

/* erl refuses a cookie file with anything but printable ASCII before the
 * trailing blanks ("Bad characters in cookie"); a node given such a
 * cookie by us would only say "authentication failed".  A NUL would also
 * cut the cookie short where ei takes its length. */
static int printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
			return 0;
	return 1;
}

static int store(const char *src, size_t n, char *out, size_t outlen,
		 const char *from, char *err, size_t errlen)
{
	if (n == 0) {
		snprintf(err, errlen, "the cookie from %s is empty", from);
		return -1;
	}
	if (!printable(src, n)) {
		snprintf(err, errlen, "bad characters in cookie (from %s)", from);
		return -1;
	}
	if (n > COOKIE_MAX || n >= outlen) {
		snprintf(err, errlen, "the cookie from %s is longer than %d bytes",
			 from, COOKIE_MAX);
		return -1;
	}
	memcpy(out, src, n);
	out[n] = '\0';
	return 0;
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISCHR(m) || S_ISBLK(m) ? "a device" : S_ISSOCK(m) ? "a socket" :
	       "not a file";
}

static int read_file(const char *path, int explicit, char *out, size_t outlen,
		     char *err, size_t errlen)
{
	char buf[COOKIE_MAX + 2];
	struct stat st;
	ssize_t n;
	int fd, rc, open_to_others;

	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer
	 * forever; it is refused below like any file that is not regular. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !explicit)
			snprintf(err, errlen, "no cookie: %s does not exist (use "
				 "--cookie-file or $ERLANG_COOKIE)", path);
		else
			snprintf(err, errlen, "cannot read cookie file %s: %s", path,
				 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0)
		st.st_mode = 0;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cookie file %s is not a regular file (%s)",
			 path, file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	/* erl's rule is for ~/.erlang.cookie; a file named on purpose (mix
	 * release writes releases/COOKIE with mode 644) is read, with a
	 * warning. */
	open_to_others = (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
	if (open_to_others && !explicit) {
		snprintf(err, errlen, "cookie file %s must be accessible by its "
			 "owner only (mode %03o; chmod 400 it)", path,
			 (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "cannot read cookie file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	rc = store(buf, trim(buf, (size_t)n), out, outlen, path, err, errlen);
	cookie_wipe(buf, sizeof buf);
	if (rc == 0 && open_to_others) {
		snprintf(err, errlen, "cookie file %s can be read by others (mode "
			 "%03o; chmod 400 it)", path, (unsigned)(st.st_mode & 0777));
		rc = 1;
	}
	return rc;
}

int cookie_load(const char *value, const char *file, char *out, size_t outlen,
		char *err, size_t errlen)
{
	const char *env, *home;
	char path[4096];

	if (value)
		return store(value, strlen(value), out, outlen, "--cookie", err,
			     errlen);
	if (file)
		return read_file(file, 1, out, outlen, err, errlen);
	env = getenv("ERLANG_COOKIE");
	if (env && *env)
		return store(env, strlen(env), out, outlen, "$ERLANG_COOKIE", err,
			     errlen);
	home = getenv("HOME");
	if (!home || !*home) {
		snprintf(err, errlen, "no cookie: $HOME is not set (use "
			 "--cookie-file or $ERLANG_COOKIE)");
		return -1;
	}
	snprintf(path, sizeof path, "%s/.erlang.cookie", home);
	return read_file(path, 0, out, outlen, err, errlen);
}
