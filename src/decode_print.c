/*
 * decode_print.c - the term printer (see decode.h): any term as the
 * node's own shell prints it, the Erlang shell's syntax or IEx's, either
 * on one bounded line (names, reasons) or laid out in lines of a given
 * width (the drill-down), with nothing left out but what is said so.
 *
 * This file holds the output buffer, the terms that are not containers,
 * and the entry points; decode_layout.c lays out lists, tuples and maps,
 * decode_text.c knows how each shell writes atoms, floats and strings.
 * Parts that the node cut before sending (marked with our reference, see
 * src/queries/qc.escript) are shown for what they are: "…(+N more)".
 */
#include <ei.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/ids.h"
#include "decode_priv.h"

/* Room for one atom, or a number, with a little text around it. */
#define PRINT_TMP (TDEC_ATOM_MAX + 32)

/* Makes room for n more bytes and the NUL; 0, or -1 (nothing fits). */
static int pb_room(struct pbuf *pb, size_t *n)
{
	size_t want = pb->len + *n + 1, cap;
	char *p;

	if (want <= pb->cap)
		return 0;
	if (!pb->grow || want > PRETTY_MAX) {
		pb->cut = 1;
		if (pb->grow || pb->len + 1 >= pb->cap)
			return -1;
		*n = pb->cap - 1 - pb->len;
		return 0;
	}
	for (cap = pb->cap ? pb->cap : 256; cap < want; cap *= 2)
		;
	if (!(p = realloc(pb->out, cap))) {
		pb->oom = 1;
		return -1;
	}
	pb->out = p;
	pb->cap = cap;
	return 0;
}

void pb_putn(struct pbuf *pb, const char *s, size_t n)
{
	size_t i;

	/* A line tried flat that is already too long needs no more text. */
	if (pb->over || pb->oom || n == 0 || pb_room(pb, &n) < 0)
		return;
	memcpy(pb->out + pb->len, s, n);
	pb->len += n;
	pb->out[pb->len] = '\0';
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			pb->col++;
	if (pb->flat && pb->col > pb->limit)
		pb->over = 1;
}

void pb_put(struct pbuf *pb, const char *s)
{
	pb_putn(pb, s, strlen(s));
}

void pb_nl(struct pbuf *pb, int indent)
{
	static const char spaces[] = "                                ";
	int n;

	pb_put(pb, "\n");
	pb->col = 0;
	for (; indent > 0; indent -= n) {
		n = indent < (int)sizeof spaces - 1 ? indent : (int)sizeof spaces - 1;
		pb_putn(pb, spaces, (size_t)n);
	}
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* A bignum in decimal: SMALL_BIG_EXT is tag, n, sign, n bytes; LARGE_BIG
 * has a 4-byte n.  The walk that validated the buffer checked n. */
static int print_bignum(struct tdec *d, struct pbuf *pb)
{
	char tmp[PRINT_TMP];
	const char *p = d->buf + d->idx;
	int large = (unsigned char)p[0] == ERL_LARGE_BIG_EXT;
	size_t len = large ? be32(p + 1) : (unsigned char)p[1];
	const char *sign = p + (large ? 5 : 2);

	fmt_bigint(tmp, sizeof tmp, *sign != 0, (const unsigned char *)sign + 1, len);
	pb_put(pb, tmp);
	return tdec_skip(d);
}

static int print_int(struct tdec *d, struct pbuf *pb)
{
	char tmp[32];
	int64_t i;
	uint64_t u;

	if (tdec_i64(d, &i) == 0)
		snprintf(tmp, sizeof tmp, "%lld", (long long)i);
	else if (tdec_u64(d, &u) == 0)
		snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)u);
	else
		return print_bignum(d, pb);
	pb_put(pb, tmp);
	return 0;
}

static int print_float(struct tdec *d, struct pbuf *pb)
{
	char tmp[64];
	double f;

	if (tdec_number(d, &f) < 0)
		return -1;
	tx_float(tmp, sizeof tmp, f);
	pb_put(pb, tmp);
	return 0;
}

static int print_atom(struct tdec *d, struct pbuf *pb)
{
	char tmp[TDEC_ATOM_MAX];

	if (tdec_atom(d, tmp, sizeof tmp) < 0)
		return -1;
	tx_atom(pb, tmp);
	return 0;
}

