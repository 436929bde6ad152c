/*
 * pane_proc.c - the drill-down into one process: its live row from the
 * snapshot (memory, reductions/s, queue) and what process_info tells,
 * asked for when the pane opens.  When the process dies the last data
 * stays, marked.
 */
#include <stdio.h>

#include "beamtop/format.h"
#include "beamtop/term.h"
#include "beamtop/ui.h"

static void draw(struct app *a, int top, int rows, int cols)
{
	const struct model *m = a->m;
	const struct inspect *in = &a->p->insp;
	long i = model_find_proc(m, &a->insp);
	char buf[300], pid[32], mem[32], rr[32];
	int y = top, k;

	fmt_pid(pid, sizeof pid, &a->insp);
	if (i >= 0) {
		const struct proc *p = &m->cur->procs[i];
		const struct proc_delta *d = &m->pd[i];

		snprintf(buf, sizeof buf, "%s  %s  memory %s  reductions/s %s  queue %u  "
			 "in %s", pid, strpool_get(&m->cur->pool, p->name),
			 fmt_bytes(mem, sizeof mem, (double)p->memory),
			 d->is_new ? "new" : fmt_count(rr, sizeof rr, d->reds_rate), p->mq,
			 strpool_get(&m->cur->pool, p->cf));
		term_put(y++, 0, ROLE_VALUE, buf, cols);
	} else {
		snprintf(buf, sizeof buf, "%s is no longer alive: last data below", pid);
		term_put(y++, 0, ROLE_BAD, buf, cols);
	}
	y++;
	switch (in->state) {
	case INSPECT_PENDING:
		term_put(y, 0, ROLE_DIM, "asking the node...", cols);
		return;
	case INSPECT_FAILED:
		snprintf(buf, sizeof buf, "could not read the process: %s", in->why);
		term_put(y, 0, ROLE_BAD, buf, cols);
		return;
	case INSPECT_GONE:
		term_put(y, 0, ROLE_BAD, "the process is gone (process_info says undefined)",
			 cols);
		return;
	case INSPECT_NONE:
		return;
	case INSPECT_OK:
		break;
	}
	term_fill(y, 0, cols, ROLE_HEAD, " ");
	term_put(y++, 0, ROLE_HEAD, "process_info (Enter asks again, Esc goes back)",
		 cols);
	if (a->insp_top > in->n - 1)
		a->insp_top = in->n > 0 ? in->n - 1 : 0;
	for (k = a->insp_top; k < in->n && y < top + rows; k++)
		term_put(y++, 0, ROLE_NORMAL, in->lines[k], cols);
}

static int on_action(struct app *a, enum action act)
{
	switch (act) {
	case A_BACK:
		a->pane = a->back_pane;
		return 1;
	case A_ENTER:
		poller_inspect(a->p, &a->insp);
		return 1;
	case A_UP:
		if (a->insp_top > 0)
			a->insp_top--;
		return 1;
	case A_DOWN:
		a->insp_top++;
		return 1;
	case A_PGUP:
		a->insp_top = a->insp_top > 10 ? a->insp_top - 10 : 0;
		return 1;
	case A_PGDN:
		a->insp_top += 10;
		return 1;
	case A_HOME:
		a->insp_top = 0;
		return 1;
	default:
		return 0;
	}
}

const struct pane pane_proc = {
	"Process", "process", IN_PROC, draw, on_action, NULL
};
