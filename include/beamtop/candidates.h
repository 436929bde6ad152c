/*
 * candidates.h - what makes an incremental refresh trustworthy: which
 * processes to read again (candidates), and the proofs, from the node's
 * own counters, that no other process belongs in the top lists.
 */
#ifndef BEAMTOP_CANDIDATES_H
#define BEAMTOP_CANDIDATES_H

#include "beamtop/model.h"

/* Fills d's exactness and signal for next against m->cur (called by
 * model_prepare()). */
void model_check_scan(const struct model *m, const struct snapshot *next,
		      struct derived *d);

#endif
