/*
 * poller_heap.c - the heap sizes of the rows on screen, when the HEAP
 * column shows them and the list is not sorted by heap (a scan reads them
 * only then): read once a refresh for those rows only.
 */
#include <string.h>

#include "beamtop/collect.h"
#include "beamtop/conn.h"
#include "beamtop/engine.h"
#include "beamtop/poller.h"
#include "poller_priv.h"

void poller_want_heap(struct poller *p, const struct bt_pid *pids, size_t n)
{
	if (n > sizeof p->heap_want / sizeof p->heap_want[0])
		n = sizeof p->heap_want / sizeof p->heap_want[0];
	poller_lock(p);
	memcpy(p->heap_want, pids, n * sizeof *pids);
	p->heap_n = n;
	poller_unlock(p);
}

/* [undefined | [{total_heap_size, Words}]] for heap_sent: into the
 * current snapshot's rows, which the model carries to the next. */
static void on_heap(void *ctx, struct tdec *r, const char *why)
{
	struct poller *p = ctx;
	struct snapshot *s;
	size_t i;
	int n, m, arity;
	uint64_t words;

	(void)why;
	p->heap_inflight = 0;
	if (!r || tdec_list(r, &n) < 0 || (size_t)n != p->heap_sent_n)
		return;
	poller_lock(p);
	s = p->eng->m->cur;
	if (s)
		s->n_heap = 0;
	for (i = 0; s && i < p->heap_sent_n && poller_wait_unheld(p, s) == 0; i++) {
		long row = pidmap_get(&p->eng->m->cur_map, s, bt_pid_key(&p->heap_sent[i]));

		if (tdec_atom_is(r, "undefined"))
			continue;
		if (tdec_list(r, &m) < 0 || m != 1 || tdec_tuple(r, &arity) < 0 ||
		    arity != 2 || tdec_skip(r) < 0 || tdec_u64(r, &words) < 0 ||
		    tdec_list_end(r, m) < 0)
			break;
		if (row >= 0 && snapshot_set_extra(s, (size_t)row, words,
						   snapshot_extra(s, (size_t)row).bin) == 0)
			s->procs[row].have |= PF_HEAP;
		s->heap_pid[s->n_heap] = p->heap_sent[i];
		s->heap_words[s->n_heap++] = words;
	}
	poller_unlock(p);
	poller_wake(p);
}

/* The heap of the rows shown, once a refresh, when the HEAP column shows
 * it and the scan did not read it: total_heap_size is a fixed-size item. */
void poller_ask_heap(struct poller *p, struct collector *col)
{
	const struct model *m = p->eng->m;
	struct tenc *t;
	size_t i;

	if (p->heap_inflight || m->refreshes == p->heap_refresh)
		return;
	poller_lock(p);
	p->heap_sent_n = p->heap_n;
	memcpy(p->heap_sent, p->heap_want, p->heap_n * sizeof *p->heap_want);
	poller_unlock(p);
	if (!p->heap_sent_n)
		return;
	p->heap_refresh = m->refreshes;
	t = collect_encoder(col);
	tenc_reset(t);
	tenc_list(t, 3);
	tenc_fun(t, "erlang", "process_info", 2);
	tenc_list(t, (int)p->heap_sent_n);
	for (i = 0; i < p->heap_sent_n; i++)
		tenc_pid(t, &p->heap_sent[i], conn_target(p->eng->conn));
	tenc_nil(t);
	tenc_list(t, (int)p->heap_sent_n);
	for (i = 0; i < p->heap_sent_n; i++) {
		tenc_list(t, 1);
		tenc_atom(t, "total_heap_size");
		tenc_nil(t);
	}
	tenc_nil(t);
	tenc_nil(t);
	if (collect_side(col, "lists", "zipwith", t, 0, on_heap, p) == 0)
		p->heap_inflight = 1;
}
