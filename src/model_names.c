/*
 * model_names.c - a process's name, once found, stays with it; so do, for
 * one refresh, the heap sizes read for the rows on screen.
 *
 * A scan gives proc_lib's processes their common initial call; the
 * names query (collect_names.c) finds the real one and any label, once.
 * Each refresh takes them from the previous one for the rows that it
 * read again, so that the node is asked about a process only once.
 */
#include "model_priv.h"

void model_take_name(struct snapshot *next, struct proc *p,
		     const struct snapshot *cur, const struct proc *o)
{
	/* (A name registered then is not carried: the scan has just read
	 * that the process has none now.) */
	if (!proc_wants_name(p) || proc_wants_name(o) || o->registered ||
	    bt_pid_key(&p->pid) != bt_pid_key(&o->pid))
		return;
	p->name = strpool_add(&next->pool, strpool_get(&cur->pool, o->name));
	p->label = strpool_add(&next->pool, strpool_get(&cur->pool, o->label));
	if (!(p->have & PF_CF))
		p->cf = strpool_add(&next->pool, strpool_get(&cur->pool, o->cf));
	p->have |= PF_NAME | PF_CF;
	p->naming = NAMING_FINAL;
}

void model_carry_names(const struct model *m, struct snapshot *next)
{
	/* A partial list of this very scan (not of one that a lost
	 * connection cut short) is no base, but its names were found for
	 * these processes. */
	const struct snapshot *cur = m->prev ? m->prev :
				     m->cur && m->cur->partial &&
				     m->cur->t_ms == next->t_ms ? m->cur : NULL;
	size_t i;

	if (!cur)
		return;
	for (i = 0; i < next->n_procs; i++) {
		struct proc *p = &next->procs[i];
		long j;

		if (!proc_wants_name(p))
			continue;
		j = pidmap_get(&m->cur_map, cur, bt_pid_key(&p->pid));
		if (j >= 0)
			model_take_name(next, p, cur, &cur->procs[j]);
	}
}

void model_carry_heap(const struct model *m, struct snapshot *next)
{
	size_t k;

	if (!m->prev)
		return;
	for (k = 0; k < m->prev->n_heap; k++) {
		long j = pidmap_get(&m->next_map, next, bt_pid_key(&m->prev->heap_pid[k]));

		if (j < 0 || (next->procs[j].have & PF_HEAP))
			continue;
		if (snapshot_set_extra(next, (size_t)j, m->prev->heap_words[k],
				       snapshot_extra(next, (size_t)j).bin) == 0)
			next->procs[j].have |= PF_HEAP;
	}
}
