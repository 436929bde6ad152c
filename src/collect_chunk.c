/*
 * collect_chunk.c - long lists (processes without observer_backend, ETS
 * tables, ports) read a chunk at a time: the ids the node listed are kept
 * as the very bytes it sent, and sent back a slice per call, at most two
 * calls in flight.  No single message grows with the size of the node,
 * and the node works on one slice at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/clock.h"
#include "collect_priv.h"

/* The first chunk is small: on a node whose schedulers are all busy,
 * each call waits its turn (about a second, measured with 4000 spinning
 * processes on 2 cores) and then each process_info waits for its target
 * to be scheduled (170 ms each), so a chunk of thousands never answers
 * in time.  Later chunks are sized from what the last ones cost beyond
 * the list call's own latency, so that each answers in about half the
 * window (CHUNK_TARGET_MS without one), growing at most CHUNK_GROW times
 * per answer. */
#define CHUNK_FIRST 8
#define CHUNK_TARGET_MS 1000.0
#define CHUNK_GROW 8
/* A chunk that cannot have this long before `until` is not sent. */
#define CHUNK_MIN_MS 200

void col_chunked_init(struct chunked *ch, int max_per)
{
	ch->max_per = max_per > 0 ? max_per : 1;
	ch->per = ch->max_per < CHUNK_FIRST ? ch->max_per : CHUNK_FIRST;
	ch->stop = -1;
}

/* Byte offset of element i (i <= n), or -1. */
static int skip_to(const struct chunked *ch, int i)
{
	struct tdec d;

	d.buf = ch->ids;
	d.idx = 0;
	d.len = ch->len;
	while (i-- > 0)
		if (tdec_skip(&d) < 0)
			return -1;
	return d.idx;
}

/* Where the next pass begins: the first id a failed chunk held, else where
 * sending stopped, else where the last pass began. */
static int resume_at(const struct chunked *ch)
{
	if (ch->n == 0)
		return 0;
	if (ch->fail_dist < ch->n)
		return (ch->first + ch->fail_dist) % ch->n;
	return ch->stop >= 0 ? ch->stop : ch->first;
}

int col_chunked_take(struct chunked *ch, struct tdec *r)
{
	const char *raw;
	int n, i, len, from = resume_at(ch);
	char *buf;

	ch->off = ch->left = ch->inflight = ch->failed = ch->unread = 0;
	ch->n = 0;
	memset(ch->fly, 0, sizeof ch->fly);
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
	ch->n = ch->left = n;
	/* The list may have shrunk since: start inside it. */
	ch->first = ch->pos = n ? from % n : 0;
	ch->off = skip_to(ch, ch->pos);
	ch->fail_dist = n;
	ch->stop = -1;
	return ch->off < 0 ? -1 : n;
}

/* Remembers a chunk sent; returns its slot. */
static struct chunk_fly *fly_add(struct chunked *ch, long start, int k)
{
	int i;

	for (i = 0; i < CHUNK_FLY_MAX; i++)
		if (ch->fly[i].k == 0)
			break;
	ch->fly[i].start = start;
	ch->fly[i].k = k;
	ch->fly[i].pos = ch->pos;
	ch->fly[i].t0 = clock_ms();
	return &ch->fly[i];
}

/* Time is up: what was not sent is unread, and the next pass starts there. */
static void cut_short(struct chunked *ch)
{
	ch->unread += ch->left;
	ch->failed = 1;
	ch->stop = ch->pos;
	ch->left = 0;
}

int col_chunked_next(struct collector *col, struct chunked *ch)
{
	while (ch->left > 0 && ch->inflight < CHUNK_FLY_MAX) {
		uint64_t now = clock_ms();
		int k = ch->left < ch->per ? ch->left : ch->per, start = ch->off, end, rc;
		unsigned tmo = 0;

		if (ch->until && now + CHUNK_MIN_MS > ch->until) {
			cut_short(ch);
			break;
		}
		if (ch->until)
			tmo = (unsigned)(ch->until - now);
		if (k > ch->n - ch->pos)
			k = ch->n - ch->pos; /* a chunk does not wrap around */
		end = skip_to(ch, ch->pos + k);
		if (end < 0)
			return 0;
		fly_add(ch, start, k);
		ch->left -= k;
		ch->pos += k;
		ch->off = end;
		if (ch->pos == ch->n)
			ch->pos = ch->off = 0;
		ch->inflight++;
		rc = ch->send(col, ch->ids + start, end - start, k, start, tmo);
		if (rc == -1)
			return -1;
		if (rc < 0) /* not sent: a query this node cannot take */
			col_chunked_back(ch, start, 0);
	}
	return 0;
}

/* Sizes the next chunks from one that took ms for k ids (a lower bound
 * when it timed out: ok < 0), of which lat_ms was the call's latency. */
static void resize(struct chunked *ch, int k, uint64_t ms, int ok)
{
	double target = ch->window_ms ? ch->window_ms / 2.0 : CHUNK_TARGET_MS;
	double lat = ch->lat_ms < (double)ms / 2 ? ch->lat_ms : (double)ms / 2;
	double est = ((double)ms - lat) / k, per;

	if (est < 0.001)
		est = 0.001;
	if (ok < 0)
		est *= 2; /* it would have taken longer still */
	ch->ms_per_id = ch->ms_per_id > 0 && ok > 0 ? (ch->ms_per_id + est) / 2 : est;
	/* What is left of the target once the call's turn has come. */
	target = target - ch->lat_ms > target / 4 ? target - ch->lat_ms : target / 4;
	per = target / ch->ms_per_id;
	if (per > (double)ch->per * CHUNK_GROW)
		per = (double)ch->per * CHUNK_GROW;
	if (per > ch->max_per)
		per = ch->max_per;
	ch->per = per < 1 ? 1 : (int)per;
}

void col_chunked_back(struct chunked *ch, long start, int ok)
{
	int i, dist;

	ch->inflight--;
	for (i = 0; i < CHUNK_FLY_MAX; i++)
		if (ch->fly[i].k && ch->fly[i].start == start)
			break;
	if (ok <= 0)
		ch->failed = 1;
	if (i == CHUNK_FLY_MAX)
		return;
	if (ok != 0) /* a failure says nothing of the time it takes */
		resize(ch, ch->fly[i].k, clock_ms() - ch->fly[i].t0, ok);
	if (ok <= 0) {
		ch->unread += ch->fly[i].k;
		dist = (ch->fly[i].pos - ch->first + ch->n) % ch->n;
		if (dist < ch->fail_dist)
			ch->fail_dist = dist;
	}
	ch->fly[i].k = 0;
}

int col_chunked_done(const struct chunked *ch)
{
	return ch->left == 0 && ch->inflight == 0;
}

void col_chunked_ids(const struct chunked *ch, long start, struct tdec *d)
{
	/* Our copy of bytes that were validated when they arrived. */
	d->buf = ch->ids;
	d->idx = (int)start;
	d->len = ch->len;
}

void col_chunked_free(struct chunked *ch)
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
