/*
 * ui.c - the screen's loop: wait for a key or for new data, apply the key's
 * action, draw.  It never waits on the network; the poller thread does.
 */
#include <poll.h>
#include <time.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/clock.h"
#include "beamtop/fields.h"
#include "beamtop/config.h"
#include "beamtop/format.h"
#include "beamtop/listview.h"
#include "beamtop/opts.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"
#include "beamtop/view.h"

const struct pane *const pane_table[PANE_MAX] = {
	&pane_memory, &pane_procs, &pane_sched, &pane_ets, &pane_ports, &pane_proc,
};
/* Tabs: the drill-down is reached with Enter, not by a number. */
const int pane_count = 5;

const unsigned ui_windows[3] = { 0, 10000, 60000 };

static const unsigned intervals[] = {
	250, 500, 1000, 2000, 3000, 5000, 10000, 30000, 60000
};
#define N_INTERVALS (int)(sizeof intervals / sizeof intervals[0])

void ui_note(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->note, sizeof a->note, fmt, ap);
	va_end(ap);
	a->note_until = clock_ms() + 4000;
}

static void set_interval(struct app *a, int dir)
{
	int i;

	for (i = 0; i < N_INTERVALS - 1 && intervals[i] < a->interval_ms; i++)
		;
	i += dir;
	if (i < 0)
		i = 0;
	if (i >= N_INTERVALS)
		i = N_INTERVALS - 1;
	a->interval_ms = intervals[i];
	poller_set_interval(a->p, a->interval_ms);
	ui_note(a, "refresh every %.2g s", a->interval_ms / 1000.0);
}

/* Keys while typing a filter. */
static void filter_key(struct app *a, struct list_state *ls, int key)
{
	size_t len = strlen(ls->filter);

	if (key == K_ENTER) {
		a->filtering = 0;
	} else if (key == K_ESC) {
		ls->filter[0] = '\0';
		a->filtering = 0;
	} else if (key == K_BACKSPACE || key == K_DEL) {
		/* Drop a whole UTF-8 character. */
		while (len > 0 && ((unsigned char)ls->filter[--len] & 0xC0) == 0x80)
			;
		ls->filter[len] = '\0';
	} else if (key >= 32 && key < 0x110000 && key != 127) {
		if (key < 128 && len + 1 < sizeof ls->filter) {
			ls->filter[len] = (char)key;
			ls->filter[len + 1] = '\0';
		}
	} else {
		return;
	}
	ls->gen = 0;
	ls->offset = 0;
}

enum reaction ui_open(struct app *a, const struct drill_target *t, int push)
{
	a->open = *t;
	a->open_push = push;
	return R_OPEN;
}

/* Shows the drill-down on t: from a list (a new history), or following a
 * link from the drill-down itself. */
static void open_drill(struct app *a, const struct drill_target *t, int push)
{
	enum open_how how = a->pane != PANE_PROC ? OPEN_NEW :
			    push ? OPEN_FOLLOW : OPEN_KEEP;

	if (a->pane != PANE_PROC)
		a->back_pane = a->pane;
	a->pane = PANE_PROC;
	pane_proc_open(a, a->ps[PANE_PROC], t, how);
}

void ui_confirm(struct app *a, int act, const struct bt_pid *pid,
		const char *text)
{
	a->confirming = 1;
	a->confirm_act = act;
	if (pid)
		a->confirm_pid = *pid;
	snprintf(a->confirm_text, sizeof a->confirm_text, "%s", text);
}

/* y carries the action out; any other key lets it go. */
static void confirm_key(struct app *a, int key)
{
	a->confirming = 0;
	if (key != 'y' && key != 'Y') {
		ui_note(a, "cancelled: nothing was sent");
		return;
	}
	if (a->confirm_act == ACT_RAISE_CAP) {
		/* Local: the next sections asked copy up to the raised cap. */
		poller_raise_cap(a->p);
		ui_note(a, "the node may now copy up to 64 MB for this drill-down: "
			"ask the section again");
		return;
	}
	poller_action(a->p, (enum poller_act)a->confirm_act, &a->confirm_pid);
	if (a->confirm_act == ACT_BINLEAK) {
		struct drill_target t;

		memset(&t, 0, sizeof t);
		t.kind = DRILL_BINLEAK;
		open_drill(a, &t, 0); /* B is a list's key: a new history */
	} else {
		ui_note(a, "sent; waiting for the node's answer");
	}
}

