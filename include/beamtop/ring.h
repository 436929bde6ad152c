/*
 * ring.h - fixed-size history of doubles, oldest dropped first; feeds the
 * sparklines.
 */
#ifndef BEAMTOP_RING_H
#define BEAMTOP_RING_H

struct ring {
	double *v;
	int cap, n, head;   /* head: where the next value goes */
};

/* Returns 0, or -1 when out of memory (the ring then stays empty). */
int ring_init(struct ring *r, int cap);
void ring_free(struct ring *r);
void ring_push(struct ring *r, double x);
/* Empties it, keeping its memory. */
void ring_clear(struct ring *r);
/* i-th value, 0 the oldest; 0.0 when out of range. */
double ring_get(const struct ring *r, int i);
/* Newest value, or 0.0 when empty. */
double ring_last(const struct ring *r);

#endif
