/*
 * decode.c - the term codec (see decode.h).
 *
 * ei's decoders are handed a pointer and an index but never a length: on a
 * truncated or hostile buffer they read past its end, and ei_skip_term()
 * recurses once per nesting level.  So every buffer is first walked here,
 * iteratively, with every size checked against the end; only a buffer that
 * passed that walk is given to ei.  Skipping uses the same iterative walk.
 */
#include <ei.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/format.h"

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
	if (end - *i < n)
		return -1;
	*i += n;
	return 0;
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

/* Walks nterms consecutive terms from i, never past end.  Nested terms are
 * counted, not recursed into, so depth costs nothing. */
static int walk(const unsigned char *b, long i, long end, long nterms,
		long *out_end, int fundepth)
{
	long pending = nterms, n;

	while (pending > 0) {
		/* Every term takes at least one byte: a count beyond the bytes
		 * left is a lie, and refusing it early bounds the counter. */
		if (pending > end - i)
			return -1;
		pending--;
		switch (b[i]) {
		case ERL_SMALL_INTEGER_EXT:
			n = 2;
			break;
		case ERL_INTEGER_EXT:
			n = 5;
			break;
		case ERL_FLOAT_EXT:
			n = 32;
			break;
		case NEW_FLOAT_EXT:
			n = 9;
			break;
		case ERL_NIL_EXT:
			n = 1;
			break;
		case ERL_ATOM_EXT:
		case ERL_ATOM_UTF8_EXT:
		case ERL_SMALL_ATOM_EXT:
		case ERL_SMALL_ATOM_UTF8_EXT:
			if (walk_atom(b, &i, end) < 0)
				return -1;
			continue;
		case ERL_SMALL_TUPLE_EXT:
			if (end - i < 2)
				return -1;
			pending += b[i + 1];
			n = 2;
			break;
		case ERL_LARGE_TUPLE_EXT:
			if (end - i < 5)
				return -1;
			pending += get32(b + i + 1);
			n = 5;
			break;
		case ERL_MAP_EXT:
			if (end - i < 5)
				return -1;
			pending += 2 * (long)get32(b + i + 1);
			n = 5;
			break;
		case ERL_LIST_EXT:
			if (end - i < 5)
				return -1;
			pending += (long)get32(b + i + 1) + 1; /* and the tail */
			n = 5;
			break;
		case ERL_STRING_EXT:
			if (end - i < 3)
				return -1;
			n = 3 + (long)get16(b + i + 1);
			break;
		case ERL_BINARY_EXT:
			if (end - i < 5)
				return -1;
			n = 5 + (long)get32(b + i + 1);
			break;
		case ERL_BIT_BINARY_EXT:
			if (end - i < 6)
				return -1;
			n = 6 + (long)get32(b + i + 1);
			break;
		case ERL_SMALL_BIG_EXT:
			if (end - i < 3)
				return -1;
			n = 3 + (long)b[i + 1];
			break;
		case ERL_LARGE_BIG_EXT:
			if (end - i < 6)
				return -1;
			n = 6 + (long)get32(b + i + 1);
			break;
		case ERL_PID_EXT:
		case ERL_NEW_PID_EXT:
			n = b[i] == ERL_PID_EXT ? 9 : 12;
			i++;
			if (walk_atom(b, &i, end) < 0 || end - i < n)
				return -1;
			i += n;
			continue;
		case ERL_PORT_EXT:
		case ERL_NEW_PORT_EXT:
		case ERL_V4_PORT_EXT: {
			int tag = b[i];
			i++;
			if (walk_atom(b, &i, end) < 0)
				return -1;
			n = tag == ERL_PORT_EXT ? 5 : tag == ERL_NEW_PORT_EXT ? 8 : 12;
			if (end - i < n)
				return -1;
			i += n;
			continue;
		}
		case ERL_REFERENCE_EXT:
			i++;
			if (walk_atom(b, &i, end) < 0 || end - i < 5)
				return -1;
			i += 5;
			continue;
		case ERL_NEW_REFERENCE_EXT:
		case ERL_NEWER_REFERENCE_EXT: {
			int tag = b[i];
			long words;

			if (end - i < 3)
				return -1;
			words = (long)get16(b + i + 1);
			if (words < 1 || words > 5)
				return -1;
			i += 3;
			if (walk_atom(b, &i, end) < 0)
				return -1;
			n = (tag == ERL_NEW_REFERENCE_EXT ? 1 : 4) + 4 * words;
			if (end - i < n)
				return -1;
			i += n;
			continue;
		}
		case ERL_EXPORT_EXT:
			pending += 3;
			n = 1;
			break;
		case ERL_NEW_FUN_EXT:
			if (walk_fun(b, &i, end, fundepth) < 0)
				return -1;
			continue;
		default:
			/* atom cache refs, old funs, LOCAL_EXT: never meant for us */
			return -1;
		}
		if (end - i < n)
			return -1;
		i += n;
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

int tdec_kind(const struct tdec *d, enum tkind *kind, int *size)
{
	int type, sz, idx = d->idx;

	if (idx >= d->len || ei_get_type(d->buf, &idx, &type, &sz) < 0)
		return -1;
	switch (type) {
	case ERL_SMALL_INTEGER_EXT: case ERL_INTEGER_EXT:
	case ERL_SMALL_BIG_EXT: case ERL_LARGE_BIG_EXT:
		*kind = TK_INT; break;
	case ERL_FLOAT_EXT: case NEW_FLOAT_EXT:
		*kind = TK_FLOAT; break;
	case ERL_ATOM_EXT: case ERL_ATOM_UTF8_EXT:
	case ERL_SMALL_ATOM_EXT: case ERL_SMALL_ATOM_UTF8_EXT:
		*kind = TK_ATOM; break;
	case ERL_BINARY_EXT:
		*kind = TK_BINARY; break;
	case ERL_BIT_BINARY_EXT:
		*kind = TK_BITS; break;
	case ERL_STRING_EXT:
		*kind = TK_STRING; break;
	case ERL_LIST_EXT:
		*kind = TK_LIST; break;
	case ERL_NIL_EXT:
		*kind = TK_NIL; break;
	case ERL_SMALL_TUPLE_EXT: case ERL_LARGE_TUPLE_EXT:
		*kind = TK_TUPLE; break;
	case ERL_MAP_EXT:
		*kind = TK_MAP; break;
	case ERL_PID_EXT: case ERL_NEW_PID_EXT:
		*kind = TK_PID; break;
	case ERL_PORT_EXT: case ERL_NEW_PORT_EXT: case ERL_V4_PORT_EXT:
		*kind = TK_PORT; break;
	case ERL_REFERENCE_EXT: case ERL_NEW_REFERENCE_EXT:
	case ERL_NEWER_REFERENCE_EXT:
		*kind = TK_REF; break;
	case ERL_NEW_FUN_EXT: case ERL_EXPORT_EXT:
		*kind = TK_FUN; break;
	default:
		*kind = TK_OTHER; break;
	}
	if (size)
		*size = sz;
	return 0;
}

static int is_kind(const struct tdec *d, enum tkind want)
{
	enum tkind k;

	return tdec_kind(d, &k, NULL) == 0 && k == want;
}

int tdec_tuple(struct tdec *d, int *arity)
{
	int idx = d->idx, a;

	if (!is_kind(d, TK_TUPLE) || ei_decode_tuple_header(d->buf, &idx, &a) < 0)
		return -1;
	*arity = a;
	d->idx = idx;
	return 0;
}

int tdec_list(struct tdec *d, int *n)
{
	enum tkind k;
	int idx = d->idx, a;

	if (tdec_kind(d, &k, NULL) < 0 || (k != TK_LIST && k != TK_NIL))
		return -1;
	if (ei_decode_list_header(d->buf, &idx, &a) < 0)
		return -1;
	*n = a;
	d->idx = idx;
	/* The tail of an empty list is the NIL we just read. */
	return 0;
}

int tdec_list_end(struct tdec *d, int n)
{
	/* An empty list was a lone NIL, already consumed by tdec_list(). */
	if (n == 0)
		return 0;
	if (is_kind(d, TK_NIL)) {
		d->idx++;
		return 0;
	}
	return tdec_skip(d);
}

int tdec_map(struct tdec *d, int *pairs)
{
	int idx = d->idx, a;

	if (!is_kind(d, TK_MAP) || ei_decode_map_header(d->buf, &idx, &a) < 0)
		return -1;
	*pairs = a;
	d->idx = idx;
	return 0;
}

/* Bytes of UTF-8 that an atom of `size` (its length on the wire) takes
 * once decoded into tmp: Latin-1 atoms grow, so walk their characters. */
static size_t atom_bytes(const char *tmp, size_t cap, int size,
			 erlang_char_encoding was)
{
	size_t i = 0;
	int c;

	if (was != ERLANG_LATIN1)
		return (size_t)size < cap ? (size_t)size : cap - 1;
	for (c = 0; c < size && i < cap - 1; c++)
		i += ((unsigned char)tmp[i] & 0xE0) == 0xC0 ? 2 : 1;
	return i < cap ? i : cap - 1;
}

int tdec_atom(struct tdec *d, char *out, size_t outlen)
{
	char tmp[MAXATOMLEN_UTF8];
	int idx = d->idx, type, size;
	erlang_char_encoding was, res;
	size_t i, n, o = 0;

	if (!is_kind(d, TK_ATOM) || outlen == 0 ||
	    ei_get_type(d->buf, &idx, &type, &size) < 0)
		return -1;
	if (ei_decode_atom_as(d->buf, &idx, tmp, sizeof tmp, ERLANG_UTF8,
			      &was, &res) < 0)
		return -1;
	n = atom_bytes(tmp, sizeof tmp, size, was);
	for (i = 0; i < n; i++) {
		int nul = tmp[i] == '\0';
		size_t w = nul ? 2 : 1;

		if (o + w >= outlen)
			break;
		if (nul) {
			out[o++] = (char)0xC0;
			out[o++] = (char)0x80;
		} else {
			out[o++] = tmp[i];
		}
	}
	out[o] = '\0';
	d->idx = idx;
	return 0;
}

int tdec_atom_is(struct tdec *d, const char *name)
{
	char tmp[TDEC_ATOM_MAX];
	struct tdec save = *d;

	if (tdec_atom(d, tmp, sizeof tmp) < 0)
		return 0;
	if (strcmp(tmp, name) == 0)
		return 1;
	*d = save;
	return 0;
}

int tdec_i64(struct tdec *d, int64_t *v)
{
	int idx = d->idx;
	long long x;

	if (!is_kind(d, TK_INT) || ei_decode_longlong(d->buf, &idx, &x) < 0)
		return -1;
	*v = x;
	d->idx = idx;
	return 0;
}

int tdec_u64(struct tdec *d, uint64_t *v)
{
	int idx = d->idx;
	int64_t s;
	unsigned long long x;

	if (!is_kind(d, TK_INT))
		return -1;
	/* Fixnums may be negative; bignums above 2^63 only fit unsigned. */
	if (tdec_i64(d, &s) == 0) {
		if (s < 0) {
			d->idx = idx;
			return -1;
		}
		*v = (uint64_t)s;
		return 0;
	}
	if (ei_decode_ulonglong(d->buf, &idx, &x) < 0)
		return -1;
	*v = x;
	d->idx = idx;
	return 0;
}

int tdec_number(struct tdec *d, double *v)
{
	int idx = d->idx;
	int64_t i;
	double f;

	if (tdec_i64(d, &i) == 0) {
		*v = (double)i;
		return 0;
	}
	if (!is_kind(d, TK_FLOAT) || ei_decode_double(d->buf, &idx, &f) < 0)
		return -1;
	*v = f;
	d->idx = idx;
	return 0;
}

int tdec_int_list(struct tdec *d, uint64_t *out, int max, int *n)
{
	struct tdec save = *d;
	enum tkind k;
	int size, i;

	if (tdec_kind(d, &k, &size) < 0)
		return -1;
	if (k == TK_STRING) {
		const unsigned char *s = (const unsigned char *)d->buf + d->idx + 3;

		for (i = 0; i < size && i < max; i++)
			out[i] = s[i];
		d->idx += 3 + size;
		*n = size;
		return 0;
	}
	if (tdec_list(d, &size) < 0)
		return -1;
	for (i = 0; i < size; i++) {
		uint64_t x;

		if (tdec_u64(d, &x) < 0) {
			*d = save;
			return -1;
		}
		if (i < max)
			out[i] = x;
	}
	if (tdec_list_end(d, size) < 0) {
		*d = save;
		return -1;
	}
	*n = size;
	return 0;
}

/* Appends code point c as UTF-8 if it fits; returns the new length. */
static size_t put_utf8(char *out, size_t len, size_t cap, uint64_t c)
{
	char tmp[4];
	size_t n;

	if (c < 0x80) {
		tmp[0] = (char)c; n = 1;
	} else if (c < 0x800) {
		tmp[0] = (char)(0xC0 | (c >> 6));
		tmp[1] = (char)(0x80 | (c & 0x3F)); n = 2;
	} else if (c < 0x10000) {
		tmp[0] = (char)(0xE0 | (c >> 12));
		tmp[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (c & 0x3F)); n = 3;
	} else if (c < 0x110000) {
		tmp[0] = (char)(0xF0 | (c >> 18));
		tmp[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (c & 0x3F)); n = 4;
	} else {
		tmp[0] = '?'; n = 1;
	}
	if (len + n >= cap)
		return len;
	memcpy(out + len, tmp, n);
	return len + n;
}

int tdec_text(struct tdec *d, char *out, size_t outlen)
{
	struct tdec save = *d;
	enum tkind k;
	int size, i;
	size_t len = 0;

	if (outlen == 0 || tdec_kind(d, &k, &size) < 0)
		return -1;
	switch (k) {
	case TK_ATOM:
		return tdec_atom(d, out, outlen);
	case TK_STRING:
		len = (size_t)size < outlen - 1 ? (size_t)size : outlen - 1;
		memcpy(out, d->buf + d->idx + 3, len);
		d->idx += 3 + size;
		break;
	case TK_BINARY:
		len = (size_t)size < outlen - 1 ? (size_t)size : outlen - 1;
		memcpy(out, d->buf + d->idx + 5, len);
		d->idx += 5 + size;
		break;
	case TK_NIL:
		d->idx++;
		break;
	case TK_LIST:
		if (tdec_list(d, &size) < 0)
			return -1;
		for (i = 0; i < size; i++) {
			uint64_t c;

			if (tdec_u64(d, &c) < 0) {
				*d = save;
				return -1;
			}
			len = put_utf8(out, len, outlen, c);
		}
		if (tdec_list_end(d, size) < 0) {
			*d = save;
			return -1;
		}
		break;
	default:
		return -1;
	}
	out[len] = '\0';
	return 0;
}

int tdec_pid(struct tdec *d, struct bt_pid *p)
{
	erlang_pid ep;
	int idx = d->idx;

	if (!is_kind(d, TK_PID) || ei_decode_pid(d->buf, &idx, &ep) < 0)
		return -1;
	p->num = ep.num;
	p->serial = ep.serial;
	p->creation = ep.creation;
	d->idx = idx;
	return 0;
}

int tdec_port(struct tdec *d, struct bt_port *p)
{
	erlang_port ep;
	int idx = d->idx;

	if (!is_kind(d, TK_PORT) || ei_decode_port(d->buf, &idx, &ep) < 0)
		return -1;
	p->id = ep.id;
	p->creation = ep.creation;
	d->idx = idx;
	return 0;
}

int tdec_ref(struct tdec *d, struct bt_ref *r)
{
	erlang_ref er;
	int idx = d->idx, i;

	if (!is_kind(d, TK_REF) || ei_decode_ref(d->buf, &idx, &er) < 0)
		return -1;
	if (er.len < 1 || er.len > 5)
		return -1;
	memset(r, 0, sizeof *r);
	r->len = (uint8_t)er.len;
	r->creation = er.creation;
	for (i = 0; i < er.len; i++)
		r->n[i] = er.n[i];
	d->idx = idx;
	return 0;
}

int tdec_mfa(struct tdec *d, char *out, size_t outlen)
{
	struct tdec save = *d;
	char m[TDEC_ATOM_MAX], f[TDEC_ATOM_MAX];
	int arity, n;
	int64_t a;
	enum tkind k;

	if (tdec_tuple(d, &arity) < 0 || arity != 3 ||
	    tdec_atom(d, m, sizeof m) < 0 || tdec_atom(d, f, sizeof f) < 0)
		goto bad;
	if (tdec_i64(d, &a) < 0) {
		/* An argument list, as in some initial calls and stacks. */
		if (tdec_kind(d, &k, &n) < 0 ||
		    (k != TK_LIST && k != TK_NIL && k != TK_STRING) ||
		    tdec_skip(d) < 0)
			goto bad;
		a = n;
	}
	/* Elixir modules read as Elixir writes them: MyApp.Worker.init/1. */
	if (strncmp(m, "Elixir.", 7) == 0)
		snprintf(out, outlen, "%s.%s/%lld", m + 7, f, (long long)a);
	else
		snprintf(out, outlen, "%s:%s/%lld", m, f, (long long)a);
	return 0;
bad:
	*d = save;
	return -1;
}

/*
 * Printing: a compact Erlang-like rendering for drill-down sections.
 * Bounded in depth and width so that a huge term costs a bounded amount
 * of output; whatever is cut is shown as "...".
 */
struct pbuf {
	char *out;
	size_t len, cap;
	const struct bt_ref *mark;   /* cuts made on the node, or NULL */
};

static void pb_put(struct pbuf *pb, const char *s)
{
	size_t n = strlen(s);

	if (pb->len + 1 >= pb->cap)
		return;
	if (n > pb->cap - 1 - pb->len)
		n = pb->cap - 1 - pb->len;
	memcpy(pb->out + pb->len, s, n);
	pb->len += n;
	pb->out[pb->len] = '\0';
}

static int printable(const unsigned char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if ((s[i] < 32 && s[i] != '\n' && s[i] != '\t') || s[i] == 127)
			return 0;
	return 1;
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* A bignum in decimal: SMALL_BIG_EXT is tag, n, sign, n bytes; LARGE_BIG
 * has a 4-byte n.  The walk that validated the buffer checked n. */
static int print_bignum(struct tdec *d, struct pbuf *pb, char *tmp, size_t n)
{
	const char *p = d->buf + d->idx;
	int large = (unsigned char)p[0] == ERL_LARGE_BIG_EXT;
	size_t len = large ? be32(p + 1) : (unsigned char)p[1];
	const char *sign = p + (large ? 5 : 2);

	fmt_bigint(tmp, n, *sign != 0, (const unsigned char *)sign + 1, len);
	pb_put(pb, tmp);
	return tdec_skip(d);
}

/* Text between quotes as Erlang writes it: \n, \t, \" and \\ escaped. */
static void put_quoted(struct pbuf *pb, const unsigned char *s, int n)
{
	char one[3] = { 0, 0, 0 };
	int i;

	for (i = 0; i < n; i++) {
		one[0] = (char)s[i];
		one[1] = 0;
		if (s[i] == '\n' || s[i] == '\t' || s[i] == '"' || s[i] == '\\') {
			one[0] = '\\';
			one[1] = s[i] == '\n' ? 'n' : s[i] == '\t' ? 't' : (char)s[i];
		}
		pb_put(pb, one);
	}
}

/* #Fun<m.index.uniq> for a closure, fun m:f/a for an export, as erl
 * prints them. */
static int print_fun(struct tdec *d, struct pbuf *pb, char *tmp, size_t n)
{
	erlang_fun f;
	int idx = d->idx;

	/* ei allocates an export's function name before it has read it, and
	 * keeps it when the rest fails to decode: free it either way. */
	memset(&f, 0, sizeof f);
	if (ei_decode_fun(d->buf, &idx, &f) < 0) {
		free_fun(&f);
		return -1;
	}
	if (f.type == EI_FUN_EXPORT)
		snprintf(tmp, n, "fun %s:%s/%ld", f.module, f.u.exprt.func, f.arity);
	else
		snprintf(tmp, n, "#Fun<%s.%ld.%ld>", f.module, f.u.closure.index,
			 f.u.closure.uniq);
	free_fun(&f);
	pb_put(pb, tmp);
	d->idx = idx;
	return 0;
}

/* A bitstring that is not whole bytes: BIT_BINARY_EXT is tag, len,
 * the bits used in the last byte, data. */
static int print_bits(struct tdec *d, struct pbuf *pb, char *tmp, size_t n)
{
	const char *p = d->buf + d->idx;
	uint32_t len = be32(p + 1);
	unsigned bits = (unsigned char)p[5];

	snprintf(tmp, n, "<<%llu bits>>",
		 (unsigned long long)(len ? (len - 1) * 8ULL + bits : 0));
	pb_put(pb, tmp);
	return tdec_skip(d);
}

#define PRINT_DEPTH 6
#define PRINT_WIDTH 24

static int print_term(struct tdec *d, struct pbuf *pb, int depth);

static int print_seq(struct tdec *d, struct pbuf *pb, int n, int depth,
		     const char *sep)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i >= PRINT_WIDTH || pb->len + 1 >= pb->cap) {
			pb_put(pb, i > 0 ? sep : "");
			pb_put(pb, "...");
			for (; i < n; i++)
				if (tdec_skip(d) < 0)
					return -1;
			return 0;
		}
		if (i > 0)
			pb_put(pb, sep);
		if (print_term(d, pb, depth + 1) < 0)
			return -1;
	}
	return 0;
}

