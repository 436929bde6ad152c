/*
 * format.c - numbers and ids as text (see format.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/ids.h"

char *fmt_bytes(char *buf, size_t n, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = fabs(bytes);
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%s%.0f %s", bytes < 0 ? "-" : "", v, unit[u]);
	else
		snprintf(buf, n, "%s%.*f %s", bytes < 0 ? "-" : "", v < 10 ? 2 : v < 100 ? 1 : 0,
			 v, unit[u]);
	return buf;
}

char *fmt_count(char *buf, size_t n, double v)
{
	static const char suffix[] = " kMGTP";
	double a = fabs(v);
	int s = 0;

	while (a >= 999.5 && s < 5) {
		a /= 1000;
		s++;
	}
	if (s == 0)
		snprintf(buf, n, "%s%.0f", v < 0 ? "-" : "", a);
	else
		snprintf(buf, n, "%s%.*f%c", v < 0 ? "-" : "", a < 10 ? 2 : a < 100 ? 1 : 0,
			 a, suffix[s]);
	return buf;
}

char *fmt_pid(char *buf, size_t n, const struct bt_pid *p)
{
	snprintf(buf, n, "<0.%u.%u>", p->num, p->serial);
	return buf;
}

const char *fmt_alias(const char *name)
{
	const char *p;

	if (strncmp(name, "Elixir.", 7) != 0)
		return name;
	/* Dotted parts, each a capital and then letters, digits and _. */
	for (p = name + 7; *p;) {
		if (*p < 'A' || *p > 'Z')
			return name;
		for (p++; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		     (*p >= '0' && *p <= '9') || *p == '_'; p++)
			;
		if (*p == '.' && p[1])
			p++;
		else if (*p)
			return name;
	}
	return name[7] ? name + 7 : name;
}

char *fmt_port(char *buf, size_t n, const struct bt_port *p)
{
	snprintf(buf, n, "#Port<0.%llu>", (unsigned long long)p->id);
	return buf;
}

char *fmt_ref(char *buf, size_t n, const struct bt_ref *r)
{
	size_t len;
	int i;

	snprintf(buf, n, "#Ref<0");
	for (i = r->len - 1; i >= 0; i--) {
		len = strlen(buf);
		snprintf(buf + len, n - len, ".%u", r->n[i]);
	}
	len = strlen(buf);
	snprintf(buf + len, n - len, ">");
	return buf;
}

/* Divides the big-endian number w[0..n) by d in place; returns the rest. */
static uint32_t divide(uint32_t *w, size_t n, uint32_t d)
{
	uint64_t rest = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t cur = rest << 32 | w[i];

		w[i] = (uint32_t)(cur / d);
		rest = cur % d;
	}
	return (uint32_t)rest;
}

char *fmt_bigint(char *buf, size_t n, int negative, const unsigned char *mag,
		 size_t len)
{
	/* 2,466 digits at most for the sizes we print; more is cut. */
	char dig[2560];
	uint32_t w[256];
	size_t nw = (len + 3) / 4, i, nd = 0, first = 0;

	if (n == 0)
		return buf;
	if (nw > 256) {
		snprintf(buf, n, "%s<integer of %zu bytes>", negative ? "-" : "", len);
		return buf;
	}
	memset(w, 0, sizeof w);
	for (i = 0; i < len; i++)
		w[nw - 1 - i / 4] |= (uint32_t)mag[i] << (8 * (i % 4));
	/* Nine digits at a time, least significant first. */
	do {
		uint32_t r = divide(w + first, nw - first, 1000000000u);
		int k;

		for (k = 0; k < 9; k++, r /= 10)
			dig[nd++] = (char)('0' + r % 10);
		while (first < nw && w[first] == 0)
			first++;
	} while (first < nw);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	i = 0;
	if (negative && i + 1 < n)
		buf[i++] = '-';
	while (nd > 0 && i + 1 < n)
		buf[i++] = dig[--nd];
	buf[i] = '\0';
	if (nd > 0 && n > 4)
		memcpy(buf + n - 4, "...", 4);
	return buf;
}

