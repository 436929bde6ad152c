/*
 * batch_loop.h - batch mode's loop: refresh, report, wait; and what to do
 * when the node goes away or stops answering (report it and exit 1, or
 * with --reconnect keep trying).
 */
#ifndef BEAMTOP_BATCH_LOOP_H
#define BEAMTOP_BATCH_LOOP_H

#include <stdatomic.h>

struct engine;
struct opts;

#define EXIT_LOST 1
#define EXIT_USAGE 2

/* Runs batch mode on the connected engine e (which it reconnects with
 * --reconnect; the caller frees it).  Returns the exit status.  Ends
 * early when *stop is set. */
int batch_loop(const struct opts *o, struct engine *e, const atomic_int *stop);

#endif
