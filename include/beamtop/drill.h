/*
 * drill.h - the drill-down's content: what the node answered about one
 * process, table or port, rendered into lines by section.  Terms (a
 * state, messages, objects, values) are laid out over lines as the node's
 * own shell prints them (see tdec_pretty()), nothing left out but what is
 * said so; a line longer than the screen is wrapped there.  Lines that
 * name a process or port carry it as a target, so the screen can follow
 * it with Enter.  Rendering is pure (terms in, lines out) and is tested
 * without a node.
 */
#ifndef BEAMTOP_DRILL_H
#define BEAMTOP_DRILL_H

#include <stdint.h>

#include "beamtop/ids.h"

/* The answers come as terms (beamtop/decode.h); the screen, which only
 * shows the lines, needs no codec. */
struct tdec;

/* The most lines a section keeps (the rest are counted and said), and
 * the width terms are laid out in when the screen has not said. */
#define DRILL_LINES 5000
#define DRILL_WIDTH 240
#define DRILL_TERM_WIDTH 80

enum drill_kind { DRILL_NONE, DRILL_PROC, DRILL_ETS, DRILL_PORT, DRILL_BINLEAK };

enum drill_sec {
	SEC_INFO, SEC_STACK, SEC_LINKS, SEC_DICT, SEC_ANCESTORS, SEC_MSGS,
	SEC_STATE, SEC_OBJECTS, SEC_INET, SEC_BINARY, SEC_COUNT_
};

enum sec_state { SEC_EMPTY, SEC_PENDING, SEC_OK, SEC_FAILED };

enum dline_target { DT_NONE, DT_PID, DT_PORT };

struct dline {
	uint32_t off;            /* its text: drill_text() */
	uint8_t target;          /* enum dline_target */
	uint8_t heading;         /* a heading, not data */
	struct bt_pid pid;
	struct bt_port port;
};

/* A section's lines and their text live on the heap: drill_free() (or
 * drill_reset()) gives them back, drill_copy() copies them. */
struct dsection {
	enum sec_state state;
	char why[320];           /* FAILED: what happened; OK: a footnote */
	int n, room;             /* lines, and room for them in line[] */
	struct dline *line;
	char *text;              /* the lines' text, each NUL-terminated */
	size_t used, size;
	unsigned long dropped;   /* lines not kept (over DRILL_LINES) */
};

struct drill {
	enum drill_kind kind;
	struct bt_pid pid;
	struct bt_port port;
	struct bt_ref tab;
	char tabname[256];
	unsigned wordsize;       /* to turn words into bytes */
	int elixir;              /* the node runs Elixir: IEx's syntax */
	int width;               /* terms are laid out in this many columns */
	int gone;                /* the node says it no longer exists */
	int no_such_name;        /* the name looked up is registered to none */
	char initial[DRILL_WIDTH]; /* proc_lib's real initial call, if known */
	struct bt_ref mark;      /* parts cut on the node are marked with it */
	uint64_t cap;            /* what the node was let copy (bytes) */
	struct dsection sec[SEC_COUNT_];
};

/* Section names, for tabs and batch output. */
extern const char *const drill_sec_name[SEC_COUNT_];

/* Empties d and aims it at a target (sections EMPTY); the node's word
 * size, syntax and the width are kept. */
void drill_reset(struct drill *d, enum drill_kind kind);
/* Gives back what d's sections hold (d is then empty). */
void drill_free(struct drill *d);
/* Makes dst a copy of src, reusing dst's room.  Returns 0, or -1 when
 * out of memory (then dst's sections that could not be copied are
 * empty and say so). */
int drill_copy(struct drill *dst, const struct drill *src);
/* Line i's text. */
const char *drill_text(const struct dsection *s, int i);

/* The bounds the queries are sent with, for the texts that state them. */
#define DRILL_CAP_BYTES (8u << 20)  /* copies of a process's data */
#define DRILL_CAP_RAISED (64u << 20) /* after C, confirmed */
#define DRILL_MSGS_N 20
#define DRILL_MSGS_MAX_COPY 10000
#define DRILL_SAMPLE_MS 3000
#define DRILL_OBJECTS_K 20

/* Each renderer reads the answer to its query (see src/queries/) into d's
 * sections; r NULL means the query failed, `why` says how.  An answer of
 * `undefined` marks the target gone and keeps what d had. */
void drill_proc_info(struct drill *d, struct tdec *r, const char *why);
void drill_proc_detail(struct drill *d, struct tdec *r, const char *why);
void drill_proc_binary(struct drill *d, struct tdec *r, const char *why);
/* Returns 1 when the queue was too long or big to copy and can_sample
 * (then the caller samples it: tracing, so never when read-only). */
int drill_proc_messages(struct drill *d, struct tdec *r, const char *why,
			int can_sample);
void drill_proc_sample(struct drill *d, struct tdec *r, const char *why);
void drill_proc_state(struct drill *d, struct tdec *r, const char *why);
void drill_ets_info(struct drill *d, struct tdec *r, const char *why);
void drill_ets_objects(struct drill *d, struct tdec *r, const char *why);
void drill_port_info(struct drill *d, struct tdec *r, const char *why);

/* Appends a line to a section (NULL when it is full, or out of memory:
 * counted in dropped either way).  The line is valid until the next. */
struct dline *drill_add(struct dsection *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
