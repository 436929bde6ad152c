/*
 * topn.c - partial selection (see topn.h).
 */
#include <stdlib.h>

#include "beamtop/topn.h"

struct cand {
	double v;
	size_t i;
};

/* "a ranks below b": smaller value, or equal value and higher index. */
static int below(const struct cand *a, const struct cand *b)
{
	return a->v < b->v || (a->v == b->v && a->i > b->i);
}

static void sift_down(struct cand *h, size_t n, size_t at)
{
	for (;;) {
		size_t l = 2 * at + 1, r = l + 1, m = at;
		struct cand t;

		if (l < n && below(&h[l], &h[m]))
			m = l;
		if (r < n && below(&h[r], &h[m]))
			m = r;
		if (m == at)
			return;
		t = h[at], h[at] = h[m], h[m] = t;
		at = m;
	}
}

static void sift_up(struct cand *h, size_t at)
{
	while (at > 0) {
		size_t p = (at - 1) / 2;
		struct cand t;

		if (!below(&h[at], &h[p]))
			return;
		t = h[at], h[at] = h[p], h[p] = t;
		at = p;
	}
}

size_t topn_select(const void *ctx, size_t n, topn_key_fn key, size_t k,
		   int ascending, size_t *out)
{
	size_t kept;

	return topn_select_count(ctx, n, key, k, ascending, out, &kept);
}

size_t topn_select_count(const void *ctx, size_t n, topn_key_fn key, size_t k,
			 int ascending, size_t *out, size_t *kept)
{
	struct cand *h, c;
	size_t len = 0, i;

	*kept = 0;
	h = malloc((k ? k : 1) * sizeof *h);
	if (!h)
		return 0;
	for (i = 0; i < n; i++) {
		int skip = 0;

		c.v = key(ctx, i, &skip);
		if (skip)
			continue;
		(*kept)++;
		if (k == 0)
			continue;
		if (ascending)
			c.v = -c.v;
		c.i = i;
		if (len < k) {
			h[len] = c;
			sift_up(h, len++);
		} else if (below(&h[0], &c)) {
			h[0] = c;
			sift_down(h, len, 0);
		}
	}
	/* Pop the heap from the smallest: fill out from the back. */
	for (i = len; i > 0; i--) {
		out[i - 1] = h[0].i;
		h[0] = h[i - 1];
		sift_down(h, i - 1, 0);
	}
	free(h);
	return len;
}