/* F2: the settings as they are now, by name, into the settings file. */
static void save_settings(struct app *a)
{
	struct opts o = *a->opts;
	char path[1024], err[300];
	int i;

	o.delay_ms = a->interval_ms;
	if (a->pane < pane_count)
		o.pane = pane_table[a->pane]->id;
	o.window_s = ui_windows[a->window_i] / 1000;
	o.budget = a->budget;
	for (i = 0; i < PANE_MAX && pane_table[i]; i++)
		if (pane_table[i]->save && a->ps[i])
			pane_table[i]->save(a->ps[i], &o);
	if (config_path(path, sizeof path) < 0) {
		ui_note(a, "cannot save: neither $XDG_CONFIG_HOME nor $HOME is set");
		return;
	}
	if (config_save(&o, path, err, sizeof err) < 0)
		ui_note(a, "%s", err);
	else
		ui_note(a, "settings saved to %s", path);
}

static void go_pane(struct app *a, int i)
{
	if (i < 0 || i >= pane_count)
		return;
	a->pane = i;
	a->filtering = 0;
}

/* What the screen does with an action no pane took. */
static void global_action(struct app *a, enum action act)
{
	const struct pane *pn = pane_table[a->pane];
	struct list_state *ls = pn->list ? pn->list(a->ps[a->pane]) : NULL;

	switch (act) {
	case A_QUIT:
		a->quit = 1;
		break;
	case A_HELP:
		a->help = 1;
		a->help_top = 0;
		break;
	case A_PANE1: case A_PANE2: case A_PANE3: case A_PANE4: case A_PANE5:
		go_pane(a, (int)(act - A_PANE1));
		break;
	case A_NEXT_PANE:
		go_pane(a, a->pane >= pane_count - 1 ? 0 : a->pane + 1);
		break;
	case A_PREV_PANE:
		go_pane(a, a->pane <= 0 || a->pane >= pane_count ? pane_count - 1 :
			a->pane - 1);
		break;
	case A_PAUSE:
		a->paused = !a->paused;
		poller_set_paused(a->p, a->paused);
		break;
	case A_FASTER:
		set_interval(a, -1);
		break;
	case A_SLOWER:
		set_interval(a, +1);
		break;
	case A_FILTER:
		if (ls)
			a->filtering = 1;
		break;
	case A_BACK:
		if (ls && ls->filter[0]) {
			ls->filter[0] = '\0';
			ls->gen = 0;
		}
		break;
	case A_REDRAW:
		term_resize();
		break;
	case A_RETRY:
		poller_retry(a->p);
		break;
	case A_SAVE:
		save_settings(a);
		break;
	default:
		if (ls)
			lv_navigate(ls, act);
		break;
	}
}

static void handle_key(struct app *a, int key)
{
	const struct pane *pn = pane_table[a->pane];
	struct list_state *ls = pn->list ? pn->list(a->ps[a->pane]) : NULL;
	enum action act;

	if (key == K_RESIZE) {
		term_resize();
		return;
	}
	if (a->confirming) {
		confirm_key(a, key);
		return;
	}
	a->last_key = key;
	if (a->help) {
		if (key == K_DOWN)
			a->help_top++;
		else if (key == K_UP && a->help_top > 0)
			a->help_top--;
		else
			a->help = 0;
		return;
	}
	if (a->filtering && ls) {
		filter_key(a, ls, key);
		return;
	}
	act = input_action(key, pane_where(a, pn));
	if (act == A_NONE)
		return;
	switch (pn->on_action ? pn->on_action(a, a->ps[a->pane], act) : R_PASS) {
	case R_PASS:
		global_action(a, act);
		break;
	case R_OPEN:
		open_drill(a, &a->open, a->open_push);
		break;
	case R_LEAVE:
		a->pane = a->back_pane;
		break;
	case R_DONE:
		break;
	}
}

/* --pid: a pid (<0.1.0>) or a registered name to look into at once. */
static void open_pid_arg(struct app *a, const char *arg)
{
	struct drill_target t;

	memset(&t, 0, sizeof t);
	t.kind = DRILL_PROC;
	open_drill(a, &t, 0);
	if (parse_pid(arg, &t.pid) == 0)
		poller_drill(a->p, DRILL_PROC, &t.pid, NULL, NULL, NULL);
	else
		poller_drill_name(a->p, arg);
}

static int first_pane(const char *id)
{
	int i;

	for (i = 0; id && i < pane_count; i++)
		if (strcmp(pane_table[i]->id, id) == 0)
			return i;
	return 1; /* Processes */
}

/* Microseconds on the monotonic clock (for BEAMTOP_KEY_LOG). */
static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* The newest frame, and what it brings: an action's result, the pid a
 * name given with --pid turned out to be. */
static void take_frame(struct app *a)
{
	poller_frame(a->p, &a->f);
	a->m = a->f.m;
	if (a->f.act_done != a->act_seen) {
		a->act_seen = a->f.act_done;
		ui_note(a, "%s", a->f.act_result);
	}
	if (pane_table[a->pane]->frame)
		pane_table[a->pane]->frame(a, a->ps[a->pane]);
}

