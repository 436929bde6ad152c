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

void text_mark_cut_middle(char *s, size_t n, int maxcols)
{
	const char *mark = utf8 ? "\xe2\x80\xa6" : "~";
	int total = text_width(s), hc, cols, skip, k;
	size_t h, t = 0, ml = strlen(mark), tl;
	char out[1024];

	if (maxcols < 3 || total <= maxcols) {
		text_mark_cut(s, n, maxcols);
		return;
	}
	/* A third for the head, the rest for the tail: the cells to skip
	 * end on a character boundary (a wide one or an escape takes more
	 * than one cell), so the tail may be a cell short. */
	h = text_fit(s, (maxcols - 1) / 3, &hc);
	skip = total - (maxcols - 1 - hc);
	for (k = skip; k <= total; k++) {
		t = text_fit(s, k, &cols);
		if (cols >= skip)
			break;
	}
	tl = strlen(s + t);
	if (h + ml + tl >= sizeof out || h + ml + tl >= n) {
		text_mark_cut(s, n, maxcols);
		return;
	}
	memcpy(out, s, h);
	memcpy(out + h, mark, ml);
	memcpy(out + h + ml, s + t, tl + 1);
	memcpy(s, out, h + ml + tl + 1);
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

/* Cells the shown columns take (width 0: hidden), with their gaps. */
static int fit_used(const int *w, int n, int gap)
{
	int i, used = 0, shown = 0;

	for (i = 0; i < n; i++)
		if (w[i] > 0)
			used += w[i] + (shown++ ? gap : 0);
	return used;
}

/* Hides columns, last first and kept ones last, until the minimums of
 * those left fit in total (one column always stays). */
static void fit_hide(const struct layout_col *c, int n, int total, int gap,
		     int *w)
{
	int min[LAYOUT_COLS_MAX], i, pass;

	for (i = 0; i < n; i++)
		min[i] = c[i].minw > 0 ? c[i].minw : 1;
	for (pass = 0; pass <= LAYOUT_KEEP_SORT; pass++)
		for (i = n - 1; i >= 0; i--) {
			if (fit_used(min, n, gap) <= total)
				return;
			if (min[i] > 0 && c[i].keep <= pass &&
			    fit_used(min, n, gap) > min[i]) {
				min[i] = 0;
				w[i] = 0;
			}
		}
}

/* The column that gives up a cell: the most beyond its minimum (a
 * flexible one, then the later one, on a tie); -1 when none can. */
static int fit_giver(const struct layout_col *c, int n, const int *w)
{
	int i, best = -1, most = 0;

	for (i = 0; i < n; i++) {
		int over = w[i] - c[i].minw;

		if (w[i] > 0 && over > 0 &&
		    (over > most || (over == most && (c[i].flex || !c[best].flex)))) {
			best = i;
			most = over;
		}
	}
	return best;
}

/* What is left: to the columns held back by their maximum, one cell each
 * in turn, then to the flexible ones (the first takes the odd cells). */
static void fit_grow(const struct layout_col *c, int n, int extra, int *w)
{
	int i, given = 1, nflex = 0, first = -1;

	while (extra > 0 && given)
		for (i = 0, given = 0; i < n && extra > 0; i++)
			if (w[i] > 0 && w[i] < c[i].want) {
				w[i]++;
				extra--;
				given = 1;
			}
	for (i = 0; i < n; i++)
		if (w[i] > 0 && c[i].flex && nflex++ == 0)
			first = i;
	for (i = 0; i < n && nflex; i++)
		if (w[i] > 0 && c[i].flex)
			w[i] += extra / nflex + (i == first ? extra % nflex : 0);
}

int layout_fit(const struct layout_col *c, int n, int total, int gap, int *w)
{
	int i, shown = 0, used;

	if (n > LAYOUT_COLS_MAX)
		n = LAYOUT_COLS_MAX;
	for (i = 0; i < n; i++) {
		int want = c[i].maxw > 0 && c[i].want > c[i].maxw ? c[i].maxw : c[i].want;

		w[i] = want > c[i].minw ? want : c[i].minw;
		if (w[i] < 1)
			w[i] = 1;
	}
	fit_hide(c, n, total, gap, w);
	while ((used = fit_used(w, n, gap)) > total && (i = fit_giver(c, n, w)) >= 0)
		w[i]--;
	if (used < total)
		fit_grow(c, n, total - used, w);
	for (i = 0; i < n; i++)
		shown += w[i] > 0;
	/* One column wider than the screen: cut to it. */
	for (i = 0; i < n && used > total; i++)
		if (w[i] > 0 && shown == 1)
			w[i] = total > 0 ? total : 0;
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
