/*
 * conn_encode.c - a call as rex gets it, and the relay that makes the
 * node answer a plain call without ever connecting back to us.
 *
 * rex runs mod:fun(Args) in a process of its own and sends the result to
 * our pid.  When our connection has gone by then (we were killed, the
 * link dropped), that send makes the node connect back to us: it starts
 * its resolver (inet_gethost_native, for good) and asks an epmd for a
 * node that is not there.  The relay is a tiny erl_eval expression (the
 * query relay.expr) that runs the call, sends the result itself with
 * erlang:send/3's noconnect, and then ends its process with reason
 * normal, for which rex sends nothing.  It costs the node about 550
 * reductions a call (measured on OTP 25), so it is used for every plain
 * call once the node is known to have its atoms (conn_set_relay).  The
 * wrapped queries send their answers the same way themselves
 * (qc.escript's wrapper).
 */
#include <ei.h>
#include <stdio.h>
#include <string.h>

#include "conn_priv.h"

/* [Form, [{A, Args}, {F, fun}, {M, mod}, {Tag, Ref}, {Us, Self}], none,
 * none, value]: erl_eval:expr/5's arguments (the bindings sorted, as its
 * orddict needs them; the names are relay.expr's renamed ones). */
static int encode_relay(ei_x_buff *x, const struct conn_relay *rl,
			const struct conn_req *r, const erlang_pid *self,
			const erlang_ref *ref, const char *abytes, int alen)
{
	int ok = 0;

	ok |= ei_x_encode_list_header(x, 5);
	ok |= ei_x_append_buf(x, (const char *)rl->form, (int)rl->len);
	ok |= ei_x_encode_list_header(x, 5);
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_atom(x, rl->atoms[0]);
	if (abytes && alen > 0)
		ok |= ei_x_append_buf(x, abytes, alen);
	else
		ok |= ei_x_encode_empty_list(x);
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_atom(x, rl->atoms[1]);
	ok |= ei_x_encode_atom(x, r->fun);
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_atom(x, rl->atoms[2]);
	ok |= ei_x_encode_atom(x, r->mod);
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_atom(x, rl->atoms[3]);
	ok |= ei_x_encode_ref(x, ref);
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_atom(x, rl->atoms[4]);
	ok |= ei_x_encode_pid(x, self);
	ok |= ei_x_encode_empty_list(x);
	ok |= ei_x_encode_atom(x, "none");
	ok |= ei_x_encode_atom(x, "none");
	ok |= ei_x_encode_atom(x, "value");
	ok |= ei_x_encode_empty_list(x);
	return ok;
}

int conn_encode_call(ei_x_buff *x, const struct conn_req *r,
		     const struct conn_relay *rl, const erlang_pid *self,
		     const erlang_ref *ref, const char *abytes, int alen)
{
	/* The queries go to erl_eval already, and send their answers
	 * themselves (or, bare, are the atom check that comes first). */
	int relay = rl && rl->form && strcmp(r->mod, "erl_eval") != 0;
	int ok = 0;

	x->index = 0;
	ok |= ei_x_encode_version(x);
	ok |= ei_x_encode_tuple_header(x, 3);
	ok |= ei_x_encode_atom(x, "$gen_call");
	ok |= ei_x_encode_tuple_header(x, 2);
	ok |= ei_x_encode_pid(x, self);
	ok |= ei_x_encode_ref(x, ref);
	ok |= ei_x_encode_tuple_header(x, 5);
	ok |= ei_x_encode_atom(x, "call");
	if (relay) {
		ok |= ei_x_encode_atom(x, "erl_eval");
		ok |= ei_x_encode_atom(x, "expr");
		ok |= encode_relay(x, rl, r, self, ref, abytes, alen);
	} else {
		ok |= ei_x_encode_atom(x, r->mod);
		ok |= ei_x_encode_atom(x, r->fun);
		if (abytes && alen > 0)
			ok |= ei_x_append_buf(x, abytes, alen);
		else
			ok |= ei_x_encode_empty_list(x);
	}
	ok |= ei_x_encode_atom(x, "user");
	return ok < 0 || (r->args && !tenc_ok(r->args)) ? -1 : 0;
}

int conn_tag_ref(const char *node, const struct bt_ref *tag, erlang_ref *out)
{
	int i;

	if (tag->len < 1 || tag->len > 5)
		return -1;
	memset(out, 0, sizeof *out);
	snprintf(out->node, sizeof out->node, "%s", node);
	out->len = tag->len;
	out->creation = tag->creation;
	for (i = 0; i < tag->len; i++)
		out->n[i] = tag->n[i];
	return 0;
}
