/*
 * demo.h - the throwaway node behind `beamtop --demo`.
 *
 * A local node on loopback with a random cookie runs the demo workload
 * (src/demo/beamtop_demo.erl, compiled at build time and embedded in the
 * binary).  It is stopped by its pid when beamtop exits, and halts by
 * itself if beamtop dies first.
 */
#ifndef BEAMTOP_DEMO_H
#define BEAMTOP_DEMO_H

#include <stddef.h>
#include <sys/types.h>

struct demo {
	pid_t pid;              /* the erl process, 0 when not running */
	char dir[64];           /* private temp dir with the beam and args */
	char node[128];         /* its node name */
	char cookie[48];        /* its random cookie */
};

/* Starts the node (epmd too, bound to loopback, if none runs).  Returns 0,
 * or -1 with a one-line reason in err. */
int demo_start(struct demo *d, char *err, size_t errlen);

/* Stops the node by its pid and removes its files.  Safe to call twice. */
void demo_stop(struct demo *d);

/* The tail of the node's log, for an error message ("" if none). */
void demo_log_tail(const struct demo *d, char *out, size_t outlen);

#endif
