/*
 * main.c - beamtop's entry: options, cookie, the connection (or the demo
 * node), then batch reports or the screen.
 */
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "beamtop/batch.h"
#include "beamtop/batch_loop.h"
#include "beamtop/collect.h"
#include "beamtop/config.h"
#include "beamtop/conn.h"
#include "beamtop/cookie.h"
#include "beamtop/demo.h"
#include "beamtop/engine.h"
#include "beamtop/fields.h"
#include "beamtop/model.h"
#include "beamtop/opts.h"
#include "beamtop/poller.h"
#include "beamtop/ui.h"


static atomic_int stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked poll() must return so we notice. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A node that dropped us makes our next write raise SIGPIPE: we want
	 * the EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
}

/* One line on stderr; the caller decides how to go on (exit status). */
static void say_error(const char *msg)
{
	fprintf(stderr, "beamtop: %s\n", msg);
}

/* A closed stdin, stdout or stderr would be the lowest free fd, and the
 * next socket would take it: the report (or an error line) would then be
 * written into the distribution connection.  Returns a mask of the fds
 * that were closed, or -1 when /dev/null cannot be opened. */
static int reopen_std_fds(void)
{
	int fd, closed = 0;

	for (fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* open() takes the lowest free fd, which is this one. */
		nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (nfd != fd)
			return -1;
		closed |= 1 << fd;
	}
	return closed;
}

/* The screen: the poller thread takes the engine, this thread draws. */
static int run_screen(const struct opts *o, struct engine *e, int *stuck)
{
	struct ui_opts uo;
	struct poller *p;
	char err[512];
	int rc;

	if (!(p = poller_start(e, o->delay_ms, err, sizeof err))) {
		say_error(err);
		return EXIT_LOST;
	}
	uo.node = e->node;
	uo.pane = o->pane;
	uo.pid = o->pid;
	uo.interval_ms = o->delay_ms;
	/* $NO_COLOR is the environment's wish, not a setting: F2 does not
	 * save it (https://no-color.org). */
	uo.color = !o->no_color && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	uo.read_only = o->read_only;
	uo.budget = o->budget;
	uo.opts = o;
	rc = ui_run(p, &uo);
	/* Give the thread a moment to let go of the node cleanly; stuck in
	 * a connect, it still holds the engine, and the exit ends it. */
	*stuck = !poller_stop(p, 3000);
	return rc;
}

/* Batch reports or the screen, on a connected engine.  Returns the exit
 * status. */
static int run(const struct opts *o, struct engine *e)
{
	struct model m;
	int rc, stuck = 0;

	if (model_init(&m) < 0) {
		say_error("out of memory");
		return EXIT_LOST;
	}
	e->m = &m;
	if (o->batch)
		rc = batch_loop(o, e, &stop_signal);
	else
		rc = run_screen(o, e, &stuck);
	if (stuck)
		return rc; /* the thread may still use the engine and model */
	engine_free(e);
	model_free(&m);
	return rc;
}

/* Defaults, then the settings file, then the command line; and what the
 * options say before anything connects (--help, --version, no terminal).
 * Returns the exit status when beamtop is done, or -1 to go on. */
static int settle_opts(struct opts *o, int argc, char **argv, int closed)
{
	char err[512], cfg[1024];

	opts_init(o);
	if (config_path(cfg, sizeof cfg) == 0 && config_load(o, cfg, err, sizeof err) < 0) {
		fprintf(stderr, "beamtop: %s\n", err);
		return EXIT_USAGE;
	}
	if (opts_args(o, argc, argv, err, sizeof err) < 0) {
		fprintf(stderr, "beamtop: %s (try --help)\n", err);
		return EXIT_USAGE;
	}
	if (o->help) {
		opts_usage(stdout);
		return 0;
	}
	if (o->version) {
		printf("beamtop %s (built with erl_interface %s, OTP %s)\n",
		       BEAMTOP_VERSION, BEAMTOP_EI_VERSION, BEAMTOP_OTP_RELEASE);
		return 0;
	}
	if (!o->batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		say_error("the screen needs a terminal on stdin and stdout: use -b for "
			  "batch output");
		return EXIT_USAGE;
	}
	/* A report nobody can read is a failure, as for any other write
	 * error; and then there is no reason to bother the node. */
	if (o->batch && (closed & 1 << STDOUT_FILENO)) {
		say_error("cannot write the report: standard output is closed");
		return EXIT_LOST;
	}
	return -1;
}

