/*
 * main.c - beamtop's entry: options, cookie, the connection (or the demo
 * node), then batch reports or the screen.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/batch.h"
#include "beamtop/collect.h"
#include "beamtop/conn.h"
#include "beamtop/cookie.h"
#include "beamtop/demo.h"
#include "beamtop/model.h"
#include "beamtop/opts.h"
#include "beamtop/poller.h"
#include "beamtop/ui.h"

#define EXIT_LOST 1
#define EXIT_USAGE 2

static volatile sig_atomic_t stop_signal;

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

static void die(const char *msg)
{
	fprintf(stderr, "beamtop: %s\n", msg);
}

/* Connects, retrying for a while when the node is still starting (demo). */
static int connect_node(struct conn **c, const struct conn_opts *co,
			unsigned retry_ms, char *err, size_t errlen)
{
	uint64_t end = conn_now_ms() + retry_ms;

	for (;;) {
		if (conn_open(c, co, err, errlen) == 0)
			return 0;
		if (conn_now_ms() >= end || stop_signal)
			return -1;
		usleep(200 * 1000);
	}
}

/* Keeps the connection answered (ticks, late replies) while waiting. */
static int idle(struct collector *col, unsigned ms, char *err, size_t errlen)
{
	uint64_t end = conn_now_ms() + ms;

	while (!stop_signal) {
		uint64_t now = conn_now_ms();

		if (now >= end)
			return 0;
		if (collect_idle(col, (unsigned)(end - now), err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int run_batch(const struct opts *o, struct conn *c,
		     const char *node)
{
	struct collect_opts co;
	struct collector *col;
	struct model m;
	struct batch_meta bm;
	size_t *idx;
	char err[512];
	long i;
	int rc = 0;

	memset(&co, 0, sizeof co);
	co.source = o->source;
	co.extra = proc_sort_needs(o->sort);
	co.stop = &stop_signal;
	col = collect_new(c, &co);
	idx = calloc(o->lines, sizeof *idx);
	if (!col || !idx || model_init(&m) < 0) {
		die("out of memory");
		collect_free(col);
		free(idx);
		return EXIT_LOST;
	}
	bm.node = node;
	bm.sort = o->sort;
	bm.lines = o->lines;
	for (i = 0; o->iterations == 0 || i < o->iterations; i++) {
		if (i > 0 && idle(col, o->delay_ms, err, sizeof err) < 0) {
			die(err);
			rc = EXIT_LOST;
			break;
		}
		if (stop_signal)
			break;
		if (collect_refresh(col, model_next(&m), err, sizeof err) < 0) {
			if (!stop_signal) {
				die(err);
				rc = EXIT_LOST;
			}
			break;
		}
		model_commit(&m);
		bm.source = collect_source_name(col);
		if (o->json)
			batch_json(stdout, &m, &bm, idx);
		else
			batch_text(stdout, &m, &bm, idx);
	}
	collect_free(col);
	model_free(&m);
	free(idx);
	return rc;
}

/* The screen: the poller thread takes the connection, this thread draws. */
static int run_screen(const struct opts *o, struct conn *c,
		      const struct conn_opts *co)
{
	struct collect_opts cop;
	struct ui_opts uo;
	struct poller p;
	struct model m;
	char err[512];
	int rc;

	memset(&cop, 0, sizeof cop);
	cop.source = o->source;
	if (model_init(&m) < 0) {
		die("out of memory");
		conn_close(c);
		return EXIT_LOST;
	}
	if (poller_start(&p, c, co, &cop, &m, o->delay_ms, err, sizeof err) < 0) {
		die(err);
		conn_close(c);
		model_free(&m);
		return EXIT_LOST;
	}
	uo.node = co->node;
	uo.pane = o->pane;
	uo.pid = o->pid;
	uo.interval_ms = o->delay_ms;
	uo.color = !o->no_color;
	uo.read_only = o->read_only;
	rc = ui_run(&p, &m, &uo);
	/* Give the thread a moment to let go of the node cleanly. */
	if (poller_stop(&p, 3000))
		model_free(&m);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct conn_opts co;
	struct conn *c = NULL;
	struct demo demo;
	char err[512], cookie[COOKIE_MAX + 1];
	int rc;

	memset(&demo, 0, sizeof demo);
	if (opts_parse(&o, argc, argv, err, sizeof err) < 0) {
		fprintf(stderr, "beamtop: %s (try --help)\n", err);
		return EXIT_USAGE;
	}
	if (o.help) {
		opts_usage(stdout);
		return 0;
	}
	if (o.version) {
		printf("beamtop %s (built with erl_interface %s, OTP %s)\n",
		       BEAMTOP_VERSION, BEAMTOP_EI_VERSION, BEAMTOP_OTP_RELEASE);
		return 0;
	}
	if (!o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		die("the screen needs a terminal on stdin and stdout: use -b for "
		    "batch output");
		return EXIT_USAGE;
	}
	install_signals();

	if (o.demo) {
		if (demo_start(&demo, err, sizeof err) < 0) {
			die(err);
			return EXIT_USAGE;
		}
		snprintf(cookie, sizeof cookie, "%s", demo.cookie);
	} else {
		if (o.cookie)
			fprintf(stderr, "beamtop: warning: --cookie is visible to other "
				"users in ps; prefer --cookie-file or $ERLANG_COOKIE\n");
		if (cookie_load(o.cookie, o.cookie_file, cookie, sizeof cookie, err,
				sizeof err) < 0) {
			die(err);
			return EXIT_USAGE;
		}
	}

	memset(&co, 0, sizeof co);
	co.node = o.demo ? demo.node : o.node;
	co.own_name = o.name;
	co.cookie = cookie;
	co.port = o.port;
	co.timeout_ms = o.timeout_ms;
	co.read_only = o.read_only;
	co.call_log = getenv("BEAMTOP_CALL_LOG");
	if (connect_node(&c, &co, o.demo ? 20000 : 0, err, sizeof err) < 0) {
		cookie_wipe(cookie, sizeof cookie);
		if (o.demo) {
			char tail[200];

			demo_log_tail(&demo, tail, sizeof tail);
			fprintf(stderr, "beamtop: the demo node did not come up: %s%s%s\n",
				err, tail[0] ? "; its log says: " : "", tail);
			demo_stop(&demo);
		} else {
			die(err);
		}
		return EXIT_USAGE;
	}

	/* The screen's poller keeps its own copy, to reconnect with. */
	if (o.batch) {
		cookie_wipe(cookie, sizeof cookie);
		rc = run_batch(&o, c, co.node);
		conn_close(c);
	} else {
		rc = run_screen(&o, c, &co);
		cookie_wipe(cookie, sizeof cookie);
	}
	demo_stop(&demo);
	return rc;
}
