/*
 * decode_layout.c - the term printer's containers (see decode_priv.h):
 * lists, strings and binaries, tuples, maps and structs, and the parts
 * the node cut, each on one line when it fits and else over lines, as
 * the node's own shell lays them out:
 *
 * - Erlang (io_lib_pretty): the elements after the opening bracket, as
 *   many to a line as fit, the next lines aligned under the first; after
 *   an element that took several lines the next starts a line of its
 *   own; a map's key whose value does not fit is followed by its value
 *   on the next line, four columns in.
 * - Elixir (Inspect's algebra): tuples and lists of plain values as many
 *   to a line as fit, one column in; maps, structs, keyword lists and
 *   lists of containers one element a line, two columns in, the closing
 *   bracket on a line of its own.
 *
 * Every container is first tried on one line: printed flat until it
 * passes the width, and then taken back (output and cursor) and laid out.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/ids.h"
#include "decode_priv.h"

/* A container's elements, whatever they are (terms, bytes, map pairs). */
struct seq {
	const char *open, *close;
	int n;                 /* elements */
	int improper;          /* the last element is a list's tail */
	int strict;            /* Elixir: one element a line */
	int pairs_cut;         /* map pairs as the node's list of {K, V} */
	int is_struct;         /* leave __struct__ out (its module is in front) */
	int struct_done;       /* ... which has been left out */
	int keyword;           /* Elixir's k: v */
	const unsigned char *bytes;   /* elements of a list of bytes */
	int (*elem)(struct tdec *, struct pbuf *, struct seq *, int, int, int);
	int (*skip)(struct tdec *, struct seq *, int);
};

static int at_kind(const struct tdec *d, enum tkind want)
{
	enum tkind k;

	return tdec_kind(d, &k, NULL) == 0 && k == want;
}

/* Whether the term under d is a part the node cut: {Mark, Kind, ...}. */
static int is_cut(const struct tdec *d, const struct pbuf *pb)
{
	struct tdec t = *d;
	struct bt_ref r;
	int n;

	return pb->st->mark && tdec_tuple(&t, &n) == 0 && n >= 3 &&
	       tdec_ref(&t, &r) == 0 && bt_ref_eq(&r, pb->st->mark);
}

/* A term that Elixir lays out as one word: no container, or a cut. */
static int plain(const struct tdec *d, const struct pbuf *pb)
{
	enum tkind k;
	int n;

	if (tdec_kind(d, &k, &n) < 0)
		return 0;
	return (k != TK_TUPLE && k != TK_LIST && k != TK_MAP) || n == 0 ||
	       is_cut(d, pb);
}

/* Prints element i (or, i < 0, the whole seq) flat if it fits before the
 * width less trail: 1; else takes it back: 0; -1 on a malformed term. */
static int try_flat(struct tdec *d, struct pbuf *pb, struct seq *s, int i,
		    int ind, int trail);

static const char *sep(const struct pbuf *pb, const struct seq *s, int i)
{
	if (s->improper && i == s->n - 1)
		return pb->ex ? " |" : "|";
	return ",";
}

/* Skips elements from i on (the line is full, or one-line's limit). */
static int skip_rest(struct tdec *d, struct seq *s, int i)
{
	for (; i < s->n; i++)
		if (s->skip(d, s, i) < 0)
			return -1;
	return 0;
}

static int seq_flat(struct tdec *d, struct pbuf *pb, struct seq *s, int ind)
{
	int i;

	pb_put(pb, s->open);
	for (i = 0; i < s->n; i++) {
		if (pb->oneline && i >= PRINT_WIDTH) {
			pb_put(pb, pb->ex ? ", ..." : ",...");
			return skip_rest(d, s, i) < 0 ? -1 : (pb_put(pb, s->close), 0);
		}
		if (i > 0) {
			pb_put(pb, sep(pb, s, i));
			if (pb->ex)
				pb_put(pb, " ");
		}
		if (s->elem(d, pb, s, i, ind, 0) < 0)
			return -1;
		if (pb->over)
			return skip_rest(d, s, i + 1);
	}
	pb_put(pb, s->close);
	return 0;
}

