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

/* Marks the rows of next read now whose reductions moved (or that are
 * new): the active set the next refreshes read again. */
void model_mark_active(struct snapshot *next, const struct proc_delta *pd,
		       double dt);

/* Gives the rows of next that want a name the one m->cur has found for
 * the same process (see model_names.c). */
void model_carry_names(const struct model *m, struct snapshot *next);
/* Gives the rows of next without a heap size the one read for them, on
 * screen, in m->prev (not further: they are read again). */
void model_carry_heap(const struct model *m, struct snapshot *next);

#endif
