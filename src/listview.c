/*
 * listview.c - sorted, scrollable, identity-keyed tables (see listview.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/layout.h"
#include "beamtop/fields.h"
#include "beamtop/listview.h"
#include "beamtop/term.h"
#include "beamtop/topn.h"

/* Computes the first k rows in order into ls->order. */
static int order_rows(struct list_state *ls, const struct lv_source *src,
		      size_t k)
{
	if (k > ls->cap) {
		size_t *o = realloc(ls->order, k * sizeof *o);

		if (!o)
			return -1;
		ls->order = o;
		ls->cap = k;
	}
	ls->norder = topn_select_count(src->ctx, src->n, src->value, k,
				       src->ascending, ls->order, &ls->total);
	ls->gen = src->gen;
	return 0;
}

/* Rank of the row with identity id: how many kept rows come before it.
 * -1 when it is not there (gone, or filtered out). */
static long rank_of(const struct lv_source *src, uint64_t id)
{
	size_t i, at = (size_t)-1, before = 0;
	double v = 0;
	int skip;

	for (i = 0; i < src->n; i++)
		if (src->id(src->ctx, i) == id) {
			v = src->value(src->ctx, i, &skip);
			if (skip)
				return -1;
			at = i;
			break;
		}
	if (at == (size_t)-1)
		return -1;
	for (i = 0; i < src->n; i++) {
		double w = src->value(src->ctx, i, &skip);

		if (skip)
			continue;
		if (src->ascending ? (w < v || (w == v && i < at)) :
				     (w > v || (w == v && i < at)))
			before++;
	}
	return (long)before;
}

static void clamp_row(struct list_state *ls)
{
	if (ls->sel_row >= (long)ls->total)
		ls->sel_row = (long)ls->total - 1;
	if (ls->sel_row < 0)
		ls->sel_row = 0;
}

/* The selection is whatever is on sel_row (clamped to the rows). */
static void take_row(struct list_state *ls, const struct lv_source *src)
{
	clamp_row(ls);
	ls->has_sel = ls->total > 0 && (size_t)ls->sel_row < ls->norder;
	if (ls->has_sel)
		ls->sel = src->id(src->ctx, ls->order[ls->sel_row]);
}

/* A new sort: the top of the new order, the selection kept only if it
 * is on the first page. */
static void to_top(struct list_state *ls, const struct lv_source *src, int rows)
{
	size_t i;

	ls->to_top = 0;
	ls->move_by_row = 1;
	ls->sel_row = 0;
	for (i = 0; ls->has_sel && i < ls->norder && i < (size_t)rows; i++)
		if (src->id(src->ctx, ls->order[i]) == ls->sel) {
			ls->sel_row = (long)i;
			break;
		}
}

/* Places the selection: on the top row until the user moves it; by row
 * after a key moved it (or when there was none), else on its identity
 * wherever that is now (gone: the same row, now someone else).  Returns
 * 0, or -1 when out of memory. */
static int place(struct list_state *ls, const struct lv_source *src)
{
	long found = -1;
	size_t i;

	if (ls->move_by_row || !ls->has_sel || !ls->moved) {
		if (!ls->moved)
			ls->sel_row = 0;
		clamp_row(ls);
		if (ls->total > 0 && (size_t)ls->sel_row >= ls->norder &&
		    order_rows(ls, src, (size_t)ls->sel_row + 1) < 0)
			return -1;
		take_row(ls, src);
		ls->move_by_row = 0;
		return 0;
	}
	for (i = 0; i < ls->norder && found < 0; i++)
		if (src->id(src->ctx, ls->order[i]) == ls->sel)
			found = (long)i;
	if (found < 0) {
		found = rank_of(src, ls->sel);
		if (found >= 0 && order_rows(ls, src, (size_t)found + 1) < 0)
			return -1;
	}
	if (found >= 0)
		ls->sel_row = found;
	else
		take_row(ls, src);
	return 0;
}

