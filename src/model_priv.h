/*
 * model_priv.h - what the model's files (model*.c) share beyond model.h:
 * the incremental refresh's proofs, made in model_candidates.c and used
 * by model_prepare().
 */
#ifndef BEAMTOP_MODEL_PRIV_H
#define BEAMTOP_MODEL_PRIV_H

#include "beamtop/model.h"

/* Fills d's exactness and signal for next against m->cur: whether the top
 * lists of next are provably right, and why a full scan is due if not. */
void model_check_scan(const struct model *m, const struct snapshot *next,
		      struct derived *d);

/* Marks the rows of next read now whose reductions moved, counts down
 * the others' stay in the active set (the rows the next refreshes read
 * again), and has new rows read once more. */
void model_mark_active(const struct model *m, struct snapshot *next,
		       const struct proc_delta *pd, double dt);

/* Gives the rows of next that want a name the one m->cur has found for
 * the same process (see model_names.c). */
void model_carry_names(const struct model *m, struct snapshot *next);
/* Gives the rows of next without a heap size the one read for them, on
 * screen, in m->prev (not further: they are read again). */
void model_carry_heap(const struct model *m, struct snapshot *next);

/* Gives row p of next the name that row o of cur has found, if p wants
 * one and o is the same process. */
void model_take_name(struct snapshot *next, struct proc *p,
		     const struct snapshot *cur, const struct proc *o);

/* Makes d the published rates, utilisation and proofs (its arrays are
 * then shown: d must not be written while the snapshot it goes with is
 * current). */
void model_show_derived(struct model *m, const struct derived *d);
/* Makes d's arrays big enough for s's rows.  Returns 0, or -1 when out
 * of memory. */
int model_derived_room(struct derived *d, const struct snapshot *s);

/* Before a complete refresh is published over a partial list: gives the
 * model back its own pid map (see model_partial.c). */
void model_partial_leave(struct model *m);
/* Frees the partial lists, whatever is current (the model goes). */
void model_partial_free(struct model *m);

#endif
