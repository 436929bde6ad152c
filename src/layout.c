/*
 * layout.c - screen arithmetic without a terminal (see layout.h).
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "beamtop/format.h"
#include "beamtop/layout.h"
#include "beamtop/ring.h"

static int utf8;

void layout_set_utf8(int on)
{
	utf8 = on;
}

int layout_utf8(void)
{
	return utf8;
}

/* The next character of s (n bytes left): returns its length in bytes,
 * with the cells it takes in *w and *ok 0 when it cannot be shown (then
 * it is one byte, shown as one '?'). */
static size_t next_char(const char *s, size_t n, mbstate_t *st, int *w,
			int *ok)
{
	wchar_t wc;
	size_t len = mbrtowc(&wc, s, n, st);

	*ok = 1;
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		memset(st, 0, sizeof *st);
		*w = 1;
		*ok = 0;
		return 1;
	}
	*w = wcwidth(wc);
	/* Without UTF-8, what mbrtowc() takes for one character of several
	 * bytes would be several on the terminal. */
	if (*w < 0 || (!utf8 && len > 1)) {
		*w = 1;
		*ok = 0;
	}
	return len;
}

size_t text_clean(const char *s, int maxcols, int *cols, char *out,
		  size_t outlen)
{
	mbstate_t st;
	size_t i = 0, o = 0, n = strlen(s);
	int used = 0;

	memset(&st, 0, sizeof st);
	while (i < n) {
		char esc[FMT_ESC_MAX];
		size_t len = fmt_escape_char(s + i, n - i, esc);
		int w, ok;

		/* Shown as batch text shows it (format.h), one cell a byte. */
		if (esc[0]) {
			w = (int)strlen(esc);
			if (used + w > maxcols)
				break;
			if (out) {
				if (o + (size_t)w >= outlen)
					break;
				memcpy(out + o, esc, (size_t)w);
				o += (size_t)w;
			}
			used += w;
			i += len;
			continue;
		}
		len = next_char(s + i, n - i, &st, &w, &ok);
		if (used + w > maxcols)
			break;
		if (out) {
			if (o + (ok ? len : 1) >= outlen)
				break;
			if (ok) {
				memcpy(out + o, s + i, len);
				o += len;
			} else {
				out[o++] = '?';
			}
		}
		used += w;
		i += len;
	}
	if (out && outlen)
		out[o] = '\0';
	*cols = used;
	return i;
}

size_t text_fit(const char *s, int maxcols, int *cols)
{
	return text_clean(s, maxcols, cols, NULL, 0);
}

int text_width(const char *s)
{
	int cols;

	text_clean(s, 1 << 30, &cols, NULL, 0);
	return cols;
}

size_t text_wrap(const char *s, int cols)
{
	size_t n;
	int used, w;

	if (!*s)
		return 0;
	n = text_fit(s, cols, &used);
	/* A character (or escape) wider than the row still takes one. */
	for (w = cols + 1; n == 0 && w <= cols + FMT_ESC_MAX; w++)
		n = text_fit(s, w, &used);
	return n ? n : 1;
}

int text_rows(const char *s, int cols)
{
	int rows = 1;
	size_t n;

	while ((n = text_wrap(s, cols)) > 0 && s[n]) {
		s += n;
		rows++;
	}
	return rows;
}

void text_mark_cut(char *s, size_t n, int maxcols)
{
	const char *mark = utf8 ? "\xe2\x80\xa6" : "~";
	size_t at;
	int cols;

	if (maxcols <= 0 || n < 2 || text_width(s) <= maxcols)
		return;
	at = text_fit(s, maxcols - 1, &cols);
	if (at + strlen(mark) >= n)
		mark = "~";
	if (at + 1 >= n)
		at = n - 2;
	memcpy(s + at, mark, strlen(mark) + 1);
}

void layout_too_small(char *buf, size_t n, int cols, int rows, int need_cols,
		      int need_rows)
{
	int len = snprintf(buf, n, "Terminal too small: %dx%d, beamtop needs %dx%d",
			   cols, rows, need_cols, need_rows);

	if (len > cols)
		len = snprintf(buf, n, "too small: need %dx%d", need_cols, need_rows);
	if (len > cols)
		len = snprintf(buf, n, "need %dx%d", need_cols, need_rows);
	if (len > cols)
		snprintf(buf, n, "%dx%d", need_cols, need_rows);
}

void layout_split(const uint64_t *parts, int n, uint64_t total, int width,
		  int *cells)
{
	double exact[16], sum = 0;
	int i, given = 0, want;

	for (i = 0; i < n; i++) {
		exact[i] = total && i < 16 ? (double)parts[i] * width / (double)total : 0;
		cells[i] = (int)exact[i];
		given += cells[i];
		sum += exact[i];
	}
	want = (int)(sum + 0.5);
	if (want > width)
		want = width;
	/* Hand out the rest to the largest remainders. */
	while (given < want) {
		int best = -1;
		double rem = -1;

		for (i = 0; i < n && i < 16; i++)
			if (exact[i] - cells[i] > rem) {
				rem = exact[i] - cells[i];
				best = i;
			}
		if (best < 0)
			break;
		cells[best]++;
		exact[best] = cells[best]; /* used up */
		given++;
	}
}

void layout_spark(const struct ring *r, int width, char *out, size_t outlen)
{
	static const char *const blocks[] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"
	};
	static const char ascii[] = "_.-~=+*#";
	int n = r->n < width ? r->n : width, i, first = r->n - n;
	double lo = 0, hi = 0;
	size_t o = 0;

	for (i = 0; i < n; i++) {
		double v = ring_get(r, first + i);

		if (i == 0 || v < lo)
			lo = v;
		if (i == 0 || v > hi)
			hi = v;
	}
	for (i = 0; i < width - n && o + 1 < outlen; i++)
		out[o++] = ' ';
	for (i = 0; i < n; i++) {
		double v = ring_get(r, first + i);
		int level = hi > lo ? (int)((v - lo) / (hi - lo) * 7 + 0.5) : 0;

		if (utf8) {
			size_t len = strlen(blocks[level]);

			if (o + len >= outlen)
				break;
			memcpy(out + o, blocks[level], len);
			o += len;
		} else if (o + 1 < outlen) {
			out[o++] = ascii[level];
		}
	}
	if (outlen)
		out[o] = '\0';
}

int layout_columns(const int *minw, const int *flex, int n, int total,
		   int gap, int *out)
{
	int i, used, shown = n, nflex, extra;

	for (;;) {
		used = 0;
		nflex = 0;
		for (i = 0; i < shown; i++) {
			used += minw[i] + (i ? gap : 0);
			nflex += flex[i] != 0;
		}
		if (used <= total || shown == 1)
			break;
		shown--;
	}
	extra = total > used ? total - used : 0;
	for (i = 0; i < n; i++) {
		out[i] = i < shown ? minw[i] : 0;
		if (i < shown && flex[i] && nflex) {
			out[i] += extra / nflex;
			/* The first flexible column takes the odd cells. */
			if (extra % nflex) {
				out[i] += extra % nflex;
				extra -= extra % nflex;
			}
		}
	}
	return shown;
}

int layout_growing(const struct ring *r)
{
	int n = r->n < 10 ? r->n : 10, i;
	double first, last;

	if (n < 5)
		return 0;
	for (i = r->n - n + 1; i < r->n; i++)
		if (ring_get(r, i) < ring_get(r, i - 1))
			return 0;
	first = ring_get(r, r->n - n);
	last = ring_get(r, r->n - 1);
	return last - first > 1048576.0 && last - first > last / 100;
}