size_t lv_layout(struct list_state *ls, const struct lv_source *src, int rows)
{
	size_t want;

	if (rows < 1)
		rows = 1;
	ls->page = rows;
	want = ls->offset + (size_t)rows;
	if (ls->sel_row >= 0 && (size_t)ls->sel_row >= want)
		want = (size_t)ls->sel_row + 1;
	if (ls->to_top) {
		ls->offset = 0;
		want = (size_t)rows;
	}
	if (ls->gen != src->gen || (want > ls->norder && ls->norder < ls->total))
		if (order_rows(ls, src, want) < 0)
			return 0;
	if (ls->to_top)
		to_top(ls, src, rows);
	if (place(ls, src) < 0)
		return 0;
	/* Keep the selection on screen. */
	if (ls->has_sel) {
		if ((size_t)ls->sel_row < ls->offset)
			ls->offset = (size_t)ls->sel_row;
		if ((size_t)ls->sel_row >= ls->offset + (size_t)rows)
			ls->offset = (size_t)ls->sel_row - (size_t)rows + 1;
	}
	if (ls->offset + (size_t)rows > ls->total)
		ls->offset = ls->total > (size_t)rows ? ls->total - (size_t)rows : 0;
	if (ls->offset + (size_t)rows > ls->norder && ls->norder < ls->total &&
	    order_rows(ls, src, ls->offset + (size_t)rows) < 0)
		return 0;
	return ls->norder;
}

/* Whether row r of the view is on screen (rows - 1 below the header). */
static int row_shown(const struct list_state *ls, int r, int rows)
{
	size_t row = ls->offset + (size_t)r;

	return r < rows - 1 && row < ls->norder && row < ls->total;
}

/* The widths of cols across width cells, from their titles (with the
 * sort mark) and the cells of the rows on screen. */
static void widths(const struct list_state *ls, const struct lv_column *cols,
		   int ncols, const void *ctx, int sort, int rows, int width, int *w)
{
	struct layout_col lc[LAYOUT_COLS_MAX] = { { 0 } };
	char buf[512];
	int c, r;

	for (c = 0; c < ncols; c++) {
		lc[c].minw = cols[c].minw;
		lc[c].maxw = cols[c].maxw;
		lc[c].flex = cols[c].flex;
		lc[c].keep = cols[c].sort >= 0 && cols[c].sort == sort ?
			     LAYOUT_KEEP_SORT : cols[c].middle ? LAYOUT_KEEP_ID :
			     LAYOUT_KEEP_NONE;
		/* The sort key's title has its mark. */
		lc[c].want = text_width(cols[c].title) +
			     (lc[c].keep == LAYOUT_KEEP_SORT);
		for (r = 0; row_shown(ls, r, rows); r++) {
			int role = ROLE_NORMAL, tw;

			buf[0] = '\0';
			cols[c].cell(ctx, ls->order[ls->offset + (size_t)r], buf,
				     sizeof buf, &role);
			if ((tw = text_width(buf)) > lc[c].want)
				lc[c].want = tw;
		}
	}
	layout_fit(lc, ncols, width, 1, w);
}

/* Text at x in a column w cells wide, aligned as the column says. */
static void put_cell(const struct lv_column *col, int y, int x, int w, int role,
		     const char *text)
{
	int tw = text_width(text);

	term_put(y, x + (col->right && w > tw ? w - tw : 0), role, text, w);
}

void lv_draw(const struct list_state *ls, const struct lv_column *cols, int ncols,
	     const void *ctx, int sort, int top, int rows, int width)
{
	int w[LAYOUT_COLS_MAX], c, r, x;
	char buf[512];

	if (ncols > LAYOUT_COLS_MAX)
		ncols = LAYOUT_COLS_MAX;
	widths(ls, cols, ncols, ctx, sort, rows, width, w);
	term_fill(top, 0, width, ROLE_HEAD, " ");
	for (c = 0, x = 0; c < ncols; x += w[c] ? w[c] + 1 : 0, c++) {
		int on = cols[c].sort >= 0 && cols[c].sort == sort;
		const char *mark = on ? (ls->invert ? (layout_utf8() ? "\u25b2" : "^") :
					 (layout_utf8() ? "\u25bc" : "v")) : "";

		if (!w[c])
			continue;
		snprintf(buf, sizeof buf, "%s%s", cols[c].title, mark);
		put_cell(&cols[c], top, x, w[c], on ? ROLE_HEAD_SORT : ROLE_HEAD, buf);
	}
	for (r = 0; row_shown(ls, r, rows); r++) {
		size_t row = ls->offset + (size_t)r;
		int y = top + 1 + r, selected = ls->has_sel && (long)row == ls->sel_row;

		if (selected)
			term_fill(y, 0, width, ROLE_SELECTED, " ");
		for (c = 0, x = 0; c < ncols; x += w[c] ? w[c] + 1 : 0, c++) {
			int role = ROLE_NORMAL;

			if (!w[c])
				continue;
			buf[0] = '\0';
			cols[c].cell(ctx, ls->order[row], buf, sizeof buf, &role);
			if (cols[c].middle)
				text_mark_cut_middle(buf, sizeof buf, w[c]);
			else
				text_mark_cut(buf, sizeof buf, w[c]);
			put_cell(&cols[c], y, x, w[c], selected ? ROLE_SELECTED : role, buf);
		}
	}
}