/* The cookie: the demo node's (started here), or the user's.  Returns 0,
 * or -1 with the reason said. */
static int take_cookie(const struct opts *o, struct demo *demo, char *cookie,
		       size_t n)
{
	char err[512];

	if (o->demo) {
		if (demo_start(demo, err, sizeof err) < 0) {
			say_error(err);
			return -1;
		}
		snprintf(cookie, n, "%s", demo->cookie);
		return 0;
	}
	if (o->cookie)
		fprintf(stderr, "beamtop: warning: --cookie is visible to other "
			"users in ps; prefer --cookie-file or $ERLANG_COOKIE\n");
	switch (cookie_load(o->cookie, o->cookie_file, cookie, n, err, sizeof err)) {
	case -1:
		say_error(err);
		return -1;
	case 1:
		fprintf(stderr, "beamtop: warning: %s\n", err);
		break;
	}
	return 0;
}

/* The engine for the node the options name; it keeps the cookie (to
 * reconnect with), which is wiped here. */
static void engine_for(struct engine *eng, const struct opts *o,
		       const struct demo *demo, char *cookie, size_t n)
{
	struct conn_opts co;
	struct collect_opts cop;

	memset(&co, 0, sizeof co);
	co.node = o->demo ? demo->node : o->node;
	co.own_name = o->name;
	co.cookie = cookie;
	co.port = o->port;
	co.address = o->address;
	co.timeout_ms = o->timeout_ms;
	co.read_only = o->read_only;
	co.call_log = getenv("BEAMTOP_CALL_LOG");
	memset(&cop, 0, sizeof cop);
	cop.source = o->source;
	cop.budget = o->budget;
	cop.agent = o->agent;
	cop.extra = o->batch ? proc_sort_needs(o->sort) : 0;
	cop.stop = &stop_signal;
	engine_init(eng, &co, &cop, NULL);
	cookie_wipe(cookie, n);
}

/* Says why the first connect failed (for the demo, with its node's log). */
static void connect_failed(const struct opts *o, const struct demo *demo,
			   int usage, const char *err)
{
	char tail[200];

	if (!o->demo || usage) {
		say_error(err);
		return;
	}
	demo_log_tail(demo, tail, sizeof tail);
	fprintf(stderr, "beamtop: the demo node did not come up: %s%s%s\n",
		err, tail[0] ? "; its log says: " : "", tail);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct engine eng;
	struct demo demo;
	struct rlimit no_core = { 0, 0 };
	char err[512], cookie[COOKIE_MAX + 1];
	int rc, usage, closed = reopen_std_fds();

	if (closed < 0)
		return EXIT_USAGE;
	memset(&demo, 0, sizeof demo);
	/* beamtop holds the cookie in memory: it never leaves a core dump. */
	setrlimit(RLIMIT_CORE, &no_core);
	rc = settle_opts(&o, argc, argv, closed);
	if (rc >= 0)
		return rc;
	install_signals();
	if (take_cookie(&o, &demo, cookie, sizeof cookie) < 0)
		return EXIT_USAGE;
	engine_for(&eng, &o, &demo, cookie, sizeof cookie);
	/* The demo node may still be starting: give it a while. */
	if (engine_connect_for(&eng, o.demo ? 20000 : 0, &usage, err, sizeof err) < 0) {
		engine_free(&eng);
		connect_failed(&o, &demo, usage, err);
		demo_stop(&demo);
		return EXIT_USAGE;
	}
	rc = run(&o, &eng);
	demo_stop(&demo);
	return rc;
}
