/*
 * strpool.h - interned strings for a snapshot.
 *
 * A million processes share a few hundred initial calls and current
 * functions; each distinct string is stored once and rows hold a 32-bit
 * handle.  Handle 0 is always the empty string, so a zeroed row is valid.
 */
#ifndef BEAMTOP_STRPOOL_H
#define BEAMTOP_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

struct strpool {
	char *data;        /* NUL-separated strings; data[0] is "" */
	size_t len, cap;
	uint32_t *slots;   /* open addressing, 0 = free */
	size_t nslots, count;
};

void strpool_init(struct strpool *p);
void strpool_free(struct strpool *p);
/* Empties the pool, keeping its memory for reuse. */
void strpool_clear(struct strpool *p);
/* Makes dst an exact copy of src (same handles).  Returns 0 or -1. */
int strpool_copy(struct strpool *dst, const struct strpool *src);
/* Handle of s, adding it if new.  Returns 0 ("") when out of memory. */
uint32_t strpool_add(struct strpool *p, const char *s);
/* The string behind a handle; "" for 0 or a handle out of range. */
const char *strpool_get(const struct strpool *p, uint32_t h);

#endif
