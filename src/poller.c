/*
 * poller.c - the connection thread of screen mode (see poller.h).
 *
 * Rules that keep the screen responsive: the lock is held only to copy
 * settings in and to publish (pointer swaps and ring pushes); decoding,
 * joins and rates happen outside it, on buffers the screen does not read.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/clock.h"
#include "beamtop/engine.h"
#include "beamtop/poller.h"
#include "poller_priv.h"

/* Processes named by one background names query (see ask_names()). */
#define NAMES_BATCH 1000

/* How often a partial list of the first full scan is shown. */
#define PARTIAL_EVERY_MS 500

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

int poller_fd(const struct poller *p)
{
	return p->wake[0];
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
	poller_lock(p);
	/* The same rows as asked last time: nothing new to ask. */
	if (n == p->names_n) {
		for (i = 0; i < n && bt_pid_key(&pids[i]) == bt_pid_key(&p->names_want[i]);
		     i++)
			;
		if (i == n) {
			poller_unlock(p);
			return;
		}
	}
	memcpy(p->names_want, pids, n * sizeof *pids);
	p->names_n = n;
	p->names_serial++;
	poller_unlock(p);
}

/* Under the lock: waits until the screen's frame no longer holds s (or
 * we are told to quit).  Returns 0, or -1 when quitting. */
int poller_wait_unheld(struct poller *p, const struct snapshot *s)
{
	while (p->in_use && p->held == s && !p->quit)
		pthread_cond_wait(&p->drawn, &p->lock);
	return p->quit ? -1 : 0;
}

/* Names: written into the current snapshot, found by pid (it may have
 * been replaced since the question); the model carries them on. */
static void on_names(void *ctx, const struct proc_name *a, size_t n)
{
	struct poller *p = ctx;

	p->names_inflight = 0;
	if (!n)
		return;
	poller_lock(p);
	/* Names go into the published snapshot: not while it is drawn. */
	if (p->eng->m->cur && poller_wait_unheld(p, p->eng->m->cur) == 0)
		collect_apply_names(p->eng->m->cur, &p->eng->m->cur_map, a, n);
	poller_unlock(p);
	poller_wake(p);
}

/* Adds to pids[n..max) rows of s that want a name, from where the last
 * look stopped, so that every process gets its turn.  Returns the new n. */
static size_t unnamed_rows(struct poller *p, const struct snapshot *s,
			   struct bt_pid *pids, size_t n, size_t max)
{
	size_t k, i;

	if (p->names_cursor >= s->n_procs)
		p->names_cursor = 0;
	for (k = 0; k < s->n_procs && n < max; k++) {
		i = (p->names_cursor + k) % s->n_procs;
		if (proc_wants_name(&s->procs[i]))
			pids[n++] = s->procs[i].pid;
	}
	p->names_cursor = (p->names_cursor + k) % (s->n_procs ? s->n_procs : 1);
	return n;
}

/* One names query at a time: the rows on screen first, as soon as they
 * change; once per refresh, up to NAMES_BATCH others, so that grouping
 * and the filter come to see every process by its real name. */
static void ask_names(struct poller *p, struct collector *col)
{
	struct bt_pid pids[NAMES_BATCH];   /* 12 KB, on this thread's stack */
	const struct model *m = p->eng->m;
	unsigned serial;
	size_t n = 0;

	if (p->names_inflight)
		return;
	poller_lock(p);
	serial = p->names_serial;
	if (serial != p->sent_names) {
		n = p->names_n;
		memcpy(pids, p->names_want, n * sizeof *pids);
	}
	poller_unlock(p);
	p->sent_names = serial;
	/* (Only this thread changes m->cur: read without the lock.)  Not
	 * while the first full scan streams: the rows on screen are named,
	 * the others wait for the complete list. */
	if (m->cur && !m->cur->partial && m->refreshes != p->names_refresh) {
		p->names_refresh = m->refreshes;
		n = unnamed_rows(p, m->cur, pids, n, NAMES_BATCH);
	}
	if (n && collect_names_async(col, pids, n, on_names, p) == 0)
		p->names_inflight = 1;
}

