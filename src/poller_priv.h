/*
 * poller_priv.h - what poller.c and poller_drill.c share on the
 * connection thread.
 */
#ifndef BEAMTOP_POLLER_PRIV_H
#define BEAMTOP_POLLER_PRIV_H

#include "beamtop/poller.h"

/* Tells the screen that something changed. */
void poller_wake(struct poller *p);

/* From the collector's hook: start what the screen asked for. */
void drill_hook(struct poller *p, struct collector *col);
/* After each refresh: ask again for what is on screen. */
void drill_after_refresh(struct poller *p, struct collector *col);
/* The connection is gone: pending answers will never come. */
void drill_link_lost(struct poller *p);

#endif
