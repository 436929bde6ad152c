/*
 * decode_text.c - how the two shells write the parts of a term that are
 * text (see decode_priv.h): atoms, bare or quoted; floats, in the
 * shortest digits that read back as the same number; strings and
 * binaries, when they are text, and their escapes.
 *
 * The rules are those of the releases beamtop is tested with: the Erlang
 * shell of OTP 25 (io_lib's quoting of atoms and reserved words,
 * float_to_list(F, [short])) and IEx of Elixir 1.14 (Inspect's atoms,
 * aliases and charlists).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "decode_priv.h"

/* Words that Erlang's parser reserves: an atom spelled so is quoted. */
static const char *const reserved[] = {
	"after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr",
	"bxor", "case", "catch", "cond", "div", "end", "fun", "if", "let", "not",
	"of", "or", "orelse", "receive", "rem", "try", "when", "xor", NULL
};

/* Operators that IEx writes bare after the colon (:+, :<>). */
static const char *const operators[] = {
	"+", "-", "*", "/", "**", "==", "!=", "===", "!==", "<", ">", "<=", ">=",
	"&&", "||", "!", "++", "--", "+++", "---", "..", "<>", "|>", "=~", "=",
	"&", "@", ".", "^", "->", "\\\\", "|", "%", "%{}", "{}", "<<>>", "...",
	"<<<", ">>>", "~>>", "<<~", "~>", "<~", "<~>", "^^^", "~~~", "&&&",
	"|||", "//", NULL
};

static int among(const char *s, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	return 0;
}

static int lower(int c) { return c >= 'a' && c <= 'z'; }
static int upper(int c) { return c >= 'A' && c <= 'Z'; }
static int digit(int c) { return c >= '0' && c <= '9'; }

/* The next character of a (NUL-terminated) as a code point, 0 at the
 * end or when it is not UTF-8; *len its bytes. */
static unsigned next_cp(const char *a, size_t *len)
{
	uint32_t cp = 0;

	*len = fmt_utf8_char((const unsigned char *)a, strlen(a), &cp);
	return *len ? cp : 0;
}

/* Latin-1's letters (not the signs × and ÷), which Erlang's names may
 * hold; lower case from ß on. */
static int latin1_letter(unsigned c) { return c >= 0xc0 && c <= 0xff && c != 0xd7 && c != 0xf7; }

/* Letters as Elixir's identifiers take them (Latin, Greek, Cyrillic:
 * an approximation of Unicode's classes that covers the usual names). */
static int ex_letter(unsigned c)
{
	return lower((int)c) || upper((int)c) || (c >= 0xc0 && c <= 0x2af &&
	       c != 0xd7 && c != 0xf7) || (c >= 0x370 && c <= 0x52f && c != 0x37e &&
	       c != 0x387);
}

/* Erlang writes it bare: a lower-case letter, then letters, digits, _
 * and @, and no reserved word. */
static int erl_bare(const char *a)
{
	const char *p;
	size_t len;
	unsigned c = next_cp(a, &len);

	if (!lower((int)c) && !(latin1_letter(c) && c >= 0xdf))
		return 0;
	for (p = a + len; *p; p += len) {
		c = next_cp(p, &len);
		if (!lower((int)c) && !upper((int)c) && !digit((int)c) && c != '_' &&
		    c != '@' && !latin1_letter(c))
			return 0;
	}
	return !among(a, reserved);
}

/* An Elixir identifier: a letter or _, then letters, digits, _ and @,
 * ending in at most one ? or !. */
static int ex_identifier(const char *a)
{
	size_t len;
	unsigned c = next_cp(a, &len);

	if (!ex_letter(c) && c != '_')
		return 0;
	for (a += len; *a; a += len) {
		c = next_cp(a, &len);
		if (ex_letter(c) || digit((int)c) || c == '_' || c == '@')
			continue;
		return (c == '?' || c == '!') && a[len] == '\0';
	}
	return 1;
}

