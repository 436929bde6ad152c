/*
 * drill_priv.h - what the drill-down's renderers share: the common steps
 * of reading an answer into a section (drill.c), used by the renderers of
 * processes (drill_proc.c, drill_queue.c) and of tables and ports
 * (drill_port.c).
 */
#ifndef BEAMTOP_DRILL_PRIV_H
#define BEAMTOP_DRILL_PRIV_H

#include <stddef.h>

#include "beamtop/decode.h"
#include "beamtop/drill.h"

/* What the node was let copy, in bytes (C raises it, confirmed). */
double drill_cap(const struct drill *d);

/* Empties s for a fresh answer (state OK, no lines, no note). */
void drill_begin(struct dsection *s);

/* Marks s failed, saying why (NULL: an unexpected answer). */
void drill_fail(struct dsection *s, const char *why);

/* What every answer starts with: none (the call failed: why), or
 * 'undefined' (the process, table or port is gone: marked, and said in
 * the section when gone_text is given).  1 when there is more to read,
 * else 0. */
int drill_answered(struct drill *d, struct dsection *s, struct tdec *r,
		   const char *why, const char *gone_text);

/* A value as text on one line (bounded), in the node's syntax, parts cut
 * on the node marked by the printer.  Returns 0, or -1 (cursor not
 * moved). */
int drill_value_text(const struct drill *d, struct tdec *r, char *out,
		     size_t n);

/* The term under r laid out as the node's shell does (see
 * tdec_pretty()) into lines of s: the first after prefix, the next
 * lines indent columns in.  Returns 0, or -1 (cursor not moved). */
int drill_term(const struct drill *d, struct dsection *s, struct tdec *r,
	       const char *prefix, int indent);

/* Makes line l (NULL is fine: the section was full) lead to pid. */
void drill_target_pid(struct dline *l, const struct bt_pid *pid);

#endif
