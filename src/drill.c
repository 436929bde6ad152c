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
#include <stdio.h>
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
	unsigned ws = d->wordsize;

	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->wordsize = ws ? ws : 8;
}

struct dline *drill_add(struct dsection *s, const char *fmt, ...)
{
	struct dline *l;
	va_list ap;

	if (s->n >= DRILL_LINES)
		return NULL;
	l = &s->line[s->n++];
	memset(l, 0, sizeof *l);
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	return l;
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
	return tdec_print_marked(r, out, n, &d->mark);
}

void drill_target_pid(struct dline *l, const struct bt_pid *pid)
{
	if (!l)
		return;
	l->target = DT_PID;
	l->pid = *pid;
}
