/*
 * decode_check.c - the walk that a buffer must pass before any decoder
 * looks at it (see decode.h), and skipping, which uses the same walk.
 *
 * ei's decoders are handed a pointer and an index but never a length: on a
 * truncated or hostile buffer they read past its end, and ei_skip_term()
 * recurses once per nesting level.  So every buffer is first walked here,
 * iteratively, with every size checked against the end; only a buffer that
 * passed that walk is given to ei.  What each tag looks like on the wire
 * is one row of a table, so the walk itself is a short loop.
 */
#include <ei.h>

#include "beamtop/decode.h"

/* Funs carry nested terms inside a sized envelope; each envelope costs one
 * level of recursion in the walker, so their nesting is capped. */
#define FUN_DEPTH_MAX 8
/* An atom of 255 characters takes at most 4 bytes each in UTF-8. */
#define ATOM_BYTES_MAX (255 * 4)

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The shapes a term takes on the wire. */
enum shape {
	W_BAD,      /* atom cache refs, old funs, LOCAL_EXT: never meant for us */
	W_FIXED,    /* `size` bytes, then `terms` more terms */
	W_COUNTED,  /* a count of `width` bytes after the tag, in a header of
		     * `size` bytes: `terms` terms per count (and `extra`), or
		     * with terms 0, that many bytes after the header */
	W_ATOM,
	W_NODE_ID,  /* tag, the node's atom, `size` bytes (pids, ports, old refs) */
	W_NEW_REF,  /* tag, a count of words, the node's atom, `size` bytes and
		     * the words */
	W_FUN       /* NEW_FUN_EXT: a sized envelope (walk_fun) */
};

struct wire {
	unsigned char shape;   /* enum shape */
	unsigned char size;
	unsigned char width;
	unsigned char terms;
	unsigned char extra;
};

static const struct wire wire[256] = {
	[ERL_SMALL_INTEGER_EXT]   = { W_FIXED, 2, 0, 0, 0 },
	[ERL_INTEGER_EXT]         = { W_FIXED, 5, 0, 0, 0 },
	[ERL_FLOAT_EXT]           = { W_FIXED, 32, 0, 0, 0 },
	[NEW_FLOAT_EXT]           = { W_FIXED, 9, 0, 0, 0 },
	[ERL_NIL_EXT]             = { W_FIXED, 1, 0, 0, 0 },
	[ERL_EXPORT_EXT]          = { W_FIXED, 1, 0, 3, 0 },  /* M, F, A */
	[ERL_SMALL_TUPLE_EXT]     = { W_COUNTED, 2, 1, 1, 0 },
	[ERL_LARGE_TUPLE_EXT]     = { W_COUNTED, 5, 4, 1, 0 },
	[ERL_MAP_EXT]             = { W_COUNTED, 5, 4, 2, 0 },
	[ERL_LIST_EXT]            = { W_COUNTED, 5, 4, 1, 1 }, /* and the tail */
	[ERL_STRING_EXT]          = { W_COUNTED, 3, 2, 0, 0 },
	[ERL_BINARY_EXT]          = { W_COUNTED, 5, 4, 0, 0 },
	[ERL_BIT_BINARY_EXT]      = { W_COUNTED, 6, 4, 0, 0 },
	[ERL_SMALL_BIG_EXT]       = { W_COUNTED, 3, 1, 0, 0 },
	[ERL_LARGE_BIG_EXT]       = { W_COUNTED, 6, 4, 0, 0 },
	[ERL_ATOM_EXT]            = { W_ATOM, 0, 0, 0, 0 },
	[ERL_ATOM_UTF8_EXT]       = { W_ATOM, 0, 0, 0, 0 },
	[ERL_SMALL_ATOM_EXT]      = { W_ATOM, 0, 0, 0, 0 },
	[ERL_SMALL_ATOM_UTF8_EXT] = { W_ATOM, 0, 0, 0, 0 },
	[ERL_PID_EXT]             = { W_NODE_ID, 9, 0, 0, 0 },
	[ERL_NEW_PID_EXT]         = { W_NODE_ID, 12, 0, 0, 0 },
	[ERL_PORT_EXT]            = { W_NODE_ID, 5, 0, 0, 0 },
	[ERL_NEW_PORT_EXT]        = { W_NODE_ID, 8, 0, 0, 0 },
	[ERL_V4_PORT_EXT]         = { W_NODE_ID, 12, 0, 0, 0 },
	[ERL_REFERENCE_EXT]       = { W_NODE_ID, 5, 0, 0, 0 },
	[ERL_NEW_REFERENCE_EXT]   = { W_NEW_REF, 1, 0, 0, 0 },
	[ERL_NEWER_REFERENCE_EXT] = { W_NEW_REF, 4, 0, 0, 0 },
	[ERL_NEW_FUN_EXT]         = { W_FUN, 0, 0, 0, 0 },
};

/* Moves *i over n bytes if they are there before end. */
static int advance(long *i, long end, long n)
{
	if (end - *i < n)
		return -1;
	*i += n;
	return 0;
}