/* Elements as many to a line as fit (see the top of the file). */
static int seq_fill(struct tdec *d, struct pbuf *pb, struct seq *s, int ind,
		    int trail)
{
	int i, rc, base, broke = 0;
	size_t at;

	pb_put(pb, s->open);
	base = pb->ex ? ind + 1 : pb->col;
	for (i = 0; i < s->n; i++) {
		int t = i == s->n - 1 ? trail + (int)strlen(s->close) : 1;

		if (i > 0) {
			pb_put(pb, sep(pb, s, i));
			if (!broke) {
				at = pb->len;
				if (pb->ex)
					pb_put(pb, " ");
				if ((rc = try_flat(d, pb, s, i, base, t)) != 0) {
					if (rc < 0)
						return -1;
					continue;
				}
				pb->col -= (int)(pb->len - at);
				pb->len = at;
				pb->out[at] = '\0';
			}
			pb_nl(pb, base);
		}
		at = pb->len;
		if (s->elem(d, pb, s, i, base, t) < 0)
			return -1;
		broke = !pb->ex && memchr(pb->out + at, '\n', pb->len - at) != NULL;
	}
	pb_put(pb, s->close);
	return 0;
}

/* Elixir: one element a line, two columns in, the closing on its own. */
static int seq_strict(struct tdec *d, struct pbuf *pb, struct seq *s, int ind)
{
	int i;

	pb_put(pb, s->open);
	for (i = 0; i < s->n; i++) {
		int last = i == s->n - 1;

		if (s->improper && last) {
			pb_put(pb, " | ");
		} else {
			if (i > 0)
				pb_put(pb, ",");
			pb_nl(pb, ind + 2);
		}
		if (s->elem(d, pb, s, i, ind + 2, last ? 0 : 1) < 0)
			return -1;
	}
	pb_nl(pb, ind);
	pb_put(pb, s->close);
	return 0;
}

static int seq_print(struct tdec *d, struct pbuf *pb, struct seq *s, int ind,
		     int trail)
{
	int rc;

	if (s->n == 0 || pb->oneline || pb->flat)
		return seq_flat(d, pb, s, ind);
	if ((rc = try_flat(d, pb, s, -1, ind, trail)) != 0)
		return rc < 0 ? -1 : 0;
	return s->strict ? seq_strict(d, pb, s, ind) : seq_fill(d, pb, s, ind, trail);
}

static int try_flat(struct tdec *d, struct pbuf *pb, struct seq *s, int i,
		    int ind, int trail)
{
	struct tdec save = *d;
	struct seq keep = *s;
	size_t len = pb->len;
	int col = pb->col, cut = pb->cut, fits, rc;

	pb->flat = 1;
	pb->limit = pb->st->width - trail;
	rc = i < 0 ? seq_flat(d, pb, s, ind) : s->elem(d, pb, s, i, ind, trail);
	fits = !pb->over && pb->col <= pb->limit;
	pb->flat = pb->over = 0;
	if (rc < 0)
		return -1;
	if (fits)
		return 1;
	*d = save;
	*s = keep;
	pb->len = len;
	if (pb->out)
		pb->out[len] = '\0';
	pb->col = col;
	pb->cut = cut;
	return 0;
}

/* Elements that are terms. */
static int term_elem(struct tdec *d, struct pbuf *pb, struct seq *s, int i,
		     int ind, int trail)
{
	(void)s, (void)i;
	return pp_term(d, pb, ind, trail);
}

static int term_skip(struct tdec *d, struct seq *s, int i)
{
	(void)s, (void)i;
	return tdec_skip(d);
}