/* A bitstring that is not whole bytes: BIT_BINARY_EXT is tag, len, the
 * bits used in the last byte, data (the last byte's bits at its top). */
static int print_bits(struct tdec *d, struct pbuf *pb)
{
	char tmp[48];
	const unsigned char *p = (const unsigned char *)d->buf + d->idx;
	uint32_t len = be32((const char *)p + 1), i;
	/* 1 to 8 bits of the last byte are used (a lying count: all 8). */
	unsigned bits = p[5] >= 1 && p[5] <= 8 ? p[5] : 8;

	pb_put(pb, "<<");
	for (i = 0; i + 1 < len; i++) {
		if (pb->oneline && i >= PRINT_WIDTH) {
			pb_put(pb, pb->ex ? "..., " : "...,");
			break;
		}
		snprintf(tmp, sizeof tmp, pb->ex ? "%u, " : "%u,", p[6 + i]);
		pb_put(pb, tmp);
	}
	if (len)
		snprintf(tmp, sizeof tmp, pb->ex ? "%u::size(%u)>>" : "%u:%u>>",
			 (unsigned)(p[6 + len - 1] >> (8 - bits)), bits);
	else
		snprintf(tmp, sizeof tmp, ">>");
	pb_put(pb, tmp);
	return tdec_skip(d);
}

/* A closure: #Fun<m.index.uniq> as erl prints it, #Function<index.uniq/
 * arity in m> as IEx does (its name is not in the external format). */
static void put_closure(struct pbuf *pb, const erlang_fun *f)
{
	char tmp[64];

	if (pb->ex) {
		snprintf(tmp, sizeof tmp, "#Function<%ld.%ld/%ld in ",
			 f->u.closure.old_index, f->u.closure.uniq, f->arity);
		pb_put(pb, tmp);
		tx_atom(pb, f->module);
		pb_put(pb, ">");
		return;
	}
	pb_put(pb, "#Fun<");
	/* erl writes the module's name as it is, unquoted. */
	pb_put(pb, f->module);
	snprintf(tmp, sizeof tmp, ".%ld.%ld>", f->u.closure.old_index,
		 f->u.closure.uniq);
	pb_put(pb, tmp);
}

/* fun m:f/a (erl), &:m.f/a or &Mod.f/a (IEx) for an export. */
static void put_export(struct pbuf *pb, const erlang_fun *f)
{
	char tmp[32];

	pb_put(pb, pb->ex ? "&" : "fun ");
	tx_atom(pb, f->module);
	pb_put(pb, pb->ex ? "." : ":");
	if (pb->ex)
		pb_put(pb, f->u.exprt.func);
	else
		tx_atom(pb, f->u.exprt.func);
	snprintf(tmp, sizeof tmp, "/%ld", f->arity);
	pb_put(pb, tmp);
}

static int print_fun(struct tdec *d, struct pbuf *pb)
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
		put_export(pb, &f);
	else
		put_closure(pb, &f);
	free_fun(&f);
	d->idx = idx;
	return 0;
}

static int print_pid(struct tdec *d, struct pbuf *pb)
{
	char tmp[40];
	struct bt_pid p;

	if (tdec_pid(d, &p) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s<0.%u.%u>", pb->ex ? "#PID" : "", p.num,
		 p.serial);
	pb_put(pb, tmp);
	return 0;
}

static int print_port(struct tdec *d, struct pbuf *pb)
{
	char tmp[40];
	struct bt_port p;

	if (tdec_port(d, &p) < 0)
		return -1;
	pb_put(pb, fmt_port(tmp, sizeof tmp, &p));
	return 0;
}

static int print_ref(struct tdec *d, struct pbuf *pb)
{
	char tmp[96];
	struct bt_ref r;

	if (tdec_ref(d, &r) < 0)
		return -1;
	fmt_ref(tmp, sizeof tmp, &r);
	/* #Ref<0.1.2.3> becomes #Reference<0.1.2.3>. */
	if (pb->ex) {
		pb_put(pb, "#Reference");
		pb_put(pb, tmp + 4);
	} else {
		pb_put(pb, tmp);
	}
	return 0;
}

static int print_nil(struct tdec *d, struct pbuf *pb)
{
	d->idx++;
	pb_put(pb, "[]");
	return 0;
}

