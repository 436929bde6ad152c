/*
 * clock.h - milliseconds on a monotonic clock: deadlines, refresh times
 * and the age of what is on screen, for every layer alike.
 */
#ifndef BEAMTOP_CLOCK_H
#define BEAMTOP_CLOCK_H

#include <stdint.h>

/* Milliseconds since an arbitrary start; never goes back. */
uint64_t clock_ms(void);

#endif
