/*
 * poller_frame.c - the screen's side of the boundary with the connection
 * thread: frames (copies of what was published, with a hold on the
 * snapshot they show) and the requests, each a short call under the lock.
 * Nothing here waits on the network.
 */
#include <stdlib.h>
#include <string.h>

#include "poller_priv.h"

int poller_frame_init(struct poller_frame *f)
{
	memset(f, 0, sizeof *f);
	f->drill = calloc(1, sizeof *f->drill);
	return f->drill ? 0 : -1;
}

void poller_frame_free(struct poller_frame *f)
{
	model_view_free(&f->mv);
	if (f->drill)
		drill_free(f->drill);
	free(f->drill);
	memset(f, 0, sizeof *f);
}

void poller_frame(struct poller *p, struct poller_frame *f)
{
	poller_lock(p);
	/* Out of memory, the view has no history: drawn all the same. */
	(void)model_view_take(&f->mv, p->eng->m);
	f->m = &f->mv.m;
	f->st = p->st;
	/* Out of memory, the sections that could not be copied say so. */
	(void)drill_copy(f->drill, p->drill);
	memcpy(f->want_name, p->want_name, sizeof f->want_name);
	f->act_done = p->act_done;
	memcpy(f->act_result, p->act_result, sizeof f->act_result);
	f->bl_phase = p->bl_phase;
	f->finished = p->finished;
	p->in_use = 1;
	p->held = p->eng->m->cur;
	poller_unlock(p);
}

void poller_frame_done(struct poller *p)
{
	poller_lock(p);
	p->in_use = 0;
	p->held = NULL;
	pthread_cond_broadcast(&p->drawn);
	poller_unlock(p);
}

void poller_set_interval(struct poller *p, unsigned ms)
{
	poller_lock(p);
	p->interval_ms = ms;
	poller_unlock(p);
}

void poller_set_paused(struct poller *p, int paused)
{
	poller_lock(p);
	p->paused = paused;
	if (!paused)
		p->refresh_now = 1;
	poller_unlock(p);
}

void poller_set_extra(struct poller *p, unsigned extra)
{
	poller_lock(p);
	p->extra = extra;
	poller_unlock(p);
}

void poller_set_width(struct poller *p, int cols)
{
	poller_lock(p);
	p->drill->width = cols;
	poller_unlock(p);
}

void poller_set_window(struct poller *p, unsigned ms)
{
	poller_lock(p);
	p->window_ms = ms;
	p->refresh_now = 1;
	poller_unlock(p);
}

void poller_retry(struct poller *p)
{
	poller_lock(p);
	p->retry_now = 1;
	poller_unlock(p);
}

void poller_raise_cap(struct poller *p)
{
	poller_lock(p);
	p->drill_cap = DRILL_CAP_RAISED;
	poller_unlock(p);
}
