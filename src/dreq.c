/*
 * dreq.c - the drill-down's requests on their way (see dreq.h): a set of
 * wanted kinds, each with its target's serial, and a few slots for the
 * requests in flight.  A request leaves the wanted set only when the
 * sender took it, so that a full collector or a busy moment delays it
 * instead of losing it.
 */
#include <string.h>

#include "beamtop/dreq.h"

void dreq_want(struct dreq_queue *q, int kind, unsigned serial)
{
	if (kind < 0 || kind >= DREQ_KINDS)
		return;
	q->wanted |= UINT32_C(1) << kind;
	q->serial[kind] = serial;
}

static struct dreq_slot *free_slot(struct dreq_queue *q)
{
	int i;

	for (i = 0; i < DREQ_SLOTS; i++)
		if (!q->slot[i].used)
			return &q->slot[i];
	return NULL;
}

int dreq_flush(struct dreq_queue *q, void *owner, dreq_send_fn send,
	       void *ctx)
{
	int k, left = 0;

	for (k = 0; k < DREQ_KINDS; k++) {
		uint32_t bit = UINT32_C(1) << k;
		struct dreq_slot *s;

		if (!(q->wanted & bit))
			continue;
		s = free_slot(q);
		if (!s)
			break; /* every slot waits for an answer */
		*s = (struct dreq_slot){ owner, q->serial[k], k, 1 };
		q->wanted &= ~bit;
		switch (send(ctx, s)) {
		case DREQ_SENT:
			break;
		case DREQ_LATER:
			s->used = 0;
			/* Unless send() wanted it again meanwhile (for a newer
			 * target), it waits as it was. */
			if (!(q->wanted & bit))
				dreq_want(q, k, s->serial);
			break;
		case DREQ_DROPPED:
			s->used = 0;
			break;
		}
	}
	for (k = 0; k < DREQ_KINDS; k++)
		left += (q->wanted >> k) & 1;
	return left;
}

void dreq_done(struct dreq_slot *s)
{
	s->used = 0;
}

int dreq_busy(const struct dreq_queue *q, int kind)
{
	int i;

	if (kind < 0 || kind >= DREQ_KINDS)
		return 0;
	if (q->wanted & (UINT32_C(1) << kind))
		return 1;
	for (i = 0; i < DREQ_SLOTS; i++)
		if (q->slot[i].used && q->slot[i].kind == kind)
			return 1;
	return 0;
}

void dreq_clear(struct dreq_queue *q)
{
	memset(q, 0, sizeof *q);
}
