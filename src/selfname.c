/*
 * selfname.c - a stable default node name (see selfname.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "beamtop/selfname.h"

#define SLOTS 16

static char chosen[32];

const char *selfname_dir(void)
{
	const char *d = getenv("BEAMTOP_LOCK_DIR");

	return d && *d ? d : "/tmp";
}

/* Holds slot i's lock for the rest of the process's life; 0 if we got it. */
static int take(int i)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/.beamtop-name-%d.lock", selfname_dir(), i);
	/* O_NOFOLLOW: /tmp is shared, a planted symlink must not be followed. */
	fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return 0; /* the descriptor stays open: the lock is ours until exit */
}

void selfname_default(char *out, size_t n)
{
	int i;

	if (!chosen[0]) {
		for (i = 1; i <= SLOTS && !chosen[0]; i++)
			if (take(i) == 0)
				snprintf(chosen, sizeof chosen, i == 1 ? "beamtop" :
					 "beamtop_%d", i);
		if (!chosen[0])
			snprintf(chosen, sizeof chosen, "beamtop_%ld", (long)getpid());
	}
	snprintf(out, n, "%s", chosen);
}
