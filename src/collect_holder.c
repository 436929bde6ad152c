/*
 * collect_holder.c - the holder of the scheduler_wall_time flag, without
 * which the schedulers' utilisation cannot be measured.
 *
 * The flag is reference counted per process on the node: it stays on while
 * some process that turned it on is alive.  An rpc's worker process dies at
 * once, so turning it on by rpc does nothing lasting.  Instead we spawn,
 * with stdlib code only, a process that runs
 *     lists:zipwith3(fun erlang:apply/3, [erlang, gen_server],
 *                    [system_flag, call],
 *                    [[scheduler_wall_time, true],
 *                     [Us, scheduler_wall_time, infinity]])
 * which turns the flag on and then waits on a call to us that we never
 * answer until we leave.  gen_server:call monitors us, so if beamtop dies
 * or the connection drops, the process exits and the flag goes back to
 * what it was; when we leave cleanly we answer the call and it ends at
 * once.  It is spawned rather than run by rex's worker because rex sends
 * its worker's end to the caller: after our death that send would make the
 * node connect back to us (starting its resolver, inet_gethost_native,
 * for good).  A spawned process ends in silence.  Its request is an atom
 * the node has (scheduler_wall_time), so that it creates none.
 */
#include <string.h>

#include "collect_priv.h"

static int on_holder(struct collector *col, struct snapshot *s, struct tdec *r,
		     long arg)
{
	(void)s, (void)arg;
	/* The answer is the holder's pid; its call to us tells that it holds
	 * the flag.  No pid: it could not be spawned. */
	if (!r && col->hold_state == 1)
		col->hold_state = 3;
	return 0;
}

int col_holder_start(struct collector *col)
{
	struct tenc *t = col->enc;

	tenc_reset(t);
	tenc_list(t, 3);
	tenc_atom(t, "lists");
	tenc_atom(t, "zipwith3");
	tenc_list(t, 4);
	tenc_fun(t, "erlang", "apply", 3);
	tenc_list(t, 2);
	tenc_atom(t, "erlang");
	tenc_atom(t, "gen_server");
	tenc_nil(t);
	tenc_list(t, 2);
	tenc_atom(t, "system_flag");
	tenc_atom(t, "call");
	tenc_nil(t);
	tenc_list(t, 2);
	tenc_list(t, 2);
	tenc_atom(t, "scheduler_wall_time");
	tenc_atom(t, "true");
	tenc_nil(t);
	tenc_list(t, 3);
	conn_encode_self(col->conn, t);
	tenc_atom(t, "scheduler_wall_time");
	tenc_atom(t, "infinity");
	tenc_nil(t);
	tenc_nil(t);
	tenc_nil(t);
	tenc_nil(t);
	/* No deadline: its answer is only the holder's pid. */
	if (col_issue_tmo(col, "erlang", "spawn", t, on_holder, COL_ARG_HOLDER,
			  "scheduler flag holder", CONN_NO_DEADLINE) < 0)
		return -1;
	col->hold_state = 1;
	return 0;
}

int col_holder_on_info(struct collector *col, const struct conn_event *ev)
{
	struct tdec d = ev->term;
	const char *tag;
	int arity, len;

	if (tdec_tuple(&d, &arity) < 0 || arity != 3 ||
	    !tdec_atom_is(&d, "$gen_call") || tdec_tuple(&d, &arity) < 0 ||
	    arity != 2 || tdec_pid(&d, &col->hold_from) < 0 ||
	    col_raw_term(&d, &tag, &len) < 0 ||
	    !tdec_atom_is(&d, "scheduler_wall_time"))
		return 0;
	if (len > (int)sizeof col->hold_tag)
		return 1; /* a tag we cannot echo: the holder ends when we do */
	memcpy(col->hold_tag, tag, (size_t)len);
	col->hold_tag_len = len;
	col->hold_state = 2;
	return 1;
}

void col_holder_release(struct collector *col)
{
	char err[256];

	if (col->hold_state != 2)
		return;
	/* Answer the holder's call so that it ends now (it sends us nothing
	 * more). */
	tenc_reset(col->enc);
	tenc_tuple(col->enc, 2);
	tenc_raw(col->enc, col->hold_tag, col->hold_tag_len);
	tenc_atom(col->enc, "ok");
	col->hold_state = 4;
	conn_send(col->conn, &col->hold_from, col->enc, err, sizeof err);
}
