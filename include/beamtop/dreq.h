/*
 * dreq.h - the drill-down's requests on their way to the node: which wait
 * to be sent, which wait for their answer, and for which target (a serial
 * that bumps with each new target, so that an answer about the last one is
 * told apart).  Bookkeeping only, with no thread and no connection:
 * poller_drill.c's table says what each kind of request asks and what its
 * answer does.
 *
 * A request that cannot go now (every slot waits for an answer, or the
 * collector has no room) stays wanted and goes with a later flush, so
 * that none is lost; a kind wanted again before it went is sent once, for
 * the newest target.
 */
#ifndef BEAMTOP_DREQ_H
#define BEAMTOP_DREQ_H

#include <stdint.h>

#define DREQ_SLOTS 16
#define DREQ_KINDS 32  /* kinds are 0 .. DREQ_KINDS - 1 */

/* One request in flight; its address is the context of the answer's
 * handler. */
struct dreq_slot {
	void *owner;              /* handed back with the answer */
	unsigned serial;          /* the target it was asked for */
	int kind;
	int used;
};

struct dreq_queue {
	struct dreq_slot slot[DREQ_SLOTS];
	uint32_t wanted;          /* kinds waiting to be sent (1 << kind) */
	unsigned serial[DREQ_KINDS];  /* the target each waits for */
};

/* What became of a request handed to the sender. */
enum dreq_sent {
	DREQ_SENT,     /* on its way, or already answered: the slot is the
			* answer's to free (dreq_done) */
	DREQ_LATER,    /* could not go now: it waits for the next flush */
	DREQ_DROPPED   /* not wanted any more (its target changed) */
};

typedef enum dreq_sent (*dreq_send_fn)(void *ctx, struct dreq_slot *s);

/* Asks for kind about target serial, to go with the next flush; replaces
 * a request of that kind that has not gone yet.  Out of range: ignored. */
void dreq_want(struct dreq_queue *q, int kind, unsigned serial);

/* Hands each waiting request, lowest kind first, to send() with a free
 * slot, the slot's owner set to owner.  send() may answer, want and flush
 * again from inside (a reply handler that asks the next step).  Returns
 * how many requests still wait. */
int dreq_flush(struct dreq_queue *q, void *owner, dreq_send_fn send,
	       void *ctx);

/* The answer to s came (or never will): its slot is free again. */
void dreq_done(struct dreq_slot *s);

/* 1 while a request of kind waits to be sent or for its answer. */
int dreq_busy(const struct dreq_queue *q, int kind);

/* Forgets every request, waiting or in flight (the connection is gone:
 * their answers will never come). */
void dreq_clear(struct dreq_queue *q);

#endif