static int print_other(struct tdec *d, struct pbuf *pb)
{
	pb_put(pb, "<?>");
	return tdec_skip(d);
}

static int (*const leaf[])(struct tdec *, struct pbuf *) = {
	[TK_INT] = print_int, [TK_FLOAT] = print_float, [TK_ATOM] = print_atom,
	[TK_NIL] = print_nil, [TK_PID] = print_pid, [TK_PORT] = print_port,
	[TK_REF] = print_ref, [TK_FUN] = print_fun, [TK_BITS] = print_bits,
	[TK_OTHER] = print_other,
};

int pp_term(struct tdec *d, struct pbuf *pb, int ind, int trail)
{
	enum tkind k;
	int rc;

	if (tdec_kind(d, &k, NULL) < 0)
		return -1;
	if (leaf[k])
		return leaf[k](d, pb);
	if (pb->depth >= (pb->oneline ? PRINT_DEPTH : PRETTY_DEPTH)) {
		pb_put(pb, pb->oneline ? "..." : "\u2026(nested deeper)");
		return tdec_skip(d);
	}
	pb->depth++;
	if (k == TK_TUPLE)
		rc = pp_tuple(d, pb, ind, trail);
	else if (k == TK_MAP)
		rc = pp_map(d, pb, ind, trail);
	else
		rc = pp_list(d, pb, ind, trail);   /* lists, strings, binaries */
	pb->depth--;
	return rc;
}

/* Ends a one-line rendering that did not fit with a mark. */
static void mark_cut(struct pbuf *pb)
{
	static const char mark[] = "\u2026";

	if (!pb->cut || pb->cap < sizeof mark)
		return;
	if (pb->len > pb->cap - sizeof mark)
		pb->len = pb->cap - sizeof mark;
	while (pb->len > 0 && ((unsigned char)pb->out[pb->len] & 0xc0) == 0x80)
		pb->len--;
	memcpy(pb->out + pb->len, mark, sizeof mark);
	pb->len += sizeof mark - 1;
}

int tdec_print_style(struct tdec *d, const struct tstyle *st, char *out,
		     size_t outlen)
{
	struct pbuf pb;
	struct tdec save = *d;

	if (outlen == 0)
		return -1;
	memset(&pb, 0, sizeof pb);
	pb.out = out;
	pb.cap = outlen;
	pb.st = st;
	pb.ex = st->syntax == TSYN_ELIXIR;
	pb.oneline = 1;
	out[0] = '\0';
	if (pp_term(d, &pb, 0, 0) < 0) {
		*d = save;
		out[0] = '\0';
		return -1;
	}
	mark_cut(&pb);
	return 0;
}

int tdec_print_marked(struct tdec *d, char *out, size_t outlen,
		      const struct bt_ref *mark)
{
	struct tstyle st = { TSYN_ERLANG, 0, 0, 0, mark };

	return tdec_print_style(d, &st, out, outlen);
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

/* A laid-out term that grew over PRETTY_MAX ends with a line that says so. */
static void say_cut(struct pbuf *pb)
{
	pb->len = pb->len < PRETTY_MAX - 256 ? pb->len : PRETTY_MAX - 256;
	while (pb->len > 0 && ((unsigned char)pb->out[pb->len] & 0xc0) == 0x80)
		pb->len--;
	pb->out[pb->len] = '\0';
	pb_nl(pb, pb->st->indent);
	pb_put(pb, "\u2026(the rest is not shown: over 1 MiB of text)");
}

int tdec_pretty(struct tdec *d, const struct tstyle *st, char **out)
{
	struct pbuf pb;
	struct tdec save = *d;
	size_t none = 0;
	int rc;

	memset(&pb, 0, sizeof pb);
	pb.grow = 1;
	pb.st = st;
	pb.ex = st->syntax == TSYN_ELIXIR;
	pb.oneline = st->width <= 0;
	pb.col = st->first;
	rc = pb_room(&pb, &none);
	if (rc == 0) {
		pb.out[0] = '\0';
		rc = pp_term(d, &pb, st->indent, 0);
	}
	if (rc == 0 && pb.cut)
		say_cut(&pb);
	if (rc < 0 || pb.oom) {
		free(pb.out);
		*d = save;
		return -1;
	}
	*out = pb.out;
	return 0;
}
