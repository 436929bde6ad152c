/*
 * collect_chunk.c - long lists (processes without observer_backend, ETS
 * tables, ports) read a chunk at a time: the ids the node listed are kept
 * as the very bytes it sent, and sent back a slice per call, at most two
 * calls in flight.  No single message grows with the size of the node,
 * and the node works on one slice at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

#define CHUNK_INFLIGHT 2

int chunked_take(struct chunked *ch, struct tdec *r)
{
	const char *raw;
	int n, i, len;
	char *buf;

	ch->off = ch->left = ch->inflight = ch->failed = 0;
	if (tdec_list(r, &n) < 0)
		return -1;
	raw = r->buf + r->idx;
	for (i = 0; i < n; i++)
		if (tdec_skip(r) < 0)
			return -1;
	len = (int)(r->buf + r->idx - raw);
	if (tdec_list_end(r, n) < 0)
		return -1;
	/* The reply buffer is reused by the next poll: keep our own copy. */
	buf = realloc(ch->ids, (size_t)(len ? len : 1));
	if (!buf)
		return -1;
	memcpy(buf, raw, (size_t)len);
	ch->ids = buf;
	ch->len = len;
	ch->left = n;
	return n;
}

int chunked_next(struct collector *col, struct chunked *ch)
{
	while (ch->left > 0 && ch->inflight < CHUNK_INFLIGHT) {
		struct tdec d;
		int k = ch->left < ch->per ? ch->left : ch->per, start = ch->off, i, rc;

		d.buf = ch->ids;
		d.idx = start;
		d.len = ch->len;
		for (i = 0; i < k; i++)
			if (tdec_skip(&d) < 0)
				return 0;
		ch->off = d.idx;
		ch->left -= k;
		rc = ch->send(col, ch->ids + start, d.idx - start, k, start);
		if (rc == -1)
			return -1;
		if (rc < 0) { /* not sent (a query the node cannot take) */
			ch->failed = 1;
			continue;
		}
		ch->inflight++;
	}
	return 0;
}

void chunked_back(struct chunked *ch, int ok)
{
	ch->inflight--;
	if (!ok)
		ch->failed = 1;
}

int chunked_done(const struct chunked *ch)
{
	return ch->left == 0 && ch->inflight == 0;
}

void chunked_ids(const struct chunked *ch, long start, struct tdec *d)
{
	/* Our copy of bytes that were validated when they arrived. */
	d->buf = ch->ids;
	d->idx = (int)start;
	d->len = ch->len;
}

void chunked_free(struct chunked *ch)
{
	free(ch->ids);
	ch->ids = NULL;
	ch->len = 0;
}

void col_args_chunk(struct tenc *t, const char *raw, int rawlen, int n)
{
	tenc_list(t, n);
	tenc_raw(t, raw, rawlen);
	tenc_nil(t);
}

void col_args_items(struct tenc *t, int n, const char *const *items, int nitems)
{
	int i, j;

	tenc_list(t, n);
	for (i = 0; i < n; i++) {
		tenc_list(t, nitems);
		for (j = 0; j < nitems; j++)
			tenc_atom(t, items[j]);
		tenc_nil(t);
	}
	tenc_nil(t);
}