/* The first screen: while the first full scan streams, what it has read
 * so far, marked partial (see model_partial.c), every PARTIAL_EVERY_MS.
 * The copy is made outside the lock, into the buffer that the screen does
 * not show (once it has let go of it), and published by a pointer swap. */
static void show_partial(struct poller *p)
{
	struct model *m = p->eng->m;
	const struct snapshot *s, *target;
	int paused, rc;

	poller_lock(p);
	paused = p->paused;
	poller_unlock(p);
	if (paused || !(s = engine_partial_due(p->eng, PARTIAL_EVERY_MS)) ||
	    !(target = model_partial_target(m)))
		return;
	poller_lock(p);
	rc = poller_wait_unheld(p, target);
	poller_unlock(p);
	if (rc < 0 || model_partial_prepare(m, s, (double)(clock_ms() - s->t_ms)) < 0)
		return;
	poller_lock(p);
	model_partial_publish(m);
	p->st.data_ms = s->t_ms;
	poller_unlock(p);
	poller_wake(p);
}

/* Once a complete refresh is shown: the partial lists go, when the
 * screen's frame holds none of them. */
static void drop_partials(struct poller *p)
{
	struct model *m = p->eng->m;
	int held;

	if (!m->part)
		return;
	poller_lock(p);
	while ((held = p->in_use && model_partial_owns(m, p->held)) && !p->quit)
		pthread_cond_wait(&p->drawn, &p->lock);
	poller_unlock(p);
	if (!held)
		model_partial_drop(m);
}

/* Called by the collector every 50 ms: start what the screen asked for. */
static void hook(void *ctx, struct collector *col)
{
	struct poller *p = ctx;

	drill_hook(p, col);
	ask_names(p, col);
	poller_ask_heap(p, col);
	show_partial(p);
}

static void set_down(struct poller *p, const char *why, unsigned backoff)
{
	uint64_t now = clock_ms();

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
	uint64_t end = clock_ms() + ms;

	while (!p->quit && clock_ms() < end)
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
	struct engine *e = p->eng;
	char err[256];
	int usage;

	while (!p->quit) {
		poller_lock(p);
		p->st.attempts++;
		poller_unlock(p);
		if (engine_connect(e, &usage, err, sizeof err) == 0) {
			poller_lock(p);
			p->st.link = LINK_UP;
			p->st.message[0] = '\0';
			p->st.reconnected++;
			p->st.attempts = 0;
			poller_unlock(p);
			poller_wake(p);
			return;
		}
		if (e->auth_failed) {
			wait_for_retry(p);
			continue;
		}
		set_down(p, err, e->backoff_ms);
		nap(p, e->backoff_ms);
	}
}

static void drop_link(struct poller *p, const char *why)
{
	drill_link_lost(p);
	p->names_inflight = 0; /* its answer will never come */
	p->heap_inflight = 0;
	/* The collector's holder dies with the connection on the node. */
	engine_drop(p->eng);
	set_down(p, why, BACKOFF_MIN_MS);
	nap(p, BACKOFF_MIN_MS);
}

/* Publishes the refresh in next (unless paused) and its status.
 * Returns whether it was kept back. */
static int publish(struct poller *p, const struct snapshot *next)
{
	int paused;

	poller_lock(p);
	if (next->sys.wordsize)
		p->drill->wordsize = next->sys.wordsize;
	if (p->eng->col)
		p->drill->elixir = collect_elixir(p->eng->col);
	paused = p->paused;
	if (!paused) {
		model_publish(p->eng->m);
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
		 collect_source_name(p->eng->col));
	snprintf(p->st.message, sizeof p->st.message, "%s", next->errors);
	poller_unlock(p);
	poller_wake(p);
	return paused;
}

