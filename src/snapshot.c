/*
 * snapshot.c - allocation and small accessors for snapshots (see snapshot.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/snapshot.h"

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof *s);
	strpool_init(&s->pool);
}

void snapshot_free(struct snapshot *s)
{
	free(s->sched);
	free(s->runq);
	free(s->procs);
	free(s->extra);
	free(s->ets);
	free(s->ports);
	strpool_free(&s->pool);
	snapshot_init(s);
}

void snapshot_clear(struct snapshot *s)
{
	struct snapshot keep = *s;

	memset(s, 0, sizeof *s);
	s->procs = keep.procs;
	s->cap_procs = keep.cap_procs;
	s->extra = keep.extra;
	s->cap_extra = keep.cap_extra;
	s->ets = keep.ets;
	s->cap_ets = keep.cap_ets;
	s->ports = keep.ports;
	s->cap_ports = keep.cap_ports;
	s->pool = keep.pool;
	strpool_clear(&s->pool);
	free(keep.sched);
	free(keep.runq);
}

uint64_t snapshot_mem(const struct snapshot *s, const char *kind)
{
	int i;

	for (i = 0; i < s->n_mem; i++)
		if (strcmp(s->mem[i].kind, kind) == 0)
			return s->mem[i].bytes;
	return 0;
}

/* Grows an array of rows by one zeroed row; NULL when out of memory. */
static void *add_row(void **arr, size_t *n, size_t *cap, size_t size)
{
	char *row;

	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		void *p = realloc(*arr, nc * size);

		if (!p)
			return NULL;
		*arr = p;
		*cap = nc;
	}
	row = (char *)*arr + *n * size;
	memset(row, 0, size);
	(*n)++;
	return row;
}

struct proc_extra snapshot_extra(const struct snapshot *s, size_t i)
{
	struct proc_extra none = { 0, 0 }, e;

	if (!s->extra || i >= s->cap_extra || i >= s->n_procs)
		return none;
	/* Heaps are kept in words, as read (rows carried from one refresh
	 * to the next must not be converted twice), and given in bytes. */
	e = s->extra[i];
	e.heap *= s->sys.wordsize ? s->sys.wordsize : 8;
	return e;
}

int snapshot_set_extra(struct snapshot *s, size_t i, uint64_t heap, uint64_t bin)
{
	if (i >= s->cap_extra) {
		size_t cap = s->cap_procs > i ? s->cap_procs : i + 1;
		struct proc_extra *e = realloc(s->extra, cap * sizeof *e);

		if (!e)
			return -1;
		memset(e + s->cap_extra, 0, (cap - s->cap_extra) * sizeof *e);
		s->extra = e;
		s->cap_extra = cap;
	}
	s->extra[i].heap = heap;
	s->extra[i].bin = bin;
	return 0;
}

struct proc *snapshot_add_proc(struct snapshot *s)
{
	return add_row((void **)&s->procs, &s->n_procs, &s->cap_procs,
		       sizeof *s->procs);
}

int snapshot_reserve(struct snapshot *s, size_t n)
{
	struct proc *p;

	if (n <= s->cap_procs)
		return 0;
	p = realloc(s->procs, n * sizeof *p);
	if (!p)
		return -1;
	s->procs = p;
	s->cap_procs = n;
	return 0;
}

struct ets_tab *snapshot_add_ets(struct snapshot *s)
{
	return add_row((void **)&s->ets, &s->n_ets, &s->cap_ets, sizeof *s->ets);
}

struct port_rec *snapshot_add_port(struct snapshot *s)
{
	struct port_rec *p = add_row((void **)&s->ports, &s->n_ports,
				     &s->cap_ports, sizeof *s->ports);

	if (p)
		p->os_pid = -1;
	return p;
}

int snapshot_copy_procs(struct snapshot *dst, const struct snapshot *src)
{
	size_t i;

	if (src->n_procs > dst->cap_procs) {
		struct proc *p = realloc(dst->procs, src->n_procs * sizeof *p);

		if (!p)
			return -1;
		dst->procs = p;
		dst->cap_procs = src->n_procs;
	}
	if (strpool_copy(&dst->pool, &src->pool) < 0)
		return -1;
	memcpy(dst->procs, src->procs, src->n_procs * sizeof *dst->procs);
	dst->n_procs = src->n_procs;
	for (i = 0; i < dst->n_procs; i++)
		dst->procs[i].have |= PF_STALE;
	return 0;
}