/* An alias: Elixir, or Elixir. and dotted parts that start upper-case. */
static int ex_alias(const char *a)
{
	return fmt_alias(a) != a || strcmp(a, "Elixir") == 0;
}

int tx_keyable(const char *atom)
{
	return !ex_alias(atom);
}

/* One character of an atom or a string, escaped as the shell escapes
 * it (q the quote it stands between); "" when it is shown as it is. */
static const char *escape(struct pbuf *pb, unsigned char c, char q, char *tmp)
{
	static const char plain[] = "\n\r\t\v\b\f\033";
	static const char *const as[] = { "\\n", "\\r", "\\t", "\\v", "\\b", "\\f", "\\e" };
	const char *at = c ? strchr(plain, c) : NULL;

	if (c == (unsigned char)q || c == '\\') {
		snprintf(tmp, 4, "\\%c", c);
		return tmp;
	}
	if (at)
		return as[at - plain];
	if (pb->ex && c == 7)
		return "\\a";
	if (c == 127)
		return pb->ex ? "\\d" : "\\177";
	if (c < 32) {
		snprintf(tmp, 8, pb->ex ? "\\x%02X" : "\\%03o", c);
		return tmp;
	}
	return "";
}

void tx_quoted(struct pbuf *pb, const unsigned char *s, size_t n, char q, int latin1)
{
	char tmp[8], u8[2];
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		const char *esc;

		/* A NUL that the decoder kept in an atom (C0 80). */
		if (s[i] == 0xc0 && i + 1 < n && s[i + 1] == 0x80) {
			pb_putn(pb, (const char *)s + from, i - from);
			pb_put(pb, pb->ex ? "\\0" : "\\000");
			from = ++i + 1;
			continue;
		}
		if (latin1 && s[i] >= 0x80) {
			pb_putn(pb, (const char *)s + from, i - from);
			u8[0] = (char)(0xc0 | s[i] >> 6);
			u8[1] = (char)(0x80 | (s[i] & 0x3f));
			pb_putn(pb, u8, 2);
			from = i + 1;
			continue;
		}
		esc = escape(pb, s[i], q, tmp);
		/* Elixir would read #{ as interpolation. */
		if (!esc[0] && pb->ex && q == '"' && s[i] == '#' && i + 1 < n &&
		    s[i + 1] == '{')
			esc = "\\#";
		if (!esc[0])
			continue;
		pb_putn(pb, (const char *)s + from, i - from);
		pb_put(pb, esc);
		from = i + 1;
	}
	pb_putn(pb, (const char *)s + from, n - from);
}

void tx_atom(struct pbuf *pb, const char *atom)
{
	const unsigned char *u = (const unsigned char *)atom;

	if (!pb->ex) {
		if (erl_bare(atom)) {
			pb_put(pb, atom);
			return;
		}
		pb_put(pb, "'");
		tx_quoted(pb, u, strlen(atom), '\'', 0);
		pb_put(pb, "'");
		return;
	}
	if (ex_alias(atom)) {
		pb_put(pb, fmt_alias(atom));
		return;
	}
	if (!strcmp(atom, "nil") || !strcmp(atom, "true") || !strcmp(atom, "false")) {
		pb_put(pb, atom);
		return;
	}
	pb_put(pb, ":");
	if (ex_identifier(atom) || among(atom, operators)) {
		pb_put(pb, atom);
		return;
	}
	pb_put(pb, "\"");
	tx_quoted(pb, u, strlen(atom), '"', 0);
	pb_put(pb, "\"");
}

void tx_key(struct pbuf *pb, const char *atom)
{
	if (ex_identifier(atom)) {
		pb_put(pb, atom);
	} else {
		pb_put(pb, "\"");
		tx_quoted(pb, (const unsigned char *)atom, strlen(atom), '"', 0);
		pb_put(pb, "\"");
	}
	pb_put(pb, ": ");
}