/* One refresh, published unless paused.  Returns -1 when the link broke. */
static int refresh(struct poller *p, uint64_t *started)
{
	struct model *m = p->eng->m;
	struct snapshot *next = model_next(m);
	unsigned extra, window;
	int paused, rc;
	char err[256];

	poller_lock(p);
	extra = p->extra;
	window = p->window_ms;
	p->refresh_now = 0;
	/* The snapshot to fill may be the one the screen still draws. */
	rc = poller_wait_unheld(p, next);
	poller_unlock(p);
	if (rc < 0)
		return 0;
	collect_set_extra(p->eng->col, extra);
	if (window != p->applied_window) {
		/* The screen reads window_ms: change it under the lock. */
		poller_lock(p);
		model_set_window(m, window);
		poller_unlock(p);
		p->applied_window = window;
	}
	*started = clock_ms();
	rc = engine_refresh(p->eng, err, sizeof err);
	if (rc == ENG_STOPPED)
		return 0;
	if (rc == ENG_LOST) {
		drop_link(p, err);
		return -1;
	}
	/* A frozen node: keep the last data rather than blank the screen. */
	if (rc == ENG_FROZEN) {
		poller_lock(p);
		snprintf(p->st.message, sizeof p->st.message, "%s", err);
		poller_unlock(p);
		poller_wake(p);
		return 0;
	}
	paused = publish(p, next);
	/* Outside the lock: only this thread changes the model. */
	if (!paused) {
		drop_partials(p);
		engine_follow(p->eng);
	}
	drill_after_refresh(p, p->eng->col);
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

		if (!p->eng->conn) {
			reconnect(p);
			continue;
		}
		if (refresh(p, &started) < 0)
			continue;
		/* Wait out the interval from the refresh's start, reading all
		 * the while; a refresh slower than the interval stretches it. */
		for (;;) {
			poller_lock(p);
			interval = p->interval_ms;
			go = p->refresh_now;
			now = clock_ms();
			poller_unlock(p);
			if (p->quit || go || now - started >= interval)
				break;
			if (engine_idle(p->eng, 50, err, sizeof err) != ENG_OK) {
				drop_link(p, err);
				break;
			}
		}
	}
	engine_drop(p->eng);
	poller_lock(p);
	p->finished = 1;
	poller_unlock(p);
	poller_wake(p);
	return NULL;
}

struct poller *poller_start(struct engine *e, unsigned interval_ms, char *err,
			    size_t errlen)
{
	struct poller *p = calloc(1, sizeof *p);
	sigset_t all, old;
	int rc;

	if (!p || !(p->drill = calloc(1, sizeof *p->drill))) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->drill->wordsize = 8;
	if (pipe(p->wake) < 0) {
		free(p->drill);
		free(p);
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return NULL;
	}
	fcntl(p->wake[0], F_SETFL, O_NONBLOCK);
	fcntl(p->wake[1], F_SETFL, O_NONBLOCK);
	fcntl(p->wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(p->wake[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->drawn, NULL);
	p->eng = e;
	/* This thread's hook and quit flag, for this collector and the
	 * ones made when reconnecting. */
	e->cop.hook = hook;
	e->cop.hook_ctx = p;
	e->cop.stop = &p->quit;
	if (e->col)
		collect_set_owner(e->col, &e->cop);
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
		pthread_cond_destroy(&p->drawn);
		pthread_mutex_destroy(&p->lock);
		free(p->drill);
		free(p);
		return NULL;
	}
	return p;
}

int poller_stop(struct poller *p, unsigned wait_ms)
{
	uint64_t end = clock_ms() + wait_ms;
	int done = 0;

	if (!p)
		return 1;
	poller_lock(p);
	p->quit = 1;
	p->in_use = 0;
	pthread_cond_broadcast(&p->drawn);
	poller_unlock(p);
	while (clock_ms() < end) {
		poller_lock(p);
		done = p->finished;
		poller_unlock(p);
		if (done)
			break;
		usleep(10 * 1000);
	}
	/* Else it is stuck in a connect: the process exit ends it. */
	if (!done)
		return 0;
	pthread_join(p->thread, NULL);
	close(p->wake[0]);
	close(p->wake[1]);
	pthread_cond_destroy(&p->drawn);
	pthread_mutex_destroy(&p->lock);
	drill_free(p->drill);
	free(p->drill);
	free(p->bl_before);
	free(p);
	return 1;
}