/* A part of the term that the node cut before sending (see
 * src/queries/qc.escript): {Mark, 1, More} the rest of a list or tuple,
 * {Mark, 2, Prefix, Size} a long binary, {Mark, 3, Bytes} a subterm not
 * sent, {Mark, 7, Pairs} a map as pairs.  d is after the tuple's header.
 * Returns 0 when printed, 1 when it was no cut (d untouched), -1. */
static int print_cut(struct tdec *d, struct pbuf *pb, int n, char *tmp,
		     size_t tn)
{
	struct tdec p = *d;
	struct bt_ref r;
	int64_t kind, v;
	int pairs, i;

	if (tdec_ref(&p, &r) < 0 || !bt_ref_eq(&r, pb->mark) ||
	    tdec_i64(&p, &kind) < 0)
		return 1;
	if (kind == 1 && n == 3 && tdec_i64(&p, &v) == 0) {
		if (v >= 0)
			snprintf(tmp, tn, "\u2026(+%lld more)", (long long)v);
		else
			snprintf(tmp, tn, "\u2026(more)");
	} else if (kind == 3 && n == 3 && tdec_i64(&p, &v) == 0) {
		snprintf(tmp, tn, "\u2026(cut: %lld bytes)", (long long)v);
	} else if (kind == 2 && n == 4) {
		if (print_term(&p, pb, PRINT_DEPTH - 1) < 0 || tdec_i64(&p, &v) < 0)
			return -1;
		snprintf(tmp, tn, "\u2026(%lld bytes)", (long long)v);
	} else if (kind == 7 && n == 3 && tdec_list(&p, &pairs) == 0) {
		pb_put(pb, "#{");
		for (i = 0; i < pairs; i++) {
			int ar;

			if (i)
				pb_put(pb, ",");
			if (tdec_tuple(&p, &ar) == 0 && ar == 2) {
				if (print_term(&p, pb, 1) < 0)
					return -1;
				pb_put(pb, " => ");
				if (print_term(&p, pb, 1) < 0)
					return -1;
			} else if (print_term(&p, pb, 1) < 0) {
				return -1;
			}
		}
		if (tdec_list_end(&p, pairs) < 0)
			return -1;
		pb_put(pb, "}");
		*d = p;
		return 0;
	} else {
		return 1;
	}
	pb_put(pb, tmp);
	*d = p;
	return 0;
}

