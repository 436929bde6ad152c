/*
 * decode.h - the term codec: bounds-checked reading and building of Erlang
 * external-format terms, so that no module but this one and conn needs ei.h.
 *
 * Reading goes through a cursor (struct tdec).  tdec_init() first walks the
 * whole buffer and refuses it unless every term in it is complete, sane and
 * inside the buffer; only then are ei's own decoders (which know no buffer
 * length) let loose on it.  Every reader follows ei's contract: on a malformed
 * or unexpected term it returns -1, writes nothing to its outputs and leaves
 * the cursor where it was.
 *
 * Six files implement it: decode_check.c (the walk and skipping),
 * decode.c (the readers), decode_print.c, decode_layout.c and
 * decode_text.c (the printer), encode.c (the builder).
 */
#ifndef BEAMTOP_DECODE_H
#define BEAMTOP_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct bt_pid;
struct bt_port;
struct bt_ref;

/* Longest atom text we keep, in bytes (255 characters of UTF-8, plus NUL). */
#define TDEC_ATOM_MAX 1024

enum tkind {
	TK_INT, TK_FLOAT, TK_ATOM, TK_BINARY, TK_STRING, TK_LIST, TK_NIL,
	TK_TUPLE, TK_MAP, TK_PID, TK_PORT, TK_REF, TK_FUN, TK_BITS, TK_OTHER
};

struct tdec {
	const char *buf;
	int idx;   /* current position */
	int len;   /* end of the validated region */
};

/* Checks that buf[0..len) holds one version byte (131) followed by exactly
 * one complete term, nesting and sizes within bounds.  Returns 0 and a cursor
 * on the term, or -1 (cursor untouched). */
int tdec_init(struct tdec *d, const char *buf, int len);

/* Like tdec_init() for a term that starts at offset idx without a version
 * byte and may be followed by other data; len bounds the check. */
int tdec_init_at(struct tdec *d, const char *buf, int idx, int len);

/* Kind of the term under the cursor and its arity/length (elements for
 * tuples, lists and maps; bytes for binaries and strings). */
int tdec_kind(const struct tdec *d, enum tkind *kind, int *size);

int tdec_tuple(struct tdec *d, int *arity);
/* A list header: n elements follow, then call tdec_list_end(d, n) for the
 * tail.  NIL gives n = 0.  A STRING_EXT (a list of bytes) is refused: read
 * those with tdec_int_list() or tdec_text(). */
int tdec_list(struct tdec *d, int *n);
/* Consumes the tail after n elements: nothing when n is 0 (the NIL was the
 * whole list), else the NIL, or an improper tail is skipped. */
int tdec_list_end(struct tdec *d, int n);
int tdec_map(struct tdec *d, int *pairs);

/* Atom text as UTF-8, NUL-terminated, truncated safely to outlen.  A NUL
 * inside the atom is written as the bytes C0 80 (never valid UTF-8), so
 * that the name is not cut there; the writers show it as \x00 or
 * \u0000. */
int tdec_atom(struct tdec *d, char *out, size_t outlen);
/* Returns 1 if the term is the atom `name` (and consumes it), 0 if it is
 * something else (cursor untouched). */
int tdec_atom_is(struct tdec *d, const char *name);

/* Integers: fixnums and bignums up to 64 bits.  Negative numbers are
 * refused by tdec_u64. */
int tdec_u64(struct tdec *d, uint64_t *v);
int tdec_i64(struct tdec *d, int64_t *v);
/* An integer or a float as a double. */
int tdec_number(struct tdec *d, double *v);

/* A list of small non-negative integers (LIST_EXT or STRING_EXT), up to
 * max values; *n gets the full length, only min(n, max) are stored. */
int tdec_int_list(struct tdec *d, uint64_t *out, int max, int *n);

/* Text of a charlist, binary or atom, truncated to outlen-1 bytes. */
int tdec_text(struct tdec *d, char *out, size_t outlen);

int tdec_pid(struct tdec *d, struct bt_pid *p);
int tdec_port(struct tdec *d, struct bt_port *p);
int tdec_ref(struct tdec *d, struct bt_ref *r);

