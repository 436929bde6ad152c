/*
 * decode.c - the readers of the term codec (see decode.h): kinds, headers,
 * atoms, numbers, texts, ids and MFAs, each on a buffer that the walk of
 * decode_check.c has already found complete and in bounds.
 *
 * Every reader looks at the kind of the term before handing it to ei, so
 * that ei never decodes a term of the wrong type into our buffers, and
 * moves the cursor only once the whole value has been read.
 */
#include <ei.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/format.h"
#include "beamtop/ids.h"

/* The kind of each tag, plus one: 0 is a tag we have no kind for. */
static const unsigned char kind_of[256] = {
	[ERL_SMALL_INTEGER_EXT] = TK_INT + 1, [ERL_INTEGER_EXT] = TK_INT + 1,
	[ERL_SMALL_BIG_EXT] = TK_INT + 1, [ERL_LARGE_BIG_EXT] = TK_INT + 1,
	[ERL_FLOAT_EXT] = TK_FLOAT + 1, [NEW_FLOAT_EXT] = TK_FLOAT + 1,
	[ERL_ATOM_EXT] = TK_ATOM + 1, [ERL_ATOM_UTF8_EXT] = TK_ATOM + 1,
	[ERL_SMALL_ATOM_EXT] = TK_ATOM + 1,
	[ERL_SMALL_ATOM_UTF8_EXT] = TK_ATOM + 1,
	[ERL_BINARY_EXT] = TK_BINARY + 1, [ERL_BIT_BINARY_EXT] = TK_BITS + 1,
	[ERL_STRING_EXT] = TK_STRING + 1, [ERL_LIST_EXT] = TK_LIST + 1,
	[ERL_NIL_EXT] = TK_NIL + 1,
	[ERL_SMALL_TUPLE_EXT] = TK_TUPLE + 1, [ERL_LARGE_TUPLE_EXT] = TK_TUPLE + 1,
	[ERL_MAP_EXT] = TK_MAP + 1,
	[ERL_PID_EXT] = TK_PID + 1, [ERL_NEW_PID_EXT] = TK_PID + 1,
	[ERL_PORT_EXT] = TK_PORT + 1, [ERL_NEW_PORT_EXT] = TK_PORT + 1,
	[ERL_V4_PORT_EXT] = TK_PORT + 1,
	[ERL_REFERENCE_EXT] = TK_REF + 1, [ERL_NEW_REFERENCE_EXT] = TK_REF + 1,
	[ERL_NEWER_REFERENCE_EXT] = TK_REF + 1,
	[ERL_NEW_FUN_EXT] = TK_FUN + 1, [ERL_EXPORT_EXT] = TK_FUN + 1,
};

int tdec_kind(const struct tdec *d, enum tkind *kind, int *size)
{
	int type, sz, idx = d->idx;

	if (idx >= d->len || ei_get_type(d->buf, &idx, &type, &sz) < 0)
		return -1;
	*kind = type >= 0 && type < 256 && kind_of[type] ?
		(enum tkind)(kind_of[type] - 1) : TK_OTHER;
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

/* The length of the list of non-negative integers under the cursor (NIL,
 * or a LIST_EXT whose tail may be improper), or -1; d is not moved.  The
 * readers that copy such a list check it whole first, so that a bad
 * element halfway leaves their output untouched. */
static int int_list_len(const struct tdec *d)
{
	struct tdec t = *d;
	uint64_t x;
	int n, i;

	if (tdec_list(&t, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (tdec_u64(&t, &x) < 0)
			return -1;
	return tdec_list_end(&t, n) < 0 ? -1 : n;
}

int tdec_int_list(struct tdec *d, uint64_t *out, int max, int *n)
{
	enum tkind k;
	int size, i;
	uint64_t x;

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
	if (int_list_len(d) < 0 || tdec_list(d, &size) < 0)
		return -1;
	for (i = 0; i < size; i++)
		if (tdec_u64(d, &x) == 0 && i < max)
			out[i] = x;
	*n = size;
	return tdec_list_end(d, size);
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
	enum tkind k;
	int size, i;
	size_t len = 0;
	uint64_t c;

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
		if (int_list_len(d) < 0 || tdec_list(d, &size) < 0)
			return -1;
		for (i = 0; i < size; i++)
			if (tdec_u64(d, &c) == 0)
				len = put_utf8(out, len, outlen, c);
		if (tdec_list_end(d, size) < 0)
			return -1;
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

int tdec_mfa_fields(struct tdec *d, char *out, size_t outlen)
{
	struct tdec save = *d;
	char m[TDEC_ATOM_MAX], f[TDEC_ATOM_MAX];
	int n;
	int64_t a;
	enum tkind k;

	if (tdec_atom(d, m, sizeof m) < 0 || tdec_atom(d, f, sizeof f) < 0)
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
	if (fmt_alias(m) != m)
		snprintf(out, outlen, "%s.%s/%lld", fmt_alias(m), f, (long long)a);
	else
		snprintf(out, outlen, "%s:%s/%lld", m, f, (long long)a);
	return 0;
bad:
	*d = save;
	return -1;
}

int tdec_mfa(struct tdec *d, char *out, size_t outlen)
{
	struct tdec save = *d;
	int arity;

	if (tdec_tuple(d, &arity) < 0 || arity != 3 ||
	    tdec_mfa_fields(d, out, outlen) < 0) {
		*d = save;
		return -1;
	}
	return 0;
}
