/*
 * format.h - turning numbers and ids into the text an operator reads.
 * Every function writes a NUL-terminated string into buf (truncated to n)
 * and returns buf, so calls can be nested in printf arguments.
 */
#ifndef BEAMTOP_FORMAT_H
#define BEAMTOP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/decode.h"

/* 1023 B, 1.5 KiB, 12.3 MiB, 4.0 GiB: at most 9 characters. */
char *fmt_bytes(char *buf, size_t n, double bytes);
/* 999, 1.2k, 34.5M, 1.2G: at most 6 characters; negative keeps its sign. */
char *fmt_count(char *buf, size_t n, double v);
/* <0.123.0> as the target's own shell prints its pids. */
char *fmt_pid(char *buf, size_t n, const struct bt_pid *p);
/* #Port<0.5> */
char *fmt_port(char *buf, size_t n, const struct bt_port *p);
/* #Ref<0.3.2.1>: the words in the order Erlang prints them. */
char *fmt_ref(char *buf, size_t n, const struct bt_ref *r);
/* 3d 04:05:06, or 04:05:06 under a day. */
char *fmt_uptime(char *buf, size_t n, uint64_t ms);
/* 45.2% or "  n/a" for a negative (unknown) ratio. */
char *fmt_percent(char *buf, size_t n, double ratio);

/* Parses "<0.123.0>" or "0.123.0" (the middle numbers of a local pid).
 * Returns 0, or -1 when s is not a pid. */
int parse_pid(const char *s, struct bt_pid *p);

/* Parses a positive decimal number of seconds (e.g. "2", "0.5"); returns
 * 0 with milliseconds in *ms, or -1. */
int parse_seconds(const char *s, unsigned *ms);
/* Parses a non-negative integer no larger than max; returns 0 or -1. */
int parse_uint(const char *s, unsigned long max, unsigned long *v);

#endif