/* Makes *dst a copy of the n elements of size sz at src, in room of its
 * own (*cap elements, grown by half at least, as a copy is made again
 * as its source grows; NULL cap: exactly n, reallocated).  0 or -1. */
static int copy_rows(void **dst, size_t *cap, const void *src, size_t n,
		     size_t sz)
{
	if (!cap || n > *cap) {
		size_t want = cap && n < *cap + *cap / 2 ? *cap + *cap / 2 : n;
		void *p = realloc(*dst, (want ? want : 1) * sz);

		if (!p)
			return -1;
		*dst = p;
		if (cap)
			*cap = want;
	}
	if (n)
		memcpy(*dst, src, n * sz);
	return 0;
}

int snapshot_copy(struct snapshot *dst, const struct snapshot *src)
{
	struct snapshot keep = *dst;
	size_t n_extra = src->extra ? (src->cap_extra < src->n_procs ?
				       src->cap_extra : src->n_procs) : 0;
	int rc = 0;

	/* The scalars and fixed arrays of src, the allocations of dst. */
	*dst = *src;
	dst->procs = keep.procs;
	dst->cap_procs = keep.cap_procs;
	dst->extra = keep.extra;
	dst->cap_extra = keep.cap_extra;
	dst->ets = keep.ets;
	dst->cap_ets = keep.cap_ets;
	dst->ports = keep.ports;
	dst->cap_ports = keep.cap_ports;
	dst->sched = keep.sched;
	dst->runq = keep.runq;
	dst->pool = keep.pool;
	rc |= copy_rows((void **)&dst->procs, &dst->cap_procs, src->procs,
			src->n_procs, sizeof *src->procs);
	rc |= copy_rows((void **)&dst->ets, &dst->cap_ets, src->ets, src->n_ets,
			sizeof *src->ets);
	rc |= copy_rows((void **)&dst->ports, &dst->cap_ports, src->ports,
			src->n_ports, sizeof *src->ports);
	rc |= copy_rows((void **)&dst->sched, NULL, src->sched,
			(size_t)src->n_sched, sizeof *src->sched);
	rc |= copy_rows((void **)&dst->runq, NULL, src->runq, (size_t)src->n_runq,
			sizeof *src->runq);
	if (n_extra)
		rc |= copy_rows((void **)&dst->extra, &dst->cap_extra, src->extra,
				n_extra, sizeof *src->extra);
	/* Rows past src's extra figures have none (see snapshot_extra()). */
	dst->cap_extra = n_extra;
	rc |= strpool_copy(&dst->pool, &src->pool);
	if (rc) {
		snapshot_clear(dst);
		return -1;
	}
	return 0;
}

void snapshot_note_error(struct snapshot *s, const char *what)
{
	size_t len = strlen(s->errors);

	if (len + 3 >= sizeof s->errors)
		return;
	snprintf(s->errors + len, sizeof s->errors - len, "%s%s",
		 len ? "; " : "", what);
}

const char *snapshot_partial(const struct snapshot *s, char *buf, size_t n)
{
	size_t stale = s->n_procs - s->n_fresh;

	if (s->procs_ok)
		snprintf(buf, n, "%s", "");
	else if (s->partial && s->sys.have_info)
		snprintf(buf, n, "partial: %zu of %llu read, top: not proved",
			 s->n_procs, (unsigned long long)s->sys.process_count);
	else if (s->partial)
		snprintf(buf, n, "partial: %zu read, top: not proved", s->n_procs);
	else if (s->scan == SCAN_FULL && s->procs_listed)
		snprintf(buf, n, "INCOMPLETE: %zu of %zu read, %zu from earlier "
			 "refreshes", s->n_fresh, s->procs_listed, stale);
	else
		snprintf(buf, n, "INCOMPLETE");
	return buf;
}