/* A seq of n terms between open and close. */
static void seq_terms(struct seq *s, const char *open, const char *close, int n)
{
	memset(s, 0, sizeof *s);
	s->open = open;
	s->close = close;
	s->n = n;
	s->elem = term_elem;
	s->skip = term_skip;
}

/* Elements that are the bytes of a binary or a charlist. */
static int byte_elem(struct tdec *d, struct pbuf *pb, struct seq *s, int i,
		     int ind, int trail)
{
	char tmp[8];

	(void)d, (void)ind, (void)trail;
	snprintf(tmp, sizeof tmp, "%u", s->bytes[i]);
	pb_put(pb, tmp);
	return 0;
}

static int byte_skip(struct tdec *d, struct seq *s, int i)
{
	(void)d, (void)s, (void)i;
	return 0;
}

/* A keyword list's {Key, Value} as key: value. */
static int kw_elem(struct tdec *d, struct pbuf *pb, struct seq *s, int i,
		   int ind, int trail)
{
	char key[TDEC_ATOM_MAX];
	int n;

	(void)s, (void)i;
	if (tdec_tuple(d, &n) < 0 || n != 2 || tdec_atom(d, key, sizeof key) < 0)
		return -1;
	tx_key(pb, key);
	return pp_term(d, pb, ind, trail);
}

/* Is the list under d (n elements, after its header) a keyword list? */
static int keyword_list(const struct tdec *d, const struct pbuf *pb, int n)
{
	struct tdec t = *d;
	char key[TDEC_ATOM_MAX];
	int i, ar;

	if (!pb->ex || n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (tdec_tuple(&t, &ar) < 0 || ar != 2 ||
		    tdec_atom(&t, key, sizeof key) < 0 || !tx_keyable(key) ||
		    tdec_skip(&t) < 0)
			return 0;
	}
	return at_kind(&t, TK_NIL);
}

/* Does any of the n terms from d need lines of its own in Elixir? */
static int any_container(const struct tdec *d, const struct pbuf *pb, int n)
{
	struct tdec t = *d;
	int i;

	for (i = 0; i < n; i++) {
		if (!plain(&t, pb))
			return 1;
		if (tdec_skip(&t) < 0)
			return 0;
	}
	return 0;
}

/* Text between quotes: a string, a binary or a charlist. */
static void put_text(struct pbuf *pb, const unsigned char *s, size_t n,
		     int bin, int kind)
{
	size_t shown = n;

	if (pb->oneline && n > 200)
		for (shown = 200; shown > 0 && (s[shown] & 0xc0) == 0x80; shown--)
			;
	pb_put(pb, bin ? (pb->ex ? "\"" : "<<\"") : (pb->ex ? "'" : "\""));
	tx_quoted(pb, s, shown, bin || !pb->ex ? '"' : '\'', !bin);
	if (shown < n)
		pb_put(pb, "...");
	pb_put(pb, bin ? (pb->ex ? "\"" : kind == 2 ? "\"/utf8>>" : "\">>") :
	       (pb->ex ? "'" : "\""));
}

/* A binary or a string (a list of bytes): text, else its bytes. */
static int pp_bytes(struct tdec *d, struct pbuf *pb, int ind, int trail)
{
	struct seq s;
	enum tkind k;
	int size, bin, kind;
	const unsigned char *p;

	if (tdec_kind(d, &k, &size) < 0)
		return -1;
	bin = k == TK_BINARY;
	p = (const unsigned char *)d->buf + d->idx + (bin ? 5 : 3);
	kind = tx_is_text(pb, p, (size_t)size, !bin);
	/* (An empty binary is "" for Elixir, <<>> for Erlang.) */
	if (kind && (size > 0 || (bin && pb->ex))) {
		put_text(pb, p, (size_t)size, bin, kind);
		return tdec_skip(d);
	}
	if (tdec_skip(d) < 0)
		return -1;
	seq_terms(&s, bin ? "<<" : "[", bin ? ">>" : "]", size);
	s.bytes = p;
	s.elem = byte_elem;
	s.skip = byte_skip;
	return seq_print(d, pb, &s, ind, trail);
}

