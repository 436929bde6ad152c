/*
 * listview.h - a sorted, filtered, scrollable table whose selection
 * follows identity (pid, table id, port id) rather than row number.
 *
 * The pane says how to rank its rows, how to tell them apart and how to
 * show each cell; listview keeps only the rows that can be on screen in
 * order (partial selection, not a sort of everything), and draws the
 * header with the sort column marked and the selected row highlighted.
 */
#ifndef BEAMTOP_LISTVIEW_H
#define BEAMTOP_LISTVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "beamtop/input.h"

#define FILTER_MAX 64

/* A list's view: selection and scroll follow identity across refreshes. */
struct list_state {
	uint64_t sel;          /* identity of the selected row */
	int has_sel;
	long sel_row;          /* its row when last drawn */
	int move_by_row;       /* a key moved the row: take the key from it */
	int moved;             /* the user moved the selection: it follows its
	                        * row's identity; until then it stays on the
	                        * top row, whoever that is (htop's way) */
	size_t offset;         /* first row shown */
	int sort;              /* the pane's own sort key */
	int invert;
	char filter[FILTER_MAX];
	/* The order last computed: order[i] is the i-th row shown. */
	size_t *order;
	size_t norder, cap, total;
	unsigned long gen;     /* what it was computed from (see listview.c) */
	int page;              /* rows on a page, for PgUp/PgDn */
	int to_top;            /* a new sort: show the top (see lv_sort()) */
};

struct lv_source {
	const void *ctx;
	size_t n;   /* rows */
	/* Rank value of row i; set *skip for rows filtered out. */
	double (*value)(const void *ctx, size_t i, int *skip);
	uint64_t (*id)(const void *ctx, size_t i);
	int ascending;
	unsigned long gen;   /* changes whenever the rows or filter change */
};

/* A column: its width follows what is on screen (layout_fit()). */
struct lv_column {
	const char *title;
	int minw;        /* the fewest cells it is given */
	int maxw;        /* the most, while other columns want room (0: any) */
	int flex;        /* takes a share of what is left */
	int right;       /* right-aligned */
	int middle;      /* an id: cut in the middle, its end kept */
	int sort;        /* the sort key it shows, or -1 */
	/* Text of row i in this column; *role may be changed. */
	void (*cell)(const void *ctx, size_t i, char *buf, size_t n, int *role);
};

struct field_list;
/* The columns for fields ids[0..n) of l (or its default ones when ids is
 * NULL) into out (room for max), and the column of sort key `sort` after
 * them when they do not have it: the sort key's column is always shown.
 * Their cells take the model as context.  Returns how many. */
int lv_field_columns(const struct field_list *l, const int *ids, int n,
		     int sort, struct lv_column *out, int max);

/* < and >: the sort key of the next sortable column among ids[0..nids)
 * of l (NULL: its default columns) after the one that is `sort`, left
 * (dir < 0) or right, wrapping around. */
int lv_next_sort(const struct field_list *l, const int *ids, int nids, int sort,
		 int dir);

/* Orders the rows that can be on screen (rows tall) and places the
 * selection.  Returns the number of rows in order. */
size_t lv_layout(struct list_state *ls, const struct lv_source *src, int rows);

/* Draws header (at top) and rows (below it, rows - 1 of them) across
 * width cells: each column as wide as its title and its widest cell on
 * screen (layout_fit()), the column of `sort` shown whatever else must
 * go, a cut cell marked. */
void lv_draw(const struct list_state *ls, const struct lv_column *cols, int ncols,
	     const void *ctx, int sort, int top, int rows, int width);

/* Applies a navigation action to ls; returns 1 if it was one. */
int lv_navigate(struct list_state *ls, enum action act);

/* Frees the order buffer. */
void lv_free(struct list_state *ls);

/* A pane whose state is one list: made sorted by `sort` (NULL when out
 * of memory), freed, and the list itself (pane.init, .free, .list). */
void *lv_state_new(int sort);
void lv_state_free(void *ls);
struct list_state *lv_state(void *ls);

/* A sort key was pressed: by `sort`, in its natural order (largest first;
 * pressed again it stays so: I inverts), and the view goes to the top of
 * the new order, as htop does; the selected row stays selected only if it
 * is on that first page. */
void lv_sort(struct list_state *ls, int sort);
/* I: the order inverted, the view at its top. */
void lv_invert(struct list_state *ls);

#endif