static int print_term(struct tdec *d, struct pbuf *pb, int depth)
{
	char tmp[TDEC_ATOM_MAX + 32];
	enum tkind k;
	int size, n;

	if (tdec_kind(d, &k, &size) < 0)
		return -1;
	if (depth >= PRINT_DEPTH && (k == TK_TUPLE || k == TK_LIST || k == TK_MAP)) {
		pb_put(pb, "...");
		return tdec_skip(d);
	}
	switch (k) {
	case TK_INT: {
		int64_t i;
		uint64_t u;

		if (tdec_i64(d, &i) == 0)
			snprintf(tmp, sizeof tmp, "%lld", (long long)i);
		else if (tdec_u64(d, &u) == 0)
			snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)u);
		else
			return print_bignum(d, pb, tmp, sizeof tmp);
		pb_put(pb, tmp);
		return 0;
	}
	case TK_FLOAT: {
		double f;

		if (tdec_number(d, &f) < 0)
			return -1;
		snprintf(tmp, sizeof tmp, "%g", f);
		pb_put(pb, tmp);
		return 0;
	}
	case TK_ATOM:
		if (tdec_atom(d, tmp, sizeof tmp) < 0)
			return -1;
		/* Elixir module aliases read as Elixir writes them. */
		pb_put(pb, strncmp(tmp, "Elixir.", 7) == 0 ? tmp + 7 : tmp);
		return 0;
	case TK_STRING:
	case TK_BINARY: {
		const unsigned char *s = (const unsigned char *)d->buf + d->idx +
					 (k == TK_STRING ? 3 : 5);
		int shown = size < 200 ? size : 200;

		if (printable(s, size)) {
			pb_put(pb, k == TK_STRING ? "\"" : "<<\"");
			put_quoted(pb, s, shown);
			pb_put(pb, size > shown ? "...\"" : "\"");
			if (k == TK_BINARY)
				pb_put(pb, ">>");
		} else if (k == TK_BINARY) {
			snprintf(tmp, sizeof tmp, "<<%d bytes>>", size);
			pb_put(pb, tmp);
		} else {
			int i;

			pb_put(pb, "[");
			for (i = 0; i < size && i < PRINT_WIDTH; i++) {
				snprintf(tmp, sizeof tmp, i ? ",%u" : "%u", s[i]);
				pb_put(pb, tmp);
			}
			pb_put(pb, i < size ? ",...]" : "]");
		}
		return tdec_skip(d);
	}
	case TK_NIL:
		d->idx++;
		pb_put(pb, "[]");
		return 0;
	case TK_LIST:
		if (tdec_list(d, &n) < 0)
			return -1;
		pb_put(pb, "[");
		if (print_seq(d, pb, n, depth, ",") < 0)
			return -1;
		if (!is_kind(d, TK_NIL)) {
			pb_put(pb, "|");
			if (print_term(d, pb, depth + 1) < 0)
				return -1;
		} else {
			d->idx++;
		}
		pb_put(pb, "]");
		return 0;
	case TK_TUPLE:
		if (tdec_tuple(d, &n) < 0)
			return -1;
		if (pb->mark && n >= 3) {
			int rc = print_cut(d, pb, n, tmp, sizeof tmp);

			if (rc <= 0)
				return rc;
		}
		pb_put(pb, "{");
		if (print_seq(d, pb, n, depth, ",") < 0)
			return -1;
		pb_put(pb, "}");
		return 0;
	case TK_MAP: {
		struct tdec probe;
		char sname[TDEC_ATOM_MAX];
		int i, is_struct = 0;

		if (tdec_map(d, &n) < 0)
			return -1;
		/* An Elixir struct is a map with a __struct__ key: show it as
		 * %Mod{...} the way iex does. */
		probe = *d;
		for (i = 0; i < n; i++) {
			if (tdec_atom_is(&probe, "__struct__") &&
			    tdec_atom(&probe, sname, sizeof sname) == 0) {
				is_struct = 1;
				break;
			}
			if (tdec_skip(&probe) < 0 || tdec_skip(&probe) < 0)
				return -1;
		}
		if (is_struct) {
			pb_put(pb, "%");
			pb_put(pb, strncmp(sname, "Elixir.", 7) == 0 ? sname + 7 : sname);
			pb_put(pb, "{");
		} else {
			pb_put(pb, "#{");
		}
		for (i = 0; i < n; i++) {
			struct tdec keyprobe = *d;

			if (is_struct && tdec_atom_is(&keyprobe, "__struct__")) {
				*d = keyprobe;
				if (tdec_skip(d) < 0)
					return -1;
				continue;
			}
			if (i >= PRINT_WIDTH || pb->len + 1 >= pb->cap) {
				pb_put(pb, "...");
				for (; i < n; i++)
					if (tdec_skip(d) < 0 || tdec_skip(d) < 0)
						return -1;
				break;
			}
			if (pb->out[pb->len - 1] != '{')
				pb_put(pb, ",");
			if (print_term(d, pb, depth + 1) < 0)
				return -1;
			pb_put(pb, is_struct ? ": " : " => ");
			if (print_term(d, pb, depth + 1) < 0)
				return -1;
		}
		pb_put(pb, "}");
		return 0;
	}
	case TK_PID: {
		struct bt_pid p;

		if (tdec_pid(d, &p) < 0)
			return -1;
		snprintf(tmp, sizeof tmp, "<0.%u.%u>", p.num, p.serial);
		pb_put(pb, tmp);
		return 0;
	}
	case TK_PORT: {
		struct bt_port p;

		if (tdec_port(d, &p) < 0)
			return -1;
		snprintf(tmp, sizeof tmp, "#Port<0.%llu>", (unsigned long long)p.id);
		pb_put(pb, tmp);
		return 0;
	}
	case TK_REF: {
		struct bt_ref r;

		if (tdec_ref(d, &r) < 0)
			return -1;
		pb_put(pb, fmt_ref(tmp, sizeof tmp, &r));
		return 0;
	}
	case TK_FUN:
		return print_fun(d, pb, tmp, sizeof tmp);
	case TK_BITS:
		return print_bits(d, pb, tmp, sizeof tmp);
	default:
		pb_put(pb, "<?>");
		return tdec_skip(d);
	}
}