int pp_list(struct tdec *d, struct pbuf *pb, int ind, int trail)
{
	struct seq s;
	struct tdec t;
	int n;

	if (!at_kind(d, TK_LIST))
		return pp_bytes(d, pb, ind, trail);
	if (tdec_list(d, &n) < 0)
		return -1;
	seq_terms(&s, "[", "]", n);
	t = *d;
	/* The tail after n elements: [] or, improper, one more term. */
	for (; n > 0; n--)
		if (tdec_skip(&t) < 0)
			return -1;
	s.improper = !at_kind(&t, TK_NIL);
	s.n += s.improper;
	if ((s.keyword = !s.improper && keyword_list(d, pb, s.n)))
		s.elem = kw_elem;
	s.strict = pb->ex && (s.keyword || any_container(d, pb, s.n));
	if (seq_print(d, pb, &s, ind, trail) < 0)
		return -1;
	if (!s.improper)
		d->idx++;   /* the NIL */
	return 0;
}

int pp_tuple(struct tdec *d, struct pbuf *pb, int ind, int trail)
{
	struct seq s;
	int n, rc;

	if (tdec_tuple(d, &n) < 0)
		return -1;
	if (pb->st->mark && n >= 3 && (rc = pp_cut(d, pb, n, ind, trail)) <= 0)
		return rc;
	seq_terms(&s, "{", "}", n);
	return seq_print(d, pb, &s, ind, trail);
}

/* Moves d to the key of map element i: 1, or 0 when the element is no
 * pair (the cut that ends the node's list of pairs). */
static int pair_open(struct tdec *d, const struct seq *s)
{
	struct tdec t = *d;
	int ar;

	if (!s->pairs_cut)
		return 1;
	if (tdec_tuple(&t, &ar) < 0 || ar != 2)
		return 0;
	*d = t;
	return 1;
}

/* Skips the __struct__ pair when d is on it (its module is shown in
 * front).  Returns 0, or -1. */
static int struct_pair(struct tdec *d, struct seq *s)
{
	struct tdec t = *d;

	if (!s->is_struct || s->struct_done || !pair_open(&t, s) ||
	    !tdec_atom_is(&t, "__struct__"))
		return 0;
	if (tdec_skip(&t) < 0)
		return -1;
	*d = t;
	s->struct_done = 1;
	return 0;
}

static int pair_elem(struct tdec *d, struct pbuf *pb, struct seq *s, int i,
		     int ind, int trail)
{
	char key[TDEC_ATOM_MAX];
	int col = pb->col, rc;

	/* On a line of its own, a pair that fits stays whole. */
	if (!pb->ex && !pb->flat && !pb->oneline &&
	    (rc = try_flat(d, pb, s, i, ind, trail)) != 0)
		return rc < 0 ? -1 : 0;
	if (struct_pair(d, s) < 0)
		return -1;
	if (!pair_open(d, s))
		return pp_term(d, pb, ind, trail);
	if (s->keyword) {
		if (tdec_atom(d, key, sizeof key) < 0)
			return -1;
		tx_key(pb, key);
		return pp_term(d, pb, ind, trail);
	}
	if (pp_term(d, pb, ind, 0) < 0)
		return -1;
	if (pb->ex || pb->flat || pb->oneline || plain(d, pb)) {
		pb_put(pb, " => ");
		return pp_term(d, pb, ind, trail);
	}
	/* Erlang: a container that did not fit after its key goes below. */
	pb_put(pb, " =>");
	pb_nl(pb, col + 4);
	return pp_term(d, pb, col + 4, trail);
}

static int pair_skip(struct tdec *d, struct seq *s, int i)
{
	(void)i;
	if (struct_pair(d, s) < 0)
		return -1;
	if (!pair_open(d, s))
		return tdec_skip(d);
	return tdec_skip(d) < 0 ? -1 : tdec_skip(d);
}

