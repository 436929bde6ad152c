/*
 * poller.c - the connection thread of screen mode (see poller.h).
 *
 * Rules that keep the screen responsive: the lock is held only to copy
 * settings in and to publish (pointer swaps and ring pushes); decoding,
 * joins and rates happen outside it, on buffers the screen does not read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/poller.h"
#include "poller_priv.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 5000

void poller_lock(struct poller *p)
{
	pthread_mutex_lock(&p->lock);
}

void poller_unlock(struct poller *p)
{
	pthread_mutex_unlock(&p->lock);
}

void poller_wake(struct poller *p)
{
	char b = 1;
	ssize_t rc = write(p->wake[1], &b, 1);

	(void)rc; /* a full pipe already means "wake up" */
}

void poller_drain(struct poller *p)
{
	char buf[64];

	while (read(p->wake[0], buf, sizeof buf) > 0)
		;
}

void poller_want_names(struct poller *p, const struct bt_pid *pids, size_t n)
{
	size_t i;

	if (n > sizeof p->names_want / sizeof p->names_want[0])
		n = sizeof p->names_want / sizeof p->names_want[0];
	/* The same rows as asked last time: nothing new to ask. */
	if (n == p->names_n) {
		for (i = 0; i < n; i++)
			if (bt_pid_key(&pids[i]) != bt_pid_key(&p->names_want[i]))
				break;
		if (i == n)
			return;
	}
	memcpy(p->names_want, pids, n * sizeof *pids);
	p->names_n = n;
	p->names_serial++;
}

/* Names for the rows on screen: written into the current snapshot, found
 * by pid (it may have been replaced since the question). */
static void on_names(void *ctx, struct tdec *r, const char *why)
{
	struct poller *p = ctx;

	(void)why;
	if (!r)
		return;
	poller_lock(p);
	if (p->m->cur)
		collect_apply_names(p->m->cur, &p->m->cur_map, r);
	poller_unlock(p);
	poller_wake(p);
}

/* Called by the collector every 50 ms: start what the screen asked for. */
static void hook(void *ctx, struct collector *col)
{
	struct poller *p = ctx;
	struct bt_pid pids[64];
	size_t n = 0;
	unsigned serial;

	drill_hook(p, col);
	poller_lock(p);
	serial = p->names_serial;
	if (serial != p->sent_names) {
		n = p->names_n;
		memcpy(pids, p->names_want, n * sizeof *pids);
	}
	poller_unlock(p);
	if (serial != p->sent_names) {
		p->sent_names = serial;
		if (n)
			collect_names_async(col, pids, n, on_names, p);
	}
}

static void set_down(struct poller *p, const char *why, unsigned backoff)
{
	uint64_t now = conn_now_ms();

	poller_lock(p);
	if (p->st.link == LINK_UP)
		p->st.down_since_ms = now;
	p->st.link = LINK_DOWN;
	snprintf(p->st.message, sizeof p->st.message, "%s", why);
	p->st.retry_at_ms = now + backoff;
	poller_unlock(p);
	poller_wake(p);
}

/* Sleeps ms in slices, returning early when told to quit. */
static void nap(struct poller *p, unsigned ms)
{
	uint64_t end = conn_now_ms() + ms;

	while (!p->quit && conn_now_ms() < end)
		usleep(50 * 1000);
}

/* The node refused our cookie (restarted with another one?): every try
 * would be refused again and logged on the node, so wait for the user's
 * r instead of retrying on a timer. */
static void wait_for_retry(struct poller *p)
{
	int go = 0;

	set_down(p, CONN_AUTH_FAILED ": the node's cookie changed? press r to "
		 "retry", 0);
	poller_lock(p);
	p->st.auth_failed = 1;
	p->st.retry_at_ms = 0;
	p->retry_now = 0;
	poller_unlock(p);
	poller_wake(p);
	while (!p->quit && !go) {
		nap(p, 100);
		poller_lock(p);
		go = p->retry_now;
		poller_unlock(p);
	}
	poller_lock(p);
	p->st.auth_failed = 0;
	p->retry_now = 0;
	poller_unlock(p);
}

