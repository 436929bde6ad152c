/*
 * collect_carry.c - a full scan that could not read every process (a busy
 * node: chunks timed out, or the scan's time ran out) keeps the rows an
 * earlier refresh read for the processes it missed, marked PF_STALE, so
 * that the list never shows less than what is known.  When the node's own
 * list of processes is at hand, only processes still in it are carried:
 * a process that died is not shown as stale, it is gone.
 */
#include <stdlib.h>

#include "collect_priv.h"

/* Appends base row b to s, marked stale.  Returns 0 or -1 (memory). */
static int carry_row(struct snapshot *s, const struct snapshot *base,
		     const struct proc *b)
{
	struct proc *p = snapshot_add_proc(s);

	if (!p)
		return -1;
	*p = *b;
	p->name = strpool_add(&s->pool, strpool_get(&base->pool, b->name));
	p->cf = strpool_add(&s->pool, strpool_get(&base->pool, b->cf));
	/* Heap and binary sizes live beside the rows: not carried. */
	p->have = (uint8_t)((b->have & ~(PF_HEAP | PF_BIN)) | PF_STALE);
	return 0;
}

/* Carries the base rows of the pids in the node's list (ch) that s lacks. */
static int carry_listed(struct collector *col, struct snapshot *s,
			const struct snapshot *base)
{
	struct tdec d;
	int i;

	if (keymap_reset(&col->base_keys, base->n_procs) < 0)
		return -1;
	for (i = 0; i < (int)base->n_procs; i++)
		keymap_put(&col->base_keys, bt_pid_key(&base->procs[i].pid),
			   (size_t)i);
	col_chunked_ids(&col->procs, 0, &d);
	for (i = 0; i < col->procs.n; i++) {
		struct bt_pid pid;
		long j;

		if (tdec_pid(&d, &pid) < 0)
			return -1;
		if (keymap_get(&col->seen, bt_pid_key(&pid)) >= 0)
			continue;
		j = keymap_get(&col->base_keys, bt_pid_key(&pid));
		if (j >= 0 && carry_row(s, base, &base->procs[j]) < 0)
			return -1;
	}
	return 0;
}

int col_carry_stale(struct collector *col, struct snapshot *s,
		    const struct snapshot *base)
{
	size_t i, fresh = s->n_procs;

	if (s->procs_ok == 1 || !base || base->n_procs == 0)
		return 0;
	if (keymap_reset(&col->seen, fresh) < 0)
		return -1;
	for (i = 0; i < fresh; i++)
		keymap_put(&col->seen, bt_pid_key(&s->procs[i].pid), i);
	if (col->plain_ran) {
		if (carry_listed(col, s, base) < 0)
			return -1;
	} else {
		for (i = 0; i < base->n_procs; i++)
			if (keymap_get(&col->seen, bt_pid_key(&base->procs[i].pid)) < 0 &&
			    carry_row(s, base, &base->procs[i]) < 0)
				return -1;
	}
	/* The carried rows were read when base's fresh rows were, or when
	 * its own carried rows were. */
	if (s->n_procs > fresh)
		s->stale_t_ms = base->n_fresh < base->n_procs ? base->stale_t_ms :
				base->t_ms;
	return 0;
}
