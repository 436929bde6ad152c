/*
 * keymap.h - hash maps from a row's identity to its index, for joining two
 * refreshes by pid (table id, port id) rather than by position.
 *
 * Both are open-addressing tables that are refilled, not updated: a map is
 * emptied and rebuilt for each snapshot, so nothing is ever deleted.  The
 * keymap holds any 64-bit keys; the pidmap is the compact form for one
 * snapshot's processes (4 bytes a slot, the key read back from the row),
 * which matters at a million processes.
 */
#ifndef BEAMTOP_KEYMAP_H
#define BEAMTOP_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct snapshot;

/* A map from 64-bit keys to row indices. */
struct keymap {
	uint64_t *keys;
	uint32_t *vals;   /* index + 1; 0 marks a free slot */
	size_t cap;
};

/* An empty map that holds nothing yet (keymap_get() finds nothing). */
void keymap_init(struct keymap *m);
/* Frees what m holds and leaves it as keymap_init() does. */
void keymap_free(struct keymap *m);
/* Makes room for n keys and empties the map.  Returns 0, or -1 when out of
 * memory (m is then unchanged). */
int keymap_reset(struct keymap *m, size_t n);
/* Maps key to idx; at most the n keys keymap_reset() made room for. */
void keymap_put(struct keymap *m, uint64_t key, size_t idx);
/* Index stored for key, or -1. */
long keymap_get(const struct keymap *m, uint64_t key);

/* Pid -> row of one snapshot's processes. */
struct pidmap {
	uint32_t *slot;   /* row + 1; 0 marks a free slot */
	size_t cap;
};

/* An empty map (pidmap_get() finds nothing). */
void pidmap_init(struct pidmap *m);
/* Frees what m holds and leaves it as pidmap_init() does. */
void pidmap_free(struct pidmap *m);
/* Maps every process of s.  Returns 0, or -1 when out of memory (m is then
 * unchanged). */
int pidmap_build(struct pidmap *m, const struct snapshot *s);
/* Maps the rows of s from `from` on, m mapping the rows before it already
 * (s grew by those rows since m was made for it); when m has not the room
 * (or from is 0), maps them all afresh with room for `room` processes (s
 * may grow to that many).  Returns 0, or -1 when out of memory. */
int pidmap_extend(struct pidmap *m, const struct snapshot *s, size_t from,
		  size_t room);
/* Row of the process with this key in s (the snapshot m was built for),
 * or -1. */
long pidmap_get(const struct pidmap *m, const struct snapshot *s, uint64_t key);

#endif
