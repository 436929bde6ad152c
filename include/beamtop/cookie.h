/*
 * cookie.h - finding the distribution cookie the way erl does, without
 * ever printing it.
 */
#ifndef BEAMTOP_COOKIE_H
#define BEAMTOP_COOKIE_H

#include <stddef.h>

/* Longest cookie accepted (ei's own limit). */
#define COOKIE_MAX 512

/* Picks the cookie: `value` (from --cookie) if given, else the file `file`
 * (from --cookie-file), else $ERLANG_COOKIE, else ~/.erlang.cookie.
 * ~/.erlang.cookie readable by group or others is refused, as erl refuses
 * it; a `file` named on purpose is read all the same, with a warning.  A
 * cookie with anything but printable ASCII once its trailing blanks are
 * trimmed is refused.
 * Returns 0 with the cookie in out (NUL-terminated); 1 with the cookie
 * in out and a one-line warning in err; or -1 with a one-line reason in
 * err.  err never contains the cookie. */
int cookie_load(const char *value, const char *file, char *out, size_t outlen,
		char *err, size_t errlen);

/* Overwrites a cookie buffer so that it does not linger in memory. */
void cookie_wipe(char *buf, size_t len);

#endif
