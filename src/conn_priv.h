/*
 * conn_priv.h - what conn.c and conn_status.c share.
 */
#ifndef BEAMTOP_CONN_PRIV_H
#define BEAMTOP_CONN_PRIV_H

#include <stddef.h>

/* On fd, a fresh connection to a node's distribution port: sends our
 * name (self, "alive@host") and reads the node's status ("ok", "nok",
 * "alive", "not_allowed", ...) into status, then leaves fd for the caller
 * to close.  Returns 0, or -1 when the node closed the connection or said
 * nothing within ms (status "").  Never answers the node. */
int conn_hs_status(int fd, const char *self, unsigned ms, char *status,
		   size_t n);

#endif