/* Checks that an atom starts at *i and fits before end; advances *i. */
static int walk_atom(const unsigned char *b, long *i, long end)
{
	long n;

	if (*i >= end)
		return -1;
	switch (b[*i]) {
	case ERL_ATOM_EXT:
	case ERL_ATOM_UTF8_EXT:
		if (end - *i < 3)
			return -1;
		n = get16(b + *i + 1);
		if (n > (b[*i] == ERL_ATOM_EXT ? 255 : ATOM_BYTES_MAX))
			return -1;
		*i += 3;
		break;
	case ERL_SMALL_ATOM_EXT:
	case ERL_SMALL_ATOM_UTF8_EXT:
		if (end - *i < 2)
			return -1;
		n = b[*i + 1];
		*i += 2;
		break;
	default:
		return -1;
	}
	return advance(i, end, n);
}

static int walk(const unsigned char *b, long i, long end, long nterms,
		long *out_end, int fundepth);

/* NEW_FUN_EXT: a sized envelope holding module, old index, old uniq, pid
 * and the free variables; everything must end exactly at the envelope's end. */
static int walk_fun(const unsigned char *b, long *i, long end, int fundepth)
{
	long start = *i, size, inner_end;
	uint32_t nfree;

	if (fundepth >= FUN_DEPTH_MAX || end - start < 5)
		return -1;
	size = get32(b + start + 1);
	if (size < 4 + 1 + 16 + 4 + 4 || size > end - start - 1)
		return -1;
	nfree = get32(b + start + 1 + 4 + 1 + 16 + 4);
	if (nfree > (uint32_t)size)
		return -1;
	if (walk(b, start + 1 + 4 + 1 + 16 + 4 + 4, start + 1 + size,
		 4 + (long)nfree, &inner_end, fundepth + 1) < 0)
		return -1;
	if (inner_end != start + 1 + size)
		return -1;
	*i = inner_end;
	return 0;
}

/* A counted term: its count (tuple, map and list elements; bytes of a
 * string, binary or bignum) checked and turned into pending terms or
 * bytes to step over. */
static int walk_counted(const unsigned char *b, long *i, long end,
			const struct wire *w, long *pending)
{
	const unsigned char *f = b + *i + 1;
	long count;

	if (end - *i < w->size)
		return -1;
	count = w->width == 1 ? (long)f[0] : w->width == 2 ? (long)get16(f) :
		(long)get32(f);
	if (w->terms == 0)
		return advance(i, end, w->size + count);
	*pending += w->terms * count + w->extra;
	*i += w->size;
	return 0;
}

/* NEW_ and NEWER_REFERENCE_EXT: 1 to 5 words of 4 bytes after the node,
 * the creation before them taking `size` bytes. */
static int walk_new_ref(const unsigned char *b, long *i, long end,
			const struct wire *w)
{
	long words;

	if (end - *i < 3)
		return -1;
	words = (long)get16(b + *i + 1);
	if (words < 1 || words > 5)
		return -1;
	*i += 3;
	if (walk_atom(b, i, end) < 0)
		return -1;
	return advance(i, end, w->size + 4 * words);
}

/* Steps over the term at *i, adding the terms nested in it to *pending. */
static int walk_one(const unsigned char *b, long *i, long end, long *pending,
		    int fundepth)
{
	const struct wire *w = &wire[b[*i]];

	switch (w->shape) {
	case W_FIXED:
		*pending += w->terms;
		return advance(i, end, w->size);
	case W_COUNTED:
		return walk_counted(b, i, end, w, pending);
	case W_ATOM:
		return walk_atom(b, i, end);
	case W_NODE_ID:
		++*i;
		if (walk_atom(b, i, end) < 0)
			return -1;
		return advance(i, end, w->size);
	case W_NEW_REF:
		return walk_new_ref(b, i, end, w);
	case W_FUN:
		return walk_fun(b, i, end, fundepth);
	default:
		return -1;
	}
}

/* Walks nterms consecutive terms from i, never past end.  Nested terms are
 * counted, not recursed into, so depth costs nothing. */
static int walk(const unsigned char *b, long i, long end, long nterms,
		long *out_end, int fundepth)
{
	long pending = nterms;

	while (pending > 0) {
		/* Every term takes at least one byte: a count beyond the bytes
		 * left is a lie, and refusing it early bounds the counter. */
		if (pending > end - i)
			return -1;
		pending--;
		if (walk_one(b, &i, end, &pending, fundepth) < 0)
			return -1;
	}
	*out_end = i;
	return 0;
}

int tdec_init_at(struct tdec *d, const char *buf, int idx, int len)
{
	long end;

	if (!buf || idx < 0 || len < idx)
		return -1;
	if (walk((const unsigned char *)buf, idx, len, 1, &end, 0) < 0)
		return -1;
	d->buf = buf;
	d->idx = idx;
	d->len = (int)end;
	return 0;
}

int tdec_init(struct tdec *d, const char *buf, int len)
{
	struct tdec tmp;

	if (!buf || len < 2 || (unsigned char)buf[0] != 131 /* the version byte */)
		return -1;
	if (tdec_init_at(&tmp, buf, 1, len) < 0 || tmp.len != len)
		return -1;
	*d = tmp;
	return 0;
}

int tdec_skip(struct tdec *d)
{
	long end;

	if (d->idx >= d->len ||
	    walk((const unsigned char *)d->buf, d->idx, d->len, 1, &end, 0) < 0)
		return -1;
	d->idx = (int)end;
	return 0;
}