/* Draws, then lets the pane ask for what is on screen. */
static void draw(struct app *a)
{
	view_draw(a);
	if (pane_table[a->pane]->shown && !a->help)
		pane_table[a->pane]->shown(a, a->ps[a->pane]);
}

static void app_free(struct app *a)
{
	int i;

	for (i = 0; i < PANE_MAX && pane_table[i]; i++)
		if (pane_table[i]->free && a->ps[i])
			pane_table[i]->free(a->ps[i]);
	poller_frame_free(&a->f);
}

/* Returns 0, or -1 when out of memory. */
static int app_init(struct app *a, struct poller *p, const struct ui_opts *o)
{
	int i;

	a->p = p;
	a->node = o->node;
	a->pane = first_pane(o->pane);
	a->interval_ms = o->interval_ms;
	a->color = o->color;
	a->read_only = o->read_only;
	a->budget = o->budget;
	a->opts = o->opts;
	if (poller_frame_init(&a->f) < 0)
		return -1;
	a->m = a->f.m = &a->f.mv.m;
	for (i = 0; i < PANE_MAX && pane_table[i]; i++)
		if (pane_table[i]->init && !(a->ps[i] = pane_table[i]->init(a)))
			return -1;
	if (o->opts && o->opts->window_s) {
		a->window_i = o->opts->window_s >= 60 ? 2 : 1;
		poller_set_window(p, ui_windows[a->window_i]);
	}
	if (o->pid)
		open_pid_arg(a, o->pid);
	return 0;
}

/* BEAMTOP_KEY_LOG=FILE: for each key, how long it waited for the frame
 * and how long it took to draw (the bench's keys.sh reads it). */
struct keylog {
	FILE *f;
	double t_in, t_locked;
};

static void klog_note(struct keylog *kl, const char *what, int key)
{
	double t = now_us();

	if (!kl->f)
		return;
	if (key >= 0)
		fprintf(kl->f, "key %d ", key);
	fprintf(kl->f, "%slock_wait_ms %.3f draw_ms %.3f\n", what,
		(kl->t_locked - kl->t_in) / 1000, (t - kl->t_locked) / 1000);
	fflush(kl->f);
	kl->t_locked = t;
}

/* The keys waiting, each acted on what is on screen and drawn at once
 * (a filter typed and Enter together open what the filter left). */
static void keys(struct app *a, struct keylog *kl)
{
	int key;

	take_frame(a);
	kl->t_locked = now_us();
	while (!a->quit && (key = term_getkey()) != K_NONE) {
		handle_key(a, key);
		/* What the key asked for (a new target) shows at once. */
		take_frame(a);
		draw(a);
		klog_note(kl, "", key);
	}
	poller_frame_done(a->p);
}

int ui_run(struct poller *p, const struct ui_opts *o)
{
	const char *klog_path = getenv("BEAMTOP_KEY_LOG");
	struct keylog kl = { klog_path && *klog_path ? fopen(klog_path, "we") : NULL,
			     0, 0 };
	struct app a;
	char err[256], unknown_name[256] = "";

	memset(&a, 0, sizeof a);
	snprintf(err, sizeof err, "out of memory");
	if (app_init(&a, p, o) < 0 || term_open(o->color, err, sizeof err) < 0) {
		fprintf(stderr, "beamtop: %s\n", err);
		app_free(&a);
		return strcmp(err, "out of memory") ? 2 : 1;
	}
	while (!a.quit && !term_quit_signal) {
		struct pollfd fds[2] = {
			{ .fd = term_input_fd(), .events = POLLIN },
			{ .fd = poller_fd(p), .events = POLLIN },
		};

		if (term_resized)
			term_resize();
		kl.t_in = now_us();
		take_frame(&a);
		kl.t_locked = now_us();
		draw(&a);
		/* --pid NAME that nobody registered: nothing to look at. */
		if (o->pid && a.f.drill->no_such_name && !unknown_name[0]) {
			snprintf(unknown_name, sizeof unknown_name, "%s", a.f.want_name);
			a.quit = 1;
		}
		poller_frame_done(p);
		klog_note(&kl, "frame ", -1);
		if (a.quit)
			break;
		/* Wake at least every second: the data's age is on screen. */
		poll(fds, 2, 1000);
		kl.t_in = now_us();
		if (fds[1].revents)
			poller_drain(p);
		keys(&a, &kl);
	}
	if (kl.f)
		fclose(kl.f);
	term_close();
	if (unknown_name[0])
		fprintf(stderr, "beamtop: no process is registered as %s on %s\n",
			unknown_name, o->node);
	app_free(&a);
	return unknown_name[0] ? 2 : 0;
}
