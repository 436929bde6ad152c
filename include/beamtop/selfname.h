/*
 * selfname.h - the name beamtop gives itself on the node by default.
 *
 * A node name becomes an atom on the target, and atoms are never freed:
 * a new name per run (beamtop_<ospid>) would add one atom to the node at
 * every attach.  So the default is one of a few stable names, beamtop,
 * beamtop_2 ... beamtop_16, the first that no other beamtop on this host
 * holds (a lock file per name, held while beamtop runs): attaching again
 * reuses an atom the node already has, and two beamtops at once never
 * collide.
 */
#ifndef BEAMTOP_SELFNAME_H
#define BEAMTOP_SELFNAME_H

#include <stddef.h>

/* Writes the name (the part before the @) into out.  The same name for
 * the life of the process.  Falls back to beamtop_<ospid> when every
 * stable name is taken. */
void selfname_default(char *out, size_t n);

/* Where the lock files live: "/tmp" unless BEAMTOP_LOCK_DIR says. */
const char *selfname_dir(void);

#endif
