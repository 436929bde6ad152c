/*
 * batch.h - batch mode's reports (text like top -b, or JSON lines).
 */
#ifndef BEAMTOP_BATCH_H
#define BEAMTOP_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "beamtop/model.h"

struct batch_meta {
	const char *node;        /* the target's name */
	const char *source;      /* where the process list came from */
	enum proc_sort sort;
	size_t lines;            /* rows per list */
	unsigned budget;         /* --budget */
};

/* Writes one refresh (m->cur, rates against m->prev).  idx is scratch room
 * for b->lines indices. */
void batch_text(FILE *f, const struct model *m, const struct batch_meta *b,
		size_t *idx);
void batch_json(FILE *f, const struct model *m, const struct batch_meta *b,
		size_t *idx);

#endif