/* Reads the pairs from d (not moved): the struct's module into name (1),
 * and whether every key is an atom Elixir writes as key: value. */
static int map_kind(const struct tdec *d, struct seq *s, char *name, size_t n)
{
	struct tdec t = *d;
	char key[TDEC_ATOM_MAX];
	int i, atom, found = 0;

	s->keyword = 1;
	for (i = 0; i < s->n; i++) {
		if (!pair_open(&t, s)) {
			if (tdec_skip(&t) < 0)
				return -1;
			continue;
		}
		atom = tdec_atom(&t, key, sizeof key) == 0;
		if (!atom && tdec_skip(&t) < 0)
			return -1;
		if (!atom || !tx_keyable(key))
			s->keyword = 0;
		/* The value: a struct's module is an atom. */
		if (atom && !found && strcmp(key, "__struct__") == 0 &&
		    tdec_atom(&t, name, n) == 0)
			found = 1;
		else if (tdec_skip(&t) < 0)
			return -1;
	}
	return found;
}

/* A map's n pairs (pairs_cut: the node's list of {K, V}). */
static int map_body(struct tdec *d, struct pbuf *pb, int n, int pairs_cut,
		    int ind, int trail)
{
	char name[TDEC_ATOM_MAX];
	struct seq s;
	int rc;

	seq_terms(&s, pb->ex ? "%{" : "#{", "}", n);
	s.pairs_cut = pairs_cut;
	s.elem = pair_elem;
	s.skip = pair_skip;
	s.strict = pb->ex;
	if (pb->ex && (rc = map_kind(d, &s, name, sizeof name)) != 0) {
		if (rc < 0)
			return -1;
		s.is_struct = 1;
		s.n--;
		pb_put(pb, "%");
		tx_atom(pb, name);
		s.open = "{";
	}
	if (!pb->ex)
		s.keyword = 0;
	if (seq_print(d, pb, &s, ind, trail) < 0)
		return -1;
	/* The __struct__ pair came last: still to be skipped. */
	if (s.is_struct && !s.struct_done && pair_skip(d, &s, 0) < 0)
		return -1;
	return 0;
}

int pp_map(struct tdec *d, struct pbuf *pb, int ind, int trail)
{
	int n;

	if (tdec_map(d, &n) < 0)
		return -1;
	return map_body(d, pb, n, 0, ind, trail);
}

int pp_cut(struct tdec *d, struct pbuf *pb, int n, int ind, int trail)
{
	char tmp[64];
	struct tdec p = *d;
	struct bt_ref r;
	int64_t kind, v;
	int m;

	if (tdec_ref(&p, &r) < 0 || !bt_ref_eq(&r, pb->st->mark) ||
	    tdec_i64(&p, &kind) < 0)
		return 1;
	tmp[0] = '\0';
	if (kind == 7 && n == 3 && tdec_list(&p, &m) == 0) {
		if (map_body(&p, pb, m, 1, ind, trail) < 0 || tdec_list_end(&p, m) < 0)
			return -1;
	} else if (kind == 1 && n == 3 && tdec_i64(&p, &v) == 0) {
		if (v >= 0)
			snprintf(tmp, sizeof tmp, "\u2026(+%lld more)", (long long)v);
		else
			snprintf(tmp, sizeof tmp, "\u2026(more)");
	} else if (kind == 3 && n == 3 && tdec_i64(&p, &v) == 0) {
		snprintf(tmp, sizeof tmp, "\u2026(cut: %lld bytes)", (long long)v);
	} else if (kind == 2 && n == 4) {
		if (pp_term(&p, pb, ind, trail) < 0 || tdec_i64(&p, &v) < 0)
			return -1;
		snprintf(tmp, sizeof tmp, "\u2026(%lld bytes)", (long long)v);
	} else {
		return 1;
	}
	pb_put(pb, tmp);
	*d = p;
	return 0;
}
