/*
 * drill.c - the drill-down's content (see drill.h): its sections, and the
 * steps every renderer takes to read an answer into one (drill_priv.h).
 *
 * The renderers themselves live by what they show: drill_proc.c (a
 * process: info, stack, dictionary, ancestors, links, binaries),
 * drill_queue.c (its messages and state), drill_port.c (an ETS table or a
 * port).  Every renderer tolerates keys it does not know (skipped) and
 * keys that are missing (their line is left out), as OTP versions differ
 * in what process_info, ets:info and port_info return.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill_priv.h"

const char *const drill_sec_name[SEC_COUNT_] = {
	[SEC_INFO] = "info", [SEC_STACK] = "stack", [SEC_LINKS] = "links",
	[SEC_DICT] = "dictionary", [SEC_ANCESTORS] = "ancestors",
	[SEC_MSGS] = "messages", [SEC_STATE] = "state", [SEC_OBJECTS] = "objects",
	[SEC_INET] = "inet", [SEC_BINARY] = "binaries",
};

void drill_reset(struct drill *d, enum drill_kind kind)
{
	struct dsection keep[SEC_COUNT_];
	unsigned ws = d->wordsize;
	int i, ex = d->elixir, width = d->width;

	/* The sections' room is kept for the next answers. */
	for (i = 0; i < SEC_COUNT_; i++)
		keep[i] = d->sec[i];
	memset(d, 0, sizeof *d);
	for (i = 0; i < SEC_COUNT_; i++) {
		d->sec[i].line = keep[i].line;
		d->sec[i].room = keep[i].room;
		d->sec[i].text = keep[i].text;
		d->sec[i].size = keep[i].size;
	}
	d->kind = kind;
	d->wordsize = ws ? ws : 8;
	d->elixir = ex;
	d->width = width;
}

void drill_free(struct drill *d)
{
	int i;

	for (i = 0; i < SEC_COUNT_; i++) {
		free(d->sec[i].line);
		free(d->sec[i].text);
		memset(&d->sec[i], 0, sizeof d->sec[i]);
	}
}

/* Room in s for lines lines and bytes of text.  Returns 0, or -1. */
static int reserve(struct dsection *s, int lines, size_t bytes)
{
	size_t size;
	int room;
	void *p;

	if (lines > s->room) {
		for (room = s->room ? s->room : 64; room < lines; room *= 2)
			;
		if (!(p = realloc(s->line, (size_t)room * sizeof *s->line)))
			return -1;
		s->line = p;
		s->room = room;
	}
	if (bytes > s->size) {
		for (size = s->size ? s->size : 4096; size < bytes; size *= 2)
			;
		if (!(p = realloc(s->text, size)))
			return -1;
		s->text = p;
		s->size = size;
	}
	return 0;
}

int drill_copy(struct drill *dst, const struct drill *src)
{
	struct dsection keep[SEC_COUNT_];
	int i, rc = 0;

	for (i = 0; i < SEC_COUNT_; i++)
		keep[i] = dst->sec[i];
	memcpy(dst, src, sizeof *dst);
	for (i = 0; i < SEC_COUNT_; i++) {
		struct dsection *t = &dst->sec[i];
		const struct dsection *f = &src->sec[i];

		t->line = keep[i].line;
		t->room = keep[i].room;
		t->text = keep[i].text;
		t->size = keep[i].size;
		if (f->n == 0)
			continue;
		if (reserve(t, f->n, f->used) < 0) {
			t->n = 0;
			t->used = 0;
			drill_fail(t, "out of memory");
			rc = -1;
			continue;
		}
		memcpy(t->line, f->line, (size_t)f->n * sizeof *f->line);
		memcpy(t->text, f->text, f->used);
	}
	return rc;
}

const char *drill_text(const struct dsection *s, int i)
{
	return s->text + s->line[i].off;
}

/* Appends a line of len bytes of text. */
static struct dline *add_text(struct dsection *s, const char *text, size_t len)
{
	struct dline *l;

	char full[80];