/* {M, F, A} with A an arity or an argument list, as "m:f/A", or for an
 * Elixir module as "Mod.f/A". */
int tdec_mfa(struct tdec *d, char *out, size_t outlen);
/* The same for the three terms M, F, A that open a longer tuple whose
 * header the caller has read (a stack frame {M, F, A, Location}). */
int tdec_mfa_fields(struct tdec *d, char *out, size_t outlen);

/* Skips one term. */
int tdec_skip(struct tdec *d);

/*
 * Printing.  A term is printed as the node's own shell prints it: the
 * Erlang shell's syntax ('$gen_cast', <<"s929">>, #{a => 1}, #Ref<...>),
 * or IEx's on a node that runs Elixir (:"$gen_cast", "s929", %{a: 1},
 * %MyApp.State{...}, #Reference<...>, &:lists.seq/2, #PID<...>).  Parts
 * the node cut before sending (marked with mark, see
 * src/queries/qc.escript) are shown for what they are: "…(+N more)",
 * "…(N bytes)", "…(cut: N bytes)".
 */
enum tsyntax { TSYN_ERLANG, TSYN_ELIXIR };

struct tstyle {
	enum tsyntax syntax;
	int width;                   /* columns of a line; 0: all on one line */
	int first;                   /* columns the first line has used already */
	int indent;                  /* the nesting's indentation, in columns */
	const struct bt_ref *mark;   /* cuts made on the node, or NULL */
};

/* One line, bounded: at most a few dozen elements of a container and a
 * few levels ("..." for the rest), cut to outlen (ending "…" when cut);
 * always NUL-terminated.  Skips the term; -1 leaves the cursor. */
int tdec_print_style(struct tdec *d, const struct tstyle *st, char *out,
		     size_t outlen);
/* tdec_print_style() in Erlang's syntax, without and with a mark. */
int tdec_print(struct tdec *d, char *out, size_t outlen);
int tdec_print_marked(struct tdec *d, char *out, size_t outlen,
		      const struct bt_ref *mark);
/* A term as a name is shown (a process label, as observer_backend shows
 * it): an atom's or a text's characters, any other term printed.
 * Returns 0, or -1 leaving the cursor where it was. */
int tdec_as_text(struct tdec *d, char *out, size_t outlen);
/* The whole term laid out as the shell does, in lines of st->width
 * columns where it can be broken (an atom or a string never is), '\n'
 * between lines, each after the first starting with its indentation: a
 * new string in *out for the caller to free.  Nothing is left out but
 * what the node cut, and text past 1 MiB, said so on a last line.
 * Returns 0, or -1 (malformed, or out of memory; cursor not moved). */
int tdec_pretty(struct tdec *d, const struct tstyle *st, char **out);

/*
 * Building terms.  Errors (allocation) are sticky: check tenc_ok() once at
 * the end instead of after every call.
 */
struct tenc;

struct tenc *tenc_new(void);
void tenc_free(struct tenc *t);
void tenc_reset(struct tenc *t);
int tenc_ok(const struct tenc *t);
/* Encoded bytes (no version byte) and their length. */
const char *tenc_data(const struct tenc *t, int *len);

void tenc_tuple(struct tenc *t, int arity);
void tenc_list(struct tenc *t, int n);   /* n elements, then tenc_nil() */
void tenc_nil(struct tenc *t);
void tenc_atom(struct tenc *t, const char *name);
void tenc_long(struct tenc *t, long v);
void tenc_string(struct tenc *t, const char *s);
void tenc_binary(struct tenc *t, const void *p, int len);
/* A pid on node `node`. */
void tenc_pid(struct tenc *t, const struct bt_pid *p, const char *node);
void tenc_port(struct tenc *t, const struct bt_port *p, const char *node);
void tenc_ref(struct tenc *t, const struct bt_ref *r, const char *node,
	      uint32_t creation);
/* The export fun `fun M:F/Arity`. */
void tenc_fun(struct tenc *t, const char *mod, const char *fun, int arity);
/* Appends an already encoded term. */
void tenc_raw(struct tenc *t, const char *bytes, int len);

#endif
