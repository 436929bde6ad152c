/*
 * decode_print.c - the term printer (see decode.h): a compact Erlang-like
 * rendering of any term, for the drill-down's sections and for names that
 * are not text.
 *
 * Bounded in depth and width so that a huge term costs a bounded amount
 * of output; whatever is cut is shown as "...".  Parts that the node cut
 * before sending (marked with our reference, see src/queries/qc.escript)
 * are shown for what they are.  One printer per kind of term, in a table.
 */
#include <ei.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/ids.h"
#include "beamtop/format.h"

#define PRINT_DEPTH 6
#define PRINT_WIDTH 24
/* Room for one atom, or a number, with a little text around it. */
#define PRINT_TMP (TDEC_ATOM_MAX + 32)

struct pbuf {
	char *out;
	size_t len, cap;
	const struct bt_ref *mark;   /* cuts made on the node, or NULL */
	int depth;                   /* nesting of the term being printed */
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

/* Is the buffer full (nothing more can be shown)? */
static int pb_full(const struct pbuf *pb)
{
	return pb->len + 1 >= pb->cap;
}

/* Elixir module aliases read as Elixir writes them. */
static const char *elixir_name(const char *atom)
{
	return strncmp(atom, "Elixir.", 7) == 0 ? atom + 7 : atom;
}

static int at_kind(const struct tdec *d, enum tkind want)
{
	enum tkind k;

	return tdec_kind(d, &k, NULL) == 0 && k == want;
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static int print_term(struct tdec *d, struct pbuf *pb);

/* Prints the term under d as one nested at depth. */
static int print_at(struct tdec *d, struct pbuf *pb, int depth)
{
	int outer = pb->depth, rc;

	pb->depth = depth;
	rc = print_term(d, pb);
	pb->depth = outer;
	return rc;
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
	snprintf(tmp, sizeof tmp, "%g", f);
	pb_put(pb, tmp);
	return 0;
}

static int print_atom(struct tdec *d, struct pbuf *pb)
{
	char tmp[TDEC_ATOM_MAX];

	if (tdec_atom(d, tmp, sizeof tmp) < 0)
		return -1;
	pb_put(pb, elixir_name(tmp));
	return 0;
}

static int printable(const unsigned char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if ((s[i] < 32 && s[i] != '\n' && s[i] != '\t') || s[i] == 127)
			return 0;
	return 1;
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

/* A string that is not text: its first bytes as numbers, as erl does. */
static void put_byte_list(struct pbuf *pb, const unsigned char *s, int size)
{
	char tmp[8];
	int i;

	pb_put(pb, "[");
	for (i = 0; i < size && i < PRINT_WIDTH; i++) {
		snprintf(tmp, sizeof tmp, i ? ",%u" : "%u", s[i]);
		pb_put(pb, tmp);
	}
	pb_put(pb, i < size ? ",...]" : "]");
}

/* STRING_EXT (tag, 2-byte length) and BINARY_EXT (tag, 4-byte length):
 * quoted when they are text, the first 200 bytes of it. */
static int print_bytes(struct tdec *d, struct pbuf *pb)
{
	char tmp[32];
	enum tkind k;
	int size, shown, bin;
	const unsigned char *s;

	if (tdec_kind(d, &k, &size) < 0)
		return -1;
	bin = k == TK_BINARY;
	s = (const unsigned char *)d->buf + d->idx + (bin ? 5 : 3);
	shown = size < 200 ? size : 200;
	if (printable(s, size)) {
		pb_put(pb, bin ? "<<\"" : "\"");
		put_quoted(pb, s, shown);
		pb_put(pb, size > shown ? "...\"" : "\"");
		if (bin)
			pb_put(pb, ">>");
	} else if (bin) {
		snprintf(tmp, sizeof tmp, "<<%d bytes>>", size);
		pb_put(pb, tmp);
	} else {
		put_byte_list(pb, s, size);
	}
	return tdec_skip(d);
}

/* A bitstring that is not whole bytes: BIT_BINARY_EXT is tag, len,
 * the bits used in the last byte, data. */
static int print_bits(struct tdec *d, struct pbuf *pb)
{
	char tmp[48];
	const char *p = d->buf + d->idx;
	uint32_t len = be32(p + 1);
	unsigned bits = (unsigned char)p[5];

	snprintf(tmp, sizeof tmp, "<<%llu bits>>",
		 (unsigned long long)(len ? (len - 1) * 8ULL + bits : 0));
	pb_put(pb, tmp);
	return tdec_skip(d);
}

/* #Fun<m.index.uniq> for a closure, fun m:f/a for an export, as erl
 * prints them. */
static int print_fun(struct tdec *d, struct pbuf *pb)
{
	char tmp[PRINT_TMP];
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
		snprintf(tmp, sizeof tmp, "fun %s:%s/%ld", f.module, f.u.exprt.func,
			 f.arity);
	else
		snprintf(tmp, sizeof tmp, "#Fun<%s.%ld.%ld>", f.module,
			 f.u.closure.index, f.u.closure.uniq);
	free_fun(&f);
	pb_put(pb, tmp);
	d->idx = idx;
	return 0;
}

static int print_pid(struct tdec *d, struct pbuf *pb)
{
	char tmp[32];
	struct bt_pid p;

	if (tdec_pid(d, &p) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "<0.%u.%u>", p.num, p.serial);
	pb_put(pb, tmp);
	return 0;
}

static int print_port(struct tdec *d, struct pbuf *pb)
{
	char tmp[40];
	struct bt_port p;

	if (tdec_port(d, &p) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "#Port<0.%llu>", (unsigned long long)p.id);
	pb_put(pb, tmp);
	return 0;
}

static int print_ref(struct tdec *d, struct pbuf *pb)
{
	char tmp[80];
	struct bt_ref r;

	if (tdec_ref(d, &r) < 0)
		return -1;
	pb_put(pb, fmt_ref(tmp, sizeof tmp, &r));
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

/* n terms one level down, separated by sep; past the width (or a full
 * buffer) the rest is skipped and shown as "...". */
static int print_seq(struct tdec *d, struct pbuf *pb, int n, const char *sep)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i >= PRINT_WIDTH || pb_full(pb)) {
			pb_put(pb, i > 0 ? sep : "");
			pb_put(pb, "...");
			for (; i < n; i++)
				if (tdec_skip(d) < 0)
					return -1;
			return 0;
		}
		if (i > 0)
			pb_put(pb, sep);
		if (print_at(d, pb, pb->depth + 1) < 0)
			return -1;
	}
	return 0;
}

static int print_list(struct tdec *d, struct pbuf *pb)
{
	int n;

	if (tdec_list(d, &n) < 0)
		return -1;
	pb_put(pb, "[");
	if (print_seq(d, pb, n, ",") < 0)
		return -1;
	if (!at_kind(d, TK_NIL)) {
		pb_put(pb, "|");
		if (print_at(d, pb, pb->depth + 1) < 0)
			return -1;
	} else {
		d->idx++;
	}
	pb_put(pb, "]");
	return 0;
}

/* {Mark, 7, Pairs}: a map the node sent as a list of pairs.  p is after
 * the 7; d moves past the cut when it is printed.  Returns 0, 1 when it
 * is no cut after all, or -1. */
static int print_cut_pairs(struct tdec *d, struct tdec *p, struct pbuf *pb)
{
	int pairs, i, ar;

	if (tdec_list(p, &pairs) < 0)
		return 1;
	pb_put(pb, "#{");
	for (i = 0; i < pairs; i++) {
		if (i)
			pb_put(pb, ",");
		if (tdec_tuple(p, &ar) == 0 && ar == 2) {
			if (print_at(p, pb, 1) < 0)
				return -1;
			pb_put(pb, " => ");
		}
		if (print_at(p, pb, 1) < 0)
			return -1;
	}
	if (tdec_list_end(p, pairs) < 0)
		return -1;
	pb_put(pb, "}");
	*d = *p;
	return 0;
}

/* A part of the term that the node cut before sending (see
 * src/queries/qc.escript): {Mark, 1, More} the rest of a list or tuple,
 * {Mark, 2, Prefix, Size} a long binary, {Mark, 3, Bytes} a subterm not
 * sent, {Mark, 7, Pairs} a map as pairs.  d is after the tuple's header.
 * Returns 0 when printed, 1 when it was no cut (d untouched), -1. */
static int print_cut(struct tdec *d, struct pbuf *pb, int n)
{
	char tmp[64];
	struct tdec p = *d;
	struct bt_ref r;
	int64_t kind, v;

	if (tdec_ref(&p, &r) < 0 || !bt_ref_eq(&r, pb->mark) ||
	    tdec_i64(&p, &kind) < 0)
		return 1;
	if (kind == 7 && n == 3)
		return print_cut_pairs(d, &p, pb);
	if (kind == 1 && n == 3 && tdec_i64(&p, &v) == 0) {
		if (v >= 0)
			snprintf(tmp, sizeof tmp, "\u2026(+%lld more)", (long long)v);
		else
			snprintf(tmp, sizeof tmp, "\u2026(more)");
	} else if (kind == 3 && n == 3 && tdec_i64(&p, &v) == 0) {
		snprintf(tmp, sizeof tmp, "\u2026(cut: %lld bytes)", (long long)v);
	} else if (kind == 2 && n == 4) {
		if (print_at(&p, pb, PRINT_DEPTH - 1) < 0 || tdec_i64(&p, &v) < 0)
			return -1;
		snprintf(tmp, sizeof tmp, "\u2026(%lld bytes)", (long long)v);
	} else {
		return 1;
	}
	pb_put(pb, tmp);
	*d = p;
	return 0;
}

static int print_tuple(struct tdec *d, struct pbuf *pb)
{
	int n, rc;

	if (tdec_tuple(d, &n) < 0)
		return -1;
	if (pb->mark && n >= 3) {
		rc = print_cut(d, pb, n);
		if (rc <= 0)
			return rc;
	}
	pb_put(pb, "{");
	if (print_seq(d, pb, n, ",") < 0)
		return -1;
	pb_put(pb, "}");
	return 0;
}

/* An Elixir struct is a map whose __struct__ key holds an atom: its
 * module into name and 1, or 0 for a plain map, or -1.  d (after the
 * map's header, n pairs) is not moved. */
static int struct_name(const struct tdec *d, int n, char *name, size_t len)
{
	struct tdec probe = *d;
	int i;

	for (i = 0; i < n; i++) {
		/* Keys are unique: the first __struct__ decides. */
		if (tdec_atom_is(&probe, "__struct__"))
			return tdec_atom(&probe, name, len) == 0;
		if (tdec_skip(&probe) < 0 || tdec_skip(&probe) < 0)
			return -1;
	}
	return 0;
}

/* The n pairs of a map, one level down; a struct's __struct__ pair is
 * left out (its module was shown in front). */
static int print_pairs(struct tdec *d, struct pbuf *pb, int n, int is_struct)
{
	int i;

	for (i = 0; i < n; i++) {
		struct tdec keyprobe = *d;

		if (is_struct && tdec_atom_is(&keyprobe, "__struct__")) {
			*d = keyprobe;
			if (tdec_skip(d) < 0)
				return -1;
			continue;
		}
		if (i >= PRINT_WIDTH || pb_full(pb)) {
			pb_put(pb, "...");
			for (; i < n; i++)
				if (tdec_skip(d) < 0 || tdec_skip(d) < 0)
					return -1;
			return 0;
		}
		if (pb->out[pb->len - 1] != '{')
			pb_put(pb, ",");
		if (print_at(d, pb, pb->depth + 1) < 0)
			return -1;
		pb_put(pb, is_struct ? ": " : " => ");
		if (print_at(d, pb, pb->depth + 1) < 0)
			return -1;
	}
	return 0;
}

/* #{K => V} for a map, %Mod{k: v} for a struct, the way iex shows it. */
static int print_map(struct tdec *d, struct pbuf *pb)
{
	char sname[TDEC_ATOM_MAX];
	int n, is_struct;

	if (tdec_map(d, &n) < 0)
		return -1;
	is_struct = struct_name(d, n, sname, sizeof sname);
	if (is_struct < 0)
		return -1;
	if (is_struct) {
		pb_put(pb, "%");
		pb_put(pb, elixir_name(sname));
		pb_put(pb, "{");
	} else {
		pb_put(pb, "#{");
	}
	if (print_pairs(d, pb, n, is_struct) < 0)
		return -1;
	pb_put(pb, "}");
	return 0;
}

static int (*const printer[])(struct tdec *, struct pbuf *) = {
	[TK_INT] = print_int, [TK_FLOAT] = print_float, [TK_ATOM] = print_atom,
	[TK_BINARY] = print_bytes, [TK_STRING] = print_bytes,
	[TK_LIST] = print_list, [TK_NIL] = print_nil, [TK_TUPLE] = print_tuple,
	[TK_MAP] = print_map, [TK_PID] = print_pid, [TK_PORT] = print_port,
	[TK_REF] = print_ref, [TK_FUN] = print_fun, [TK_BITS] = print_bits,
	[TK_OTHER] = print_other,
};

static int print_term(struct tdec *d, struct pbuf *pb)
{
	enum tkind k;

	if (tdec_kind(d, &k, NULL) < 0)
		return -1;
	if (pb->depth >= PRINT_DEPTH &&
	    (k == TK_TUPLE || k == TK_LIST || k == TK_MAP)) {
		pb_put(pb, "...");
		return tdec_skip(d);
	}
	return printer[k](d, pb);
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
	struct pbuf pb = { out, 0, outlen, mark, 0 };
	struct tdec save = *d;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (print_term(d, &pb) < 0) {
		*d = save;
		out[0] = '\0';
		return -1;
	}
	return 0;
}
