/*
 * collect_heaps.c - which candidates need their memory read.
 *
 * process_info's memory item costs the node ~2.5 us a process (the process
 * itself answers it), reductions, message_queue_len and heap_size ~0.15
 * us.  A process's memory moves with its heap, its stack and its message
 * queue; so the candidates are read without memory, with heap_size, and a
 * second call reads the memory of those whose young heap or queue changed
 * since their last read.  What grows without either (its old heap, between
 * two reads that find the young heap the same size) is read whenever it
 * has run for the tops (by memory, queue, growth), and at least every
 * MEM_EVERY reads of a process that has run for the rest of the active
 * set, each process in its own turn.
 *
 * The young heap sizes of the last read are kept by pid in an open
 * addressing table, made anew at each read from the old one.
 */
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

#define MEM_EVERY 16
/* Reductions that our own reads cost a process (a signal it handles). */
#define READ_REDS 10
#define NO_HEAP UINT32_MAX

struct heap_seen {
	uint64_t key;             /* bt_pid_key(); 0: a free slot */
	uint32_t heap;            /* words; NO_HEAP: not read */
};

struct heap_table {
	struct heap_seen *v;
	size_t cap;               /* a power of two, or 0 */
};

static struct heap_seen *slot(const struct heap_table *t, uint64_t key)
{
	size_t i = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (t->cap - 1);

	while (t->v[i].key && t->v[i].key != key)
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

static const struct heap_seen *find(const struct heap_table *t, uint64_t key)
{
	const struct heap_seen *e;

	if (!t->cap || !key)
		return NULL;
	e = slot(t, key);
	return e->key ? e : NULL;
}

/* Makes t empty, with room for n. */
static int table_for(struct heap_table *t, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	if (cap > t->cap) {
		struct heap_seen *v = realloc(t->v, cap * sizeof *v);

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	memset(t->v, 0, t->cap * sizeof *t->v);
	return 0;
}

int col_heaps_begin(struct collector *col, size_t n)
{
	uint32_t *m;

	col->n_memory = 0;
	if (!col->heaps) {
		col->heaps = calloc(2, sizeof(struct heap_table));
		if (!col->heaps)
			return -1;
	}
	m = realloc(col->memory_of, (n ? n : 1) * sizeof *m);
	if (!m)
		return -1;
	col->memory_of = m;
	return table_for(&col->heaps[1], n);
}

int col_heaps_note(struct collector *col, size_t i, uint64_t key,
		   const struct proc *was, const struct proc *now, int64_t heap,
		   int top)
{
	const struct heap_seen *old = find(&col->heaps[0], key);
	struct heap_seen *e;
	int moved = now->reductions > was->reductions + READ_REDS, need;
	/* Each process's turn for a periodic read, spread over MEM_EVERY
	 * reads so that the active set's do not all fall on one. */
	unsigned turn = (unsigned)((key * 0x9E3779B97F4A7C15ULL) >> 59);

	if (!key)
		return 0;
	e = slot(&col->heaps[1], key);
	e->key = key;
	e->heap = heap < 0 || heap >= NO_HEAP ? NO_HEAP : (uint32_t)heap;
	if (heap < 0)
		return 0; /* read with its memory */
	/* A process not seen by the last read (a full scan's rows) has its
	 * memory from that scan: read again only if it has run since.  One
	 * of the tops is read whenever it has run. */
	need = was->mq != now->mq ||
	       (old && old->heap != NO_HEAP ? old->heap != e->heap :
		moved) ||
	       (moved && (top || (turn + col->heap_reads) % MEM_EVERY == 0));
	if (need)
		col->memory_of[col->n_memory++] = (uint32_t)i;
	return need;
}

void col_heaps_end(struct collector *col)
{
	struct heap_table t = col->heaps[0];

	col->heap_reads++;
	col->heaps[0] = col->heaps[1];
	col->heaps[1] = t;
}

void col_heaps_free(struct collector *col)
{
	if (col->heaps) {
		free(col->heaps[0].v);
		free(col->heaps[1].v);
	}
	free(col->heaps);
	free(col->memory_of);
	col->heaps = NULL;
	col->memory_of = NULL;
}
