/*
 * format.h - turning numbers and ids into the text an operator reads.
 * Every function writes a NUL-terminated string into buf (truncated to n)
 * and returns buf, so calls can be nested in printf arguments.
 */
#ifndef BEAMTOP_FORMAT_H
#define BEAMTOP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

struct bt_pid;
struct bt_port;
struct bt_ref;

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
/* An integer of any size in decimal, from its magnitude in base 256,
 * least significant byte first (as the external format carries it).
 * Writes "..." instead of digits that do not fit in buf. */
char *fmt_bigint(char *buf, size_t n, int negative, const unsigned char *mag,
		 size_t len);
/* 3d 04:05:06, or 04:05:06 under a day. */
char *fmt_uptime(char *buf, size_t n, uint64_t ms);
/* 45.2% or "  n/a" for a negative (unknown) ratio. */
char *fmt_percent(char *buf, size_t n, double ratio);

/* A name that is an Elixir alias (the atom 'Elixir.MyApp.Worker') as
 * Elixir writes it, MyApp.Worker: a pointer into name, past "Elixir.";
 * any other name as it is. */
const char *fmt_alias(const char *name);

/* Names come from the node and may hold any byte: what would act on a
 * terminal (controls, ESC sequences, CR/LF) or is not UTF-8 is shown as
 * an escape, \n \r \t \e \\ or \xNN (a NUL, kept by the decoder as
 * the bytes C0 80, is \x00).  FMT_ESC_MAX is the longest escape with its
 * NUL. */
#define FMT_ESC_MAX 5
/* The length of the valid UTF-8 character at s (n > 0 bytes left), its
 * code point in *cp; 0 when it is not one. */
size_t fmt_utf8_char(const unsigned char *s, size_t n, uint32_t *cp);
/* The character at s (n > 0 bytes left): returns the bytes it takes, and
 * writes its escape into esc, or "" when it is shown as it is. */
size_t fmt_escape_char(const char *s, size_t n, char esc[FMT_ESC_MAX]);
/* s with every such character escaped (cut on a whole character). */
char *fmt_escape(char *buf, size_t n, const char *s);

/* A registered name as typed, the way either shell writes an atom
 * ('quoted', :name, :"quoted") or bare, into the atom's text (the quotes
 * and the colon taken off, \\ and \' unescaped). */
void parse_name(const char *s, char *atom, size_t n);

/* Parses "<0.123.0>" or "0.123.0" (the middle numbers of a local pid).
 * Returns 0, or -1 when s is not a pid. */
int parse_pid(const char *s, struct bt_pid *p);

/* Parses a positive decimal number of seconds (e.g. "2", "0.5"); returns
 * 0 with milliseconds in *ms, or -1. */
int parse_seconds(const char *s, unsigned *ms);
/* Parses a non-negative integer no larger than max; returns 0 or -1. */
int parse_uint(const char *s, unsigned long max, unsigned long *v);

#endif
