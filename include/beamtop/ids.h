/*
 * ids.h - the identities of things on the target node: processes, ports
 * and references (ETS table ids are references since OTP 20).
 *
 * They are plain values, kept apart from the term codec so that the model,
 * the panes and the batch writers can key rows by pid without knowing how
 * a pid travels on the wire.  The node name is not part of them: every id
 * here belongs to the one node we are attached to (or, for our own
 * mailboxes and references, to us).
 */
#ifndef BEAMTOP_IDS_H
#define BEAMTOP_IDS_H

#include <stdint.h>

/* A pid on the target node. */
struct bt_pid {
	uint32_t num;
	uint32_t serial;
	uint32_t creation;
};

/* Stable 64-bit identity of a pid, for hashing and joins (the creation is
 * left out: one connection sees one incarnation of the node). */
static inline uint64_t bt_pid_key(const struct bt_pid *p)
{
	return ((uint64_t)p->serial << 32) | p->num;
}

/* A port id on the target node. */
struct bt_port {
	uint64_t id;
	uint32_t creation;
};

/* A reference: up to five words, len of them used. */
struct bt_ref {
	uint32_t n[5];
	uint8_t len;
	uint32_t creation;
};

/* 1 when a and b are the same reference, else 0. */
static inline int bt_ref_eq(const struct bt_ref *a, const struct bt_ref *b)
{
	int i;

	if (a->len != b->len || a->creation != b->creation)
		return 0;
	for (i = 0; i < a->len && i < 5; i++)
		if (a->n[i] != b->n[i])
			return 0;
	return 1;
}

#endif