int tdec_print(struct tdec *d, char *out, size_t outlen)
{
	return tdec_print_marked(d, out, outlen, NULL);
}

int tdec_as_text(struct tdec *d, char *out, size_t outlen)
{
	struct tdec save = *d;

	if (tdec_atom(d, out, outlen) == 0 || tdec_text(d, out, outlen) == 0)
		return 0;
	*d = save;
	if (tdec_print(d, out, outlen) == 0)
		return 0;
	*d = save;
	return -1;
}

int tdec_print_marked(struct tdec *d, char *out, size_t outlen,
		      const struct bt_ref *mark)
{
	struct pbuf pb = { out, 0, outlen, mark };
	struct tdec save = *d;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (print_term(d, &pb, 0) < 0) {
		*d = save;
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * Building.
 */
struct tenc {
	ei_x_buff x;
	int bad;
};

struct tenc *tenc_new(void)
{
	struct tenc *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	if (ei_x_new(&t->x) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void tenc_free(struct tenc *t)
{
	if (!t)
		return;
	ei_x_free(&t->x);
	free(t);
}

void tenc_reset(struct tenc *t)
{
	t->x.index = 0;
	t->bad = 0;
}

int tenc_ok(const struct tenc *t)
{
	return !t->bad;
}

const char *tenc_data(const struct tenc *t, int *len)
{
	*len = t->x.index;
	return t->x.buff;
}

static void chk(struct tenc *t, int rc)
{
	if (rc < 0)
		t->bad = 1;
}

void tenc_tuple(struct tenc *t, int arity)
{
	chk(t, ei_x_encode_tuple_header(&t->x, arity));
}

void tenc_list(struct tenc *t, int n)
{
	if (n > 0)
		chk(t, ei_x_encode_list_header(&t->x, n));
}

void tenc_nil(struct tenc *t)
{
	chk(t, ei_x_encode_empty_list(&t->x));
}

void tenc_atom(struct tenc *t, const char *name)
{
	chk(t, ei_x_encode_atom_as(&t->x, name, ERLANG_UTF8, ERLANG_UTF8));
}

void tenc_long(struct tenc *t, long v)
{
	chk(t, ei_x_encode_long(&t->x, v));
}

void tenc_string(struct tenc *t, const char *s)
{
	chk(t, ei_x_encode_string(&t->x, s));
}

void tenc_binary(struct tenc *t, const void *p, int len)
{
	chk(t, ei_x_encode_binary(&t->x, p, len));
}

void tenc_pid(struct tenc *t, const struct bt_pid *p, const char *node)
{
	erlang_pid ep;

	memset(&ep, 0, sizeof ep);
	snprintf(ep.node, sizeof ep.node, "%s", node);
	ep.num = p->num;
	ep.serial = p->serial;
	ep.creation = p->creation;
	chk(t, ei_x_encode_pid(&t->x, &ep));
}

void tenc_port(struct tenc *t, const struct bt_port *p, const char *node)
{
	erlang_port ep;

	memset(&ep, 0, sizeof ep);
	snprintf(ep.node, sizeof ep.node, "%s", node);
	ep.id = p->id;
	ep.creation = p->creation;
	chk(t, ei_x_encode_port(&t->x, &ep));
}

void tenc_ref(struct tenc *t, const struct bt_ref *r, const char *node,
	      uint32_t creation)
{
	erlang_ref er;
	int i;

	memset(&er, 0, sizeof er);
	snprintf(er.node, sizeof er.node, "%s", node);
	er.len = r->len;
	for (i = 0; i < r->len && i < 5; i++)
		er.n[i] = r->n[i];
	er.creation = creation;
	chk(t, ei_x_encode_ref(&t->x, &er));
}

void tenc_fun(struct tenc *t, const char *mod, const char *fun, int arity)
{
	erlang_fun f;
	char fname[MAXATOMLEN_UTF8];

	memset(&f, 0, sizeof f);
	f.type = EI_FUN_EXPORT;
	f.arity = arity;
	snprintf(f.module, sizeof f.module, "%s", mod);
	snprintf(fname, sizeof fname, "%s", fun);
	f.u.exprt.func = fname;
	f.u.exprt.func_allocated = 0;
	chk(t, ei_x_encode_fun(&t->x, &f));
}

void tenc_raw(struct tenc *t, const char *bytes, int len)
{
	chk(t, ei_x_append_buf(&t->x, bytes, len));
}
