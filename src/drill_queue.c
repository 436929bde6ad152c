/*
 * drill_queue.c - what a process holds (see drill.h): the head of its
 * message queue (proc_messages.expr), the messages that arrive while
 * watching when the queue is too big to copy (proc_sample.expr), and its
 * state as sys:get_state gives it (proc_state.expr).
 *
 * Each answer says first how it went (a number: copied, too big, not
 * asked and why), so that the section can say why it shows what it
 * shows.
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/format.h"
#include "drill_priv.h"

/* Lines for a list of messages (pruned on the node), each numbered and
 * laid out as the shell prints it. */
static void add_messages(const struct drill *d, struct dsection *s,
			 struct tdec *r)
{
	char num[16];
	int n, i;

	if (tdec_list(r, &n) < 0) {
		drill_fail(s, NULL);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%3d  ", i + 1);
		if (drill_term(d, s, r, num, 5) < 0) {
			drill_fail(s, NULL);
			return;
		}
	}
}

int drill_proc_messages(struct drill *d, struct tdec *r, const char *why,
			int can_sample)
{
	struct dsection *s = &d->sec[SEC_MSGS];
	uint64_t len, mem;
	int64_t how;
	int arity;
	char b1[32], b2[32];

	if (!drill_answered(d, s, r, why, "the process is gone"))
		return 0;
	drill_begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity != 3 || tdec_i64(r, &how) < 0 ||
	    tdec_u64(r, &len) < 0) {
		drill_fail(s, NULL);
		return 0;
	}
	if (how == 2 && tdec_u64(r, &mem) == 0) {
		/* Said plainly: what was not shown, why, and what would show it. */
		snprintf(s->why, sizeof s->why, "%llu messages, process %s: head not "
			 "copied (unasked only up to %u and %s%s); %s",
			 (unsigned long long)len, fmt_bytes(b1, sizeof b1, (double)mem),
			 DRILL_MSGS_MAX_COPY, fmt_bytes(b2, sizeof b2, drill_cap(d)),
			 drill_cap(d) > DRILL_CAP_BYTES ? "" :
			 (double)mem <= DRILL_CAP_RAISED ? "; C raises that" : "",
			 can_sample ? "watching what arrives instead..." :
			 "sampling traces the process, which --read-only forbids");
		if (!can_sample)
			return 0;
		s->state = SEC_PENDING;
		return 1;
	}
	snprintf(s->why, sizeof s->why, "%llu messages in the queue; the first "
		 "ones shown (at most %d)", (unsigned long long)len, DRILL_MSGS_N);
	add_messages(d, s, r);
	return 0;
}

void drill_proc_sample(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_MSGS];
	struct tdec peek;
	uint64_t len;
	int64_t how;
	int arity, none;

	if (!drill_answered(d, s, r, why, "the process is gone"))
		return;
	drill_begin(s);
	if (tdec_tuple(r, &arity) < 0 || arity < 2 || tdec_i64(r, &how) < 0 ||
	    tdec_u64(r, &len) < 0) {
		drill_fail(s, NULL);
		return;
	}
	if (how == 4) {
		snprintf(s->why, sizeof s->why, "%llu messages: too many to copy, and "
			 "the process cannot be traced (someone else traces it)",
			 (unsigned long long)len);
		return;
	}
	peek = *r;
	none = tdec_list(&peek, &arity) == 0 && arity == 0;
	snprintf(s->why, sizeof s->why, "%llu messages in the queue, its head not "
		 "shown (too many or too big to copy unasked%s); these arrived while "
		 "watching for %d s (each cut to size)%s", (unsigned long long)len,
		 drill_cap(d) > DRILL_CAP_BYTES ? "" : ": C copies up to 64 MB",
		 DRILL_SAMPLE_MS / 1000,
		 none ? ": none, the queue is not growing" : "");
	add_messages(d, s, r);
}

/* One term of a refusal as text: an MFA as M:F/A, else as printed. */
static void why_term(struct tdec *r, char *out, size_t n)
{
	if (tdec_mfa(r, out, n) < 0 && tdec_print(r, out, n) < 0)
		snprintf(out, n, "?");
}

/* Why the state was not read: {How, ...} with How 2 to 5, 7 or 8 (not
 * asked, or timed out), or sys:get_state's error (proc_state.expr).  The
 * section fails saying so. */
static void state_not_read(const struct drill *d, struct dsection *s,
			   struct tdec *r, int64_t how)
{
	char buf[DRILL_WIDTH * 4], a[200], b[200], b1[32], b2[32];
	uint64_t mem;

	if (how != 4 && how != 5)
		why_term(r, a, sizeof a);
	switch (how) {
	case 2:
		snprintf(buf, sizeof buf, "not asked: the process is %s, not waiting "
			 "for a message; a system message would wait in its mailbox "
			 "(or be taken by its own receive)", a);
		break;
	case 3:
		snprintf(buf, sizeof buf, "not asked: the process waits in %s, which "
			 "does not handle system messages (no system_continue/3): it "
			 "would never answer sys:get_state", a);
		break;
	case 7:
		why_term(r, b, sizeof b);
		snprintf(buf, sizeof buf, "not asked: the process waits in %s inside "
			 "the loop of %s (in one of its callbacks): a system message "
			 "would wait unanswered there, or be taken by that receive", a, b);
		break;
	case 8:
		snprintf(buf, sizeof buf, "not asked: the process hibernates, which "
			 "hides where it waits, and it was started as %s, which shows no "
			 "loop that handles system messages (no system_continue/3, no "
			 "gen_server or gen_statem callbacks)", a);
		break;
	case 4:
		if (tdec_u64(r, &mem) < 0)
			mem = 0;
		snprintf(buf, sizeof buf, "not asked: the process uses %s, over the %s "
			 "that beamtop lets the node copy for it (its state could be as "
			 "big; C raises it)", fmt_bytes(b1, sizeof b1, (double)mem),
			 fmt_bytes(b2, sizeof b2, drill_cap(d)));
		break;
	case 5:
		snprintf(buf, sizeof buf, "sys:get_state timed out: the process did "
			 "not answer in time");
		break;
	default: /* 6: the class, then the reason */
		why_term(r, b, sizeof b);
		snprintf(buf, sizeof buf, "sys:get_state failed: %s %s", a, b);
		break;
	}
	drill_fail(s, buf);
}

void drill_proc_state(struct drill *d, struct tdec *r, const char *why)
{
	struct dsection *s = &d->sec[SEC_STATE];
	int64_t how;
	int arity;

	if (!drill_answered(d, s, r, why, "the process is gone"))
		return;
	if (tdec_tuple(r, &arity) < 0 || arity < 1 || tdec_i64(r, &how) < 0) {
		drill_fail(s, NULL);
		return;
	}
	if (how != 1) {
		state_not_read(d, s, r, how);
		return;
	}
	drill_begin(s);
	if (drill_term(d, s, r, "", 0) < 0)
		drill_fail(s, NULL);
}