/* Tries to connect until it works or we are told to quit. */
static void reconnect(struct poller *p)
{
	unsigned backoff = BACKOFF_MIN_MS;
	char err[256];

	while (!p->quit) {
		poller_lock(p);
		p->st.attempts++;
		poller_unlock(p);
		if (conn_open(&p->conn, &p->co, err, sizeof err) == 0) {
			poller_lock(p);
			p->st.link = LINK_UP;
			p->st.message[0] = '\0';
			p->st.reconnected++;
			p->st.attempts = 0;
			poller_unlock(p);
			poller_wake(p);
			return;
		}
		p->conn = NULL;
		if (strstr(err, CONN_AUTH_FAILED)) {
			wait_for_retry(p);
			backoff = BACKOFF_MIN_MS;
			continue;
		}
		set_down(p, err, backoff);
		nap(p, backoff);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
}

static void drop_link(struct poller *p, const char *why)
{
	drill_link_lost(p);
	/* The collector's holder dies with the connection on the node. */
	collect_free(p->col);
	p->col = NULL;
	conn_close(p->conn);
	p->conn = NULL;
	set_down(p, why, BACKOFF_MIN_MS);
	nap(p, BACKOFF_MIN_MS);
}

/* One refresh, published unless paused.  Returns -1 when the link broke. */
static int refresh(struct poller *p, uint64_t *started)
{
	struct model *m = p->m;
	struct snapshot *next = model_next(m);
	unsigned extra, window;
	int paused, rc;
	char err[256];

	poller_lock(p);
	extra = p->extra;
	window = p->window_ms;
	p->refresh_now = 0;
	poller_unlock(p);
	collect_set_extra(p->col, extra);
	if (window != p->applied_window) {
		/* The screen reads window_ms: change it under the lock. */
		poller_lock(p);
		model_set_window(m, window);
		poller_unlock(p);
		p->applied_window = window;
	}
	*started = conn_now_ms();
	rc = collect_refresh(p->col, next, m->cur, err, sizeof err);
	if (rc == -2)
		return 0;
	if (rc < 0) {
		drop_link(p, err);
		return -1;
	}
	/* A refresh that got none of the node-wide figures (a frozen node:
	 * every call timed out) would blank the screen: keep the last one. */
	if (next->answers == 0) {
		poller_lock(p);
		snprintf(p->st.message, sizeof p->st.message,
			 "%.90s is not answering (%.130s)", p->node,
			 next->errors[0] ? next->errors : "no reply");
		poller_unlock(p);
		poller_wake(p);
		return 0;
	}
	model_prepare(m);
	poller_lock(p);
	if (next->sys.wordsize)
		p->drill->wordsize = next->sys.wordsize;
	paused = p->paused;
	if (!paused) {
		model_publish(m);
		p->st.data_ms = next->t_ms;
		p->st.held = 0;
	} else {
		p->st.held++;
	}
	p->st.cost_ms = next->wall_ms;
	/* A refresh slower than the interval: the next starts at once, so
	 * the interval stretches instead of requests piling up. */
	p->st.stretched = next->wall_ms > p->interval_ms;
	p->st.bytes = next->bytes;
	snprintf(p->st.source, sizeof p->st.source, "%s",
		 collect_source_name(p->col));
	snprintf(p->st.message, sizeof p->st.message, "%s", next->errors);
	poller_unlock(p);
	poller_wake(p);
	if (!paused) {
		const struct bt_pid *pids;
		const uint32_t *rows;
		size_t n;

		/* Outside the lock: at 1M processes choosing the candidates
		 * takes tens of ms, and the screen must not wait for it.  Only
		 * this thread changes the model, so reading it here is safe. */
		n = model_candidates(m, &pids, &rows);
		collect_set_candidates(p->col, pids, rows, n);
		if (m->signal[0])
			collect_want_full(p->col, m->signal);
	}
	drill_after_refresh(p, p->col);
	return 0;
}

static void *run(void *arg)
{
	struct poller *p = arg;
	uint64_t started = 0;
	char err[256];

	while (!p->quit) {
		unsigned interval;
		uint64_t now;
		int go;

		if (!p->conn) {
			reconnect(p);
			continue;
		}
		if (!p->col) {
			p->col = collect_new(p->conn, &p->cop);
			if (!p->col) {
				drop_link(p, "out of memory");
				continue;
			}
			if (p->cop.agent &&
			    collect_agent_setup(p->col, err, sizeof err) < 0) {
				drop_link(p, err);
				continue;
			}
		}
		if (refresh(p, &started) < 0)
			continue;
		/* Wait out the interval from the refresh's start, reading all
		 * the while; a refresh slower than the interval stretches it. */
		for (;;) {
			poller_lock(p);
			interval = p->interval_ms;
			go = p->refresh_now;
			now = conn_now_ms();
			poller_unlock(p);
			if (p->quit || go || now - started >= interval)
				break;
			if (collect_idle(p->col, 50, err, sizeof err) < 0) {
				drop_link(p, err);
				break;
			}
		}
	}
	collect_free(p->col);
	p->col = NULL;
	conn_close(p->conn);
	p->conn = NULL;
	poller_lock(p);
	p->finished = 1;
	poller_unlock(p);
	poller_wake(p);
	return NULL;
}

int poller_start(struct poller *p, struct conn *c, const struct conn_opts *co,
		 const struct collect_opts *cop, struct model *m,
		 unsigned interval_ms, char *err, size_t errlen)
{
	sigset_t all, old;
	int rc;

	memset(p, 0, sizeof *p);
	p->drill = calloc(1, sizeof *p->drill);
	if (!p->drill) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->drill->wordsize = 8;
	if (pipe(p->wake) < 0) {
		free(p->drill);
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fcntl(p->wake[0], F_SETFL, O_NONBLOCK);
	fcntl(p->wake[1], F_SETFL, O_NONBLOCK);
	fcntl(p->wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(p->wake[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&p->lock, NULL);
	p->m = m;
	p->conn = c;
	p->co = *co;
	snprintf(p->cookie, sizeof p->cookie, "%s", co->cookie);
	p->co.cookie = p->cookie;
	snprintf(p->node, sizeof p->node, "%s", co->node);
	p->co.node = p->node;
	p->co.own_name = NULL; /* a fresh beamtop_<pid> each time is fine */
	p->cop = *cop;
	p->cop.hook = hook;
	p->cop.hook_ctx = p;
	p->cop.stop = &p->quit;
	p->interval_ms = interval_ms;
	p->st.link = LINK_UP;
	/* Signals are for the screen's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&p->thread, NULL, run, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start a thread: %s", strerror(rc));
		close(p->wake[0]);
		close(p->wake[1]);
		free(p->drill);
		return -1;
	}
	p->started = 1;
	return 0;
}

int poller_stop(struct poller *p, unsigned wait_ms)
{
	uint64_t end = conn_now_ms() + wait_ms;
	int done = 0;

	if (!p->started)
		return 1;
	p->quit = 1;
	while (conn_now_ms() < end) {
		poller_lock(p);
		done = p->finished;
		poller_unlock(p);
		if (done)
			break;
		usleep(10 * 1000);
	}
	if (done) {
		pthread_join(p->thread, NULL);
		close(p->wake[0]);
		close(p->wake[1]);
		pthread_mutex_destroy(&p->lock);
		cookie_wipe(p->cookie, sizeof p->cookie);
		free(p->drill);
		free(p->bl_before);
	}
	/* Else it is stuck in a connect: the process exit ends it. */
	p->started = 0;
	return done;
}