char *fmt_uptime(char *buf, size_t n, uint64_t ms)
{
	uint64_t s = ms / 1000, d = s / 86400;

	s %= 86400;
	if (d)
		snprintf(buf, n, "%llud %02u:%02u:%02u", (unsigned long long)d,
			 (unsigned)(s / 3600), (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	else
		snprintf(buf, n, "%02u:%02u:%02u", (unsigned)(s / 3600),
			 (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	return buf;
}

char *fmt_percent(char *buf, size_t n, double ratio)
{
	if (ratio < 0)
		snprintf(buf, n, "  n/a");
	else
		snprintf(buf, n, "%.1f%%", ratio * 100);
	return buf;
}

size_t fmt_utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80)
		len = 1, c = s[0];
	else if ((s[0] & 0xE0) == 0xC0)
		len = 2, c = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, c = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t fmt_escape_char(const char *s, size_t n, char esc[FMT_ESC_MAX])
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = 0;
	size_t len;

	esc[0] = '\0';
	if (n >= 2 && u[0] == 0xC0 && u[1] == 0x80) {
		snprintf(esc, FMT_ESC_MAX, "\\x00");
		return 2;
	}
	len = fmt_utf8_char(u, n, &cp);
	if (len == 0) {
		snprintf(esc, FMT_ESC_MAX, "\\x%02x", u[0]);
		return 1;
	}
	switch (cp) {
	case '\n': snprintf(esc, FMT_ESC_MAX, "\\n"); break;
	case '\r': snprintf(esc, FMT_ESC_MAX, "\\r"); break;
	case '\t': snprintf(esc, FMT_ESC_MAX, "\\t"); break;
	case 0x1B: snprintf(esc, FMT_ESC_MAX, "\\e"); break;
	case '\\': snprintf(esc, FMT_ESC_MAX, "\\\\"); break;
	default:
		/* C0, DEL and C1 (8-bit CSI, OSC...) act on terminals. */
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			snprintf(esc, FMT_ESC_MAX, "\\x%02x", (unsigned)cp);
	}
	return len;
}

char *fmt_escape(char *buf, size_t n, const char *s)
{
	size_t left = strlen(s), o = 0;

	if (n == 0)
		return buf;
	while (left > 0) {
		char esc[FMT_ESC_MAX];
		size_t len = fmt_escape_char(s, left, esc);
		size_t out = esc[0] ? strlen(esc) : len;

		if (o + out >= n)
			break;
		memcpy(buf + o, esc[0] ? esc : s, out);
		o += out;
		s += len;
		left -= len;
	}
	buf[o] = '\0';
	return buf;
}

void parse_name(const char *s, char *atom, size_t n)
{
	size_t len = strlen(s), o = 0;
	char q = 0;

	if (n == 0)
		return;
	if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'') {
		q = '\'';
	} else if (s[0] == ':') {
		s++, len--;
		if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
			q = '"';
	}
	if (q)
		s++, len -= 2;
	for (; len > 0 && o + 1 < n; s++, len--) {
		if (q && *s == '\\' && len > 1)
			s++, len--;
		atom[o++] = *s;
	}
	atom[o] = '\0';
}

int parse_pid(const char *s, struct bt_pid *p)
{
	unsigned long a, b, c;
	char *end;
	int lt = *s == '<';

	if (lt)
		s++;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (end == s || *end != '.')
		return -1;
	s = end + 1;
	b = strtoul(s, &end, 10);
	if (end == s || *end != '.')
		return -1;
	s = end + 1;
	c = strtoul(s, &end, 10);
	if (end == s || errno || a != 0 || b > UINT32_MAX || c > UINT32_MAX)
		return -1;
	if (lt ? strcmp(end, ">") != 0 : *end != '\0')
		return -1;
	memset(p, 0, sizeof *p);
	p->num = (uint32_t)b;
	p->serial = (uint32_t)c;
	return 0;
}

int parse_seconds(const char *s, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v > 0) || v > 86400)
		return -1;
	*ms = (unsigned)(v * 1000 + 0.5);
	if (*ms == 0)
		*ms = 1;
	return 0;
}

int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;
	unsigned long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (*end || errno || x > max)
		return -1;
	*v = x;
	return 0;
}
