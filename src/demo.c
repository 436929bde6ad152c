/*
 * demo.c - the demo node (see demo.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "beamtop/cookie.h"
#include "beamtop/demo.h"

extern const unsigned char demo_beam[];
extern const size_t demo_beam_len;

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return close(fd);
}

static int random_cookie(char *out, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char raw[32];
	size_t i, len = n - 1 < sizeof raw ? n - 1 : sizeof raw;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, raw, len) != (ssize_t)len) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (i = 0; i < len; i++)
		out[i] = abc[raw[i] % (sizeof abc - 1)];
	out[len] = '\0';
	return 0;
}

static void path_in(const struct demo *d, const char *file, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", d->dir, file);
}

/* In the child: becomes the demo node, its output into log.  Does not
 * return. */
static void exec_node(const struct demo *d, const char *log, const char *args,
		      const char *ospid)
{
	int fd;

	/* Loopback only: the node's distribution and, should erl have to
	 * start one, epmd. */
	setenv("ERL_EPMD_ADDRESS", "127.0.0.1", 0);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	/* Our own process group: a Ctrl-C meant for beamtop's screen does not
	 * reach the node; beamtop stops it itself. */
	setpgid(0, 0);
	execlp("erl", "erl", "-name", d->node, "-args_file", args,
	       "-noshell", "-noinput", "-pa", d->dir,
	       "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
	       "-s", "beamtop_demo", "start", ospid, (char *)NULL);
	_exit(127);
}

int demo_start(struct demo *d, char *err, size_t errlen)
{
	char beam[128], args[128], log[128], argtext[160], ospid[32];

	memset(d, 0, sizeof *d);
	snprintf(d->dir, sizeof d->dir, "/tmp/beamtop-demo-XXXXXX");
	if (!mkdtemp(d->dir)) {
		snprintf(err, errlen, "--demo: cannot make a temp dir: %s",
			 strerror(errno));
		d->dir[0] = '\0';
		return -1;
	}
	if (random_cookie(d->cookie, sizeof d->cookie) < 0) {
		snprintf(err, errlen, "--demo: cannot read /dev/urandom");
		demo_stop(d);
		return -1;
	}
	/* The cookie goes in an args file, not on erl's command line, where
	 * ps would show it. */
	path_in(d, "beamtop_demo.beam", beam, sizeof beam);
	path_in(d, "args", args, sizeof args);
	path_in(d, "node.log", log, sizeof log);
	snprintf(argtext, sizeof argtext, "-setcookie %s\n", d->cookie);
	if (write_file(beam, demo_beam, demo_beam_len) < 0 ||
	    write_file(args, argtext, strlen(argtext)) < 0) {
		snprintf(err, errlen, "--demo: cannot write to %s: %s", d->dir,
			 strerror(errno));
		cookie_wipe(argtext, sizeof argtext);
		demo_stop(d);
		return -1;
	}
	cookie_wipe(argtext, sizeof argtext);
	snprintf(d->node, sizeof d->node, "beamtop_demo_%ld@127.0.0.1",
		 (long)getpid());
	snprintf(ospid, sizeof ospid, "%ld", (long)getpid());

	d->pid = fork();
	if (d->pid < 0) {
		snprintf(err, errlen, "--demo: cannot fork: %s", strerror(errno));
		d->pid = 0;
		demo_stop(d);
		return -1;
	}
	if (d->pid == 0)
		exec_node(d, log, args, ospid);
	return 0;
}

void demo_log_tail(const struct demo *d, char *out, size_t outlen)
{
	char log[128];
	FILE *f;
	long size;
	size_t n;

	out[0] = '\0';
	if (!d->dir[0])
		return;
	path_in(d, "node.log", log, sizeof log);
	f = fopen(log, "r");
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size > (long)outlen - 1 ? size - (long)outlen + 1 : 0, SEEK_SET);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
	for (n = 0; out[n]; n++)
		if (out[n] == '\n' || out[n] == '\r')
			out[n] = ' ';
}

void demo_stop(struct demo *d)
{
	static const char *const files[] = { "beamtop_demo.beam", "args", "node.log" };
	char path[128];
	size_t i;

	if (d->pid > 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		int status, waited = 0;

		/* erl takes SIGTERM as init:stop(); give it a moment, then
		 * make sure. */
		kill(d->pid, SIGTERM);
		while (waitpid(d->pid, &status, WNOHANG) == 0 && waited < 60) {
			nanosleep(&ts, NULL);
			waited++;
		}
		if (waited >= 60) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &status, 0);
		}
		d->pid = 0;
	}
	if (d->dir[0]) {
		for (i = 0; i < sizeof files / sizeof files[0]; i++) {
			path_in(d, files[i], path, sizeof path);
			unlink(path);
		}
		rmdir(d->dir);
		d->dir[0] = '\0';
	}
	cookie_wipe(d->cookie, sizeof d->cookie);
}