/* The shortest decimal digits that read back as f (no sign, no trailing
 * zeros) into dig, and the power of ten of the first one. */
static void shortest(double f, char *dig, size_t n, int *exp10)
{
	char tmp[48], *p, *e;
	size_t k = 0;
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	/* d[.ddd]e[+-]XX, whatever the locale's decimal point. */
	e = strchr(tmp, 'e');
	for (p = tmp; p < e && k + 1 < n; p++)
		if (digit((unsigned char)*p))
			dig[k++] = *p;
	while (k > 1 && dig[k - 1] == '0')
		k--;
	dig[k] = '\0';
	*exp10 = (int)strtol(e + 1, NULL, 10);
}

/* The digits in place: 0.000ddd, ddd000.0 or dd.ddd. */
static void in_place(char *out, size_t n, const char *sign, const char *dig,
		     int e10)
{
	int len = (int)strlen(dig), i;
	size_t at = (size_t)snprintf(out, n, "%s", sign);

	if (e10 < 0) {
		at += (size_t)snprintf(out + at, n - at, "0.");
		for (i = 0; i < -e10 - 1 && at + 1 < n; i++)
			out[at++] = '0';
		snprintf(out + at, n - at, "%s", dig);
	} else if (len <= e10 + 1) {
		at += (size_t)snprintf(out + at, n - at, "%s", dig);
		for (i = len; i < e10 + 1 && at + 1 < n; i++)
			out[at++] = '0';
		snprintf(out + at, n - at, ".0");
	} else {
		snprintf(out + at, n - at, "%.*s.%s", e10 + 1, dig, dig + e10 + 1);
	}
}

/* Both shells' rule (float_to_list(F, [short])): the digits in place or
 * with an exponent, whichever is shorter (in place on a tie), and with
 * an exponent from 2^53 on, where integers are no longer exact. */
void tx_float(char *buf, size_t n, double f)
{
	char dig[24], fixed[400], sci[48];
	const char *sign = f < 0 || (f == 0 && 1 / f < 0) ? "-" : "";
	double a = f < 0 ? -f : f;
	int e10;

	if (f == 0) {
		snprintf(buf, n, "%s0.0", sign);
		return;
	}
	/* No node sends these; a malformed message may. */
	if (isnan(f) || isinf(f)) {
		snprintf(buf, n, "%s", isnan(f) ? "nan" : f > 0 ? "inf" : "-inf");
		return;
	}
	shortest(a, dig, sizeof dig, &e10);
	snprintf(sci, sizeof sci, "%s%c.%se%d", sign, dig[0], dig[1] ? dig + 1 : "0",
		 e10);
	in_place(fixed, sizeof fixed, sign, dig, e10);
	snprintf(buf, n, "%s", a >= 9007199254740992.0 || strlen(fixed) > strlen(sci) ?
		 sci : fixed);
}

/* A control character that the shell writes as an escape in a string. */
static int escapable(const struct pbuf *pb, unsigned c)
{
	return (c >= 8 && c <= 13) || c == 27 || (pb->ex && (c == 7 || c == 127));
}

int tx_is_text(const struct pbuf *pb, const unsigned char *s, size_t n, int list)
{
	size_t i, len;
	uint32_t cp;
	int wide = 0;

	for (i = 0; i < n; i++) {
		if ((s[i] >= 32 && s[i] < 127) || escapable(pb, s[i]))
			continue;
		if (s[i] < 0x80)
			return 0;
		/* Beyond ASCII: Erlang's charlists are Latin-1, Elixir's
		 * ASCII; binaries are UTF-8. */
		if (list) {
			if (pb->ex || s[i] < 160)
				return 0;
			continue;
		}
		if ((len = fmt_utf8_char(s + i, n - i, &cp)) == 0 || cp < 160)
			return 0;
		wide = 1;
		i += len - 1;
	}
	return wide ? 2 : 1;
}