	if (s->n >= DRILL_LINES - 1 || len >= UINT32_MAX / 2 - s->used ||
	    reserve(s, s->n + 1, s->used + len + 1) < 0) {
		/* The last line says so. */
		size_t n = (size_t)snprintf(full, sizeof full, "\u2026(the rest is not "
					    "kept: a section holds at most %d lines)",
					    DRILL_LINES) + 1;

		if (s->dropped++ == 0 && s->n < DRILL_LINES &&
		    reserve(s, s->n + 1, s->used + n) == 0) {
			memset(&s->line[s->n], 0, sizeof s->line[s->n]);
			s->line[s->n++].off = (uint32_t)s->used;
			memcpy(s->text + s->used, full, n);
			s->used += n;
		}
		return NULL;
	}
	l = &s->line[s->n++];
	memset(l, 0, sizeof *l);
	l->off = (uint32_t)s->used;
	memcpy(s->text + s->used, text, len);
	s->text[s->used + len] = '\0';
	s->used += len + 1;
	return l;
}

struct dline *drill_add(struct dsection *s, const char *fmt, ...)
{
	char small[512], *big = NULL;
	struct dline *l;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof small) {
		if (!(big = malloc((size_t)len + 1))) {
			s->dropped++;
			return NULL;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	l = add_text(s, big ? big : small, (size_t)len);
	free(big);
	return l;
}

/* The bytes of the first cols characters of s (len bytes). */
static size_t chars_fit(const char *s, size_t len, int cols)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && cols-- <= 0)
			break;
	return i;
}

/* A line of a laid-out term into lines of s, the first after prefix (of
 * used characters): an atom or a string wider than the width goes on in
 * lines of width characters, each of which the keys reach. */
static void add_term_line(struct dsection *s, const char *prefix, int used,
			  const char *line, size_t len, int width)
{
	size_t n = chars_fit(line, len, width - used > 1 ? width - used : 1);

	drill_add(s, "%s%.*s", prefix, (int)n, line);
	for (line += n, len -= n; len > 0; line += n, len -= n) {
		n = chars_fit(line, len, width);
		add_text(s, line, n);
	}
}

int drill_term(const struct drill *d, struct dsection *s, struct tdec *r,
	       const char *prefix, int indent)
{
	struct tstyle st;
	const char *p;
	char *text, *line, *nl;
	int first = 1;

	memset(&st, 0, sizeof st);
	st.syntax = d->elixir ? TSYN_ELIXIR : TSYN_ERLANG;
	st.width = d->width > 0 ? d->width : DRILL_TERM_WIDTH;
	for (p = prefix; *p; p++)
		st.first += ((unsigned char)*p & 0xc0) != 0x80;
	st.indent = indent;
	st.mark = &d->mark;
	if (tdec_pretty(r, &st, &text) < 0)
		return -1;
	for (line = text;; line = nl + 1, first = 0) {
		nl = strchr(line, '\n');
		add_term_line(s, first ? prefix : "", first ? st.first : 0, line,
			      nl ? (size_t)(nl - line) : strlen(line), st.width);
		if (!nl)
			break;
	}
	free(text);
	return 0;
}

double drill_cap(const struct drill *d)
{
	return (double)(d->cap ? d->cap : DRILL_CAP_BYTES);
}

void drill_begin(struct dsection *s)
{
	s->state = SEC_OK;
	s->n = 0;
	s->why[0] = '\0';
}

void drill_fail(struct dsection *s, const char *why)
{
	s->state = SEC_FAILED;
	snprintf(s->why, sizeof s->why, "%.*s", (int)sizeof s->why - 1,
		 why ? why : "unexpected answer");
}

int drill_answered(struct drill *d, struct dsection *s, struct tdec *r,
		   const char *why, const char *gone_text)
{
	if (!r) {
		drill_fail(s, why);
		return 0;
	}
	if (tdec_atom_is(r, "undefined")) {
		d->gone = 1;
		if (gone_text)
			drill_fail(s, gone_text);
		return 0;
	}
	return 1;
}

int drill_value_text(const struct drill *d, struct tdec *r, char *out,
		     size_t n)
{
	struct tstyle st;

	memset(&st, 0, sizeof st);
	st.syntax = d->elixir ? TSYN_ELIXIR : TSYN_ERLANG;
	st.mark = &d->mark;
	return tdec_print_style(r, &st, out, n);
}

void drill_target_pid(struct dline *l, const struct bt_pid *pid)
{
	if (!l)
		return;
	l->target = DT_PID;
	l->pid = *pid;
}
