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
/* The same, cut in the middle: the mark stands for what was taken out,
 * and the end, where ids differ (#Ref<0.1…3377.58109>), stays whole. */
void text_mark_cut_middle(char *s, size_t n, int maxcols);

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

/* A column to lay out (layout_fit()). */
struct layout_col {
	int want;   /* cells its title and its widest visible cell take */
	int minw;   /* the fewest cells it is given when shown */
	int maxw;   /* the most it is given before the others have their
		       want (0: no limit) */
	int flex;   /* takes a share of what is left at the end */
	int keep;   /* enum layout_keep: which columns are hidden last */
};

/* Columns are hidden last first, an id only when nothing but ids and the
 * sort key is left (it is what tells rows apart), the sort key last. */
enum layout_keep { LAYOUT_KEEP_NONE, LAYOUT_KEEP_ID, LAYOUT_KEEP_SORT };

#define LAYOUT_COLS_MAX 32

/* Column widths for total cells, gap cells between columns: each column
 * as wide as it wants within its minimum and maximum.  When that is too
 * wide, columns are hidden (width 0) until their minimums fit, last
 * first as `keep` says; then the column with the most cells beyond its
 * minimum gives one up, again and again, down to the minimums.  What is
 * left over goes first to the columns that want more than their maximum
 * (up to their want), then to the flexible ones equally.  n is at most
 * LAYOUT_COLS_MAX.  Returns the columns shown. */
int layout_fit(const struct layout_col *c, int n, int total, int gap, int *w);

#endif
