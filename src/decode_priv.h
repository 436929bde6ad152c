/*
 * decode_priv.h - what the term printer's files share (see decode.h): the
 * output buffer, which knows its column and whether a line may still be
 * tried flat, and the text rules of the two shells (decode_text.c), which
 * the printer (decode_print.c) and its layout of containers
 * (decode_layout.c) write through it.
 */
#ifndef BEAMTOP_DECODE_PRIV_H
#define BEAMTOP_DECODE_PRIV_H

#include <stddef.h>

#include "beamtop/decode.h"

/* Elements and levels a one-line rendering shows before "..." (a name, a
 * reason in a status line); the drill-down's terms, pruned on the node,
 * are shown whole. */
#define PRINT_WIDTH 24
#define PRINT_DEPTH 6
/* Levels a laid-out term shows before it says that it goes deeper. */
#define PRETTY_DEPTH 100
/* Text a laid-out term may take before the rest is left out (said). */
#define PRETTY_MAX (1u << 20)

struct pbuf {
	char *out;
	size_t len, cap;
	int grow;                  /* realloc out as needed (a laid-out term) */
	int cut;                   /* something did not fit: said at the end */
	int oom;
	const struct tstyle *st;
	int ex;                    /* Elixir's syntax */
	int oneline;               /* never break: PRINT_WIDTH and PRINT_DEPTH apply */
	int flat;                  /* laying out one piece on one line (a try) */
	int limit;                 /* ... which must end before this column */
	int over;                  /* ... and did not */
	int col;                   /* column on the current line */
	int depth;                 /* nesting of what is being printed */
};

/* Appends text (n bytes); the column follows the characters. */
void pb_putn(struct pbuf *pb, const char *s, size_t n);
void pb_put(struct pbuf *pb, const char *s);
/* Starts a new line, indent columns in. */
void pb_nl(struct pbuf *pb, int indent);

/* Any term, laid out from the current column: ind is the nesting's
 * indentation (Elixir's lines start there), trail the columns that must
 * follow it on its last line (a comma, closing brackets).  The cursor
 * moves past the term; -1 on a malformed term. */
int pp_term(struct tdec *d, struct pbuf *pb, int ind, int trail);

/* The containers (decode_layout.c): d is on the term, of the kind. */
int pp_list(struct tdec *d, struct pbuf *pb, int ind, int trail);
int pp_tuple(struct tdec *d, struct pbuf *pb, int ind, int trail);
int pp_map(struct tdec *d, struct pbuf *pb, int ind, int trail);
/* A part the node cut (see src/queries/qc.escript) that d, after a
 * tuple's header of arity n, starts: printed (0), not a cut (1: d
 * untouched), or -1. */
int pp_cut(struct tdec *d, struct pbuf *pb, int n, int ind, int trail);

/* The text rules (decode_text.c). */
/* An atom as the shell writes it: Erlang quotes what is not a bare name
 * ('$gen_cast'); Elixir writes :name, :"quoted", and aliases (MyApp.Worker)
 * bare. */
void tx_atom(struct pbuf *pb, const char *atom);
/* An atom as a key of Elixir's keyword syntax ("name: ", "\"a b\": "). */
void tx_key(struct pbuf *pb, const char *atom);
/* Elixir writes k: v for this atom key (an alias is written Mod => v). */
int tx_keyable(const char *atom);
/* A float as both shells write it: the shortest digits that read back as
 * the same number, 1.0, 0.1, 1.0e21. */
void tx_float(char *buf, size_t n, double f);
/* Bytes that are text: 0 not text, 1 text, 2 text with UTF-8 beyond
 * ASCII (Erlang marks such a binary /utf8).  A charlist (list) is text
 * only in Latin-1 for Erlang, ASCII for Elixir. */
int tx_is_text(const struct pbuf *pb, const unsigned char *s, size_t n, int list);
/* The bytes between quotes (q is the quote character), escaped as the
 * shell escapes them; a Latin-1 charlist's bytes become UTF-8. */
void tx_quoted(struct pbuf *pb, const unsigned char *s, size_t n, char q, int latin1);

#endif