int lv_navigate(struct list_state *ls, enum action act)
{
	long page = ls->page > 1 ? ls->page - 1 : 1;

	switch (act) {
	case A_UP:
		ls->sel_row--;
		break;
	case A_DOWN:
		ls->sel_row++;
		break;
	case A_PGUP:
		ls->sel_row -= page;
		if (ls->offset > (size_t)page)
			ls->offset -= (size_t)page;
		else
			ls->offset = 0;
		break;
	case A_PGDN:
		ls->sel_row += page;
		ls->offset += (size_t)page;
		break;
	case A_HOME:
		ls->sel_row = 0;
		ls->offset = 0;
		break;
	case A_END:
		ls->sel_row = ls->total ? (long)ls->total - 1 : 0;
		break;
	default:
		return 0;
	}
	if (ls->sel_row < 0)
		ls->sel_row = 0;
	ls->move_by_row = 1;
	/* Home is the top row again, whoever comes to be on it. */
	ls->moved = act != A_HOME;
	return 1;
}

void lv_free(struct list_state *ls)
{
	free(ls->order);
	ls->order = NULL;
	ls->cap = ls->norder = 0;
}

void lv_sort(struct list_state *ls, int sort)
{
	ls->sort = sort;
	ls->invert = 0;
	ls->gen = 0;
	ls->to_top = 1;
}

void lv_invert(struct list_state *ls)
{
	ls->invert ^= 1;
	ls->gen = 0;
	ls->to_top = 1;
}

/* The column that shows field f. */
static void field_column_of(const struct field *f, struct lv_column *out)
{
	out->title = f->title;
	out->minw = f->minw;
	out->maxw = f->maxw;
	out->flex = f->flex;
	out->right = !f->left;
	out->middle = f->middle;
	out->sort = f->sort;
	out->cell = f->cell;
}

int lv_field_columns(const struct field_list *l, const int *ids, int n,
		     int sort, struct lv_column *out, int max)
{
	const struct field *sf = field_of_sort(l, sort);
	int def[64], i, k = 0, has_sort = 0;

	if (!ids) {
		n = field_default_columns(l, def, 64);
		ids = def;
	}
	for (i = 0; i < n && k < max; i++) {
		if (ids[i] < 0 || ids[i] >= l->n || !l->f[ids[i]].cell)
			continue;
		field_column_of(&l->f[ids[i]], &out[k++]);
		has_sort |= &l->f[ids[i]] == sf;
	}
	if (sf && sf->cell && !has_sort && max > 0) {
		if (k == max)
			k--;
		field_column_of(sf, &out[k++]);
	}
	return k;
}

int lv_next_sort(const struct field_list *l, const int *ids, int nids, int sort,
		 int dir)
{
	int def[64], cyc[64], n = 0, i;

	if (!ids) {
		nids = field_default_columns(l, def, 64);
		ids = def;
	}
	for (i = 0; i < nids && n < 64; i++)
		if (ids[i] >= 0 && ids[i] < l->n && l->f[ids[i]].cell &&
		    l->f[ids[i]].sort >= 0)
			cyc[n++] = l->f[ids[i]].sort;
	if (n == 0)
		return sort;
	for (i = 0; i < n && cyc[i] != sort; i++)
		;
	return i == n ? cyc[dir > 0 ? 0 : n - 1] : cyc[(i + dir + n) % n];
}

void *lv_state_new(int sort)
{
	struct list_state *ls = calloc(1, sizeof *ls);

	if (ls)
		ls->sort = sort;
	return ls;
}

void lv_state_free(void *ls)
{
	lv_free(ls);
	free(ls);
}

struct list_state *lv_state(void *ls)
{
	return ls;
}
