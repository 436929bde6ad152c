/*
 * topn.h - the k largest of n by partial selection.
 *
 * A min-heap of k candidates is kept while scanning once: O(n log k), no
 * full sort and no copy of the rows.  At a million rows and k = 20 this is
 * a couple of milliseconds where qsort takes hundreds.
 */
#ifndef BEAMTOP_TOPN_H
#define BEAMTOP_TOPN_H

#include <stddef.h>

/* The value of row i; rows for which `skip` is set are left out. */
typedef double (*topn_key_fn)(const void *ctx, size_t i, int *skip);

/* Writes into out (room for k) the indices of the k rows with the largest
 * keys, largest first; ties go to the lower index, so the order is stable
 * across refreshes.  Returns how many were written (min(k, rows kept)).
 * With `ascending`, the k smallest instead. */
size_t topn_select(const void *ctx, size_t n, topn_key_fn key, size_t k,
		   int ascending, size_t *out);

/* As topn_select(), and *kept gets how many rows were not skipped. */
size_t topn_select_count(const void *ctx, size_t n, topn_key_fn key, size_t k,
			 int ascending, size_t *out, size_t *kept);

#endif
