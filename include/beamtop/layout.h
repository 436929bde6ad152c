/*
 * layout.h - the arithmetic of the screen, kept apart from the terminal so
 * that it is tested without one: text widths, bars split by kind,
 * sparklines, and column widths.
 */
#ifndef BEAMTOP_LAYOUT_H
#define BEAMTOP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct ring;

/* Whether UTF-8 may be drawn (block characters, names as they are). */
void layout_set_utf8(int on);
int layout_utf8(void);

/* Columns a UTF-8 string takes. */
int text_width(const char *s);
/* How many bytes of s fit in maxcols columns; *cols gets their width. */
size_t text_fit(const char *s, int maxcols, int *cols);
/* Copies what fits in maxcols columns into out, with control characters
 * and bytes that are not UTF-8 escaped as fmt_escape_char does, and any
 * other character that cannot be shown (non-ASCII without UTF-8) as '?'.
 * Returns the bytes of s consumed. */
size_t text_clean(const char *s, int maxcols, int *cols, char *out,
		  size_t outlen);

/* Wrapping s at cols columns: the bytes of its first row (at least one
 * character, so that every row moves on; 0 only at the end of s). */
size_t text_wrap(const char *s, int cols);
/* How many rows s takes wrapped at cols columns (1 for ""). */
int text_rows(const char *s, int cols);

/* Cuts s (a buffer of n bytes) to maxcols columns, ending it with a
 * mark ("…", or "~" without UTF-8) when anything was cut, so that a cut
 * pid or name never passes for a whole one.  Leaves s alone if it fits. */
void text_mark_cut(char *s, size_t n, int maxcols);

/* The too-small-terminal message for a cols x rows terminal that needs
 * need_cols x need_rows: the longest wording that fits in cols, so the
 * sizes it names are never cut. */
void layout_too_small(char *buf, size_t n, int cols, int rows, int need_cols,
		      int need_rows);

/* Splits width cells among parts in proportion to their share of total
 * (largest remainders first); cells[i] gets part i's cells.  The sum is
 * width * sum(parts) / total, rounded, and never more than width. */
void layout_split(const uint64_t *parts, int n, uint64_t total, int width,
		  int *cells);

/* The last `width` values of r as a sparkline, scaled between their own
 * minimum and maximum, oldest on the left; fewer values are padded with
 * spaces on the left.  Writes a NUL-terminated string into out. */
void layout_spark(const struct ring *r, int width, char *out, size_t outlen);

/* 1 when the last samples of r (at least 5, at most 10) never fall and
 * grow by more than 1 MiB and 1 %: what "leak suspect" means. */
int layout_growing(const struct ring *r);

/* Column widths: each column gets its minimum; what is left goes to the
 * flexible ones (flex[i] != 0) equally.  Columns that do not fit at their
 * minimum get width 0 (hidden), last first.  Returns the columns shown. */
int layout_columns(const int *minw, const int *flex, int n, int total,
		   int gap, int *out);

#endif
