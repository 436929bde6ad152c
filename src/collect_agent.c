/*
 * collect_agent.c - the opt-in agent (src/agent/beamtop_agent.erl, built
 * with the installed erlc and embedded).
 *
 * With --agent, full scans are streamed by the agent as numbers only
 * (pid, memory, reductions, queue); names and current functions are then
 * asked for the rows on screen only, with the proc_names query (see
 * collect_names.c; the agent's own names/1 is no longer used, as it
 * cannot read the labels).  Loading is a change to the node: it is
 * refused in read-only mode, done once (a loaded agent of the same version
 * is used as it is), and beamtop never purges it, as purging scans every
 * process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_priv.h"

#define AGENT_VERSION 1

extern const unsigned char agent_beam[];
extern const size_t agent_beam_len;

int collect_agent_setup(struct collector *col, char *err, size_t errlen)
{
	struct tenc *t = collect_encoder(col);
	struct col_sync sc;
	int rc, node_otp;

	if (col_call_sync(col, "beamtop_agent", "version", NULL, 0, &sc) < 0)
		goto lost;
	if (sc.ok && sc.is_num && sc.num == AGENT_VERSION) {
		col->backend = 2; /* already there: used as it is */
		return 0;
	}
	tenc_reset(t);
	tenc_list(t, 1);
	tenc_atom(t, "otp_release");
	tenc_nil(t);
	if (col_call_sync(col, "erlang", "system_info", t, 0, &sc) < 0)
		goto lost;
	/* The agent is a .beam of the OTP beamtop was built with: older
	 * nodes cannot load it. */
	/* The release comes as a string ("25"): named as a number. */
	node_otp = sc.ok ? atoi(sc.text + (sc.text[0] == '"')) : 0;
	if (sc.ok && node_otp < atoi(BEAMTOP_OTP_RELEASE)) {
		snprintf(err, errlen, "--agent: the agent was built with OTP %s and "
			 "the node runs OTP %d, which cannot load it: run without "
			 "--agent", BEAMTOP_OTP_RELEASE, node_otp);
		return -1;
	}
	tenc_reset(t);
	tenc_list(t, 3);
	tenc_atom(t, "beamtop_agent");
	tenc_string(t, "beamtop_agent.beam");
	tenc_binary(t, agent_beam, (int)agent_beam_len);
	tenc_nil(t);
	rc = col_call_sync(col, "code", "load_binary", t, 1, &sc);
	if (rc == CONN_REFUSED) {
		snprintf(err, errlen, "--agent loads code into the node, which "
			 "--read-only forbids");
		return -1;
	}
	if (rc < 0)
		goto lost;
	if (!sc.ok || strncmp(sc.text, "{module,beamtop_agent}", 22) != 0) {
		snprintf(err, errlen, "--agent: the node did not load the agent (%s): "
			 "run without --agent", sc.text);
		return -1;
	}
	col->backend = 2;
	return 0;
lost:
	snprintf(err, errlen, "%s", col->err);
	return -1;
}

/* {Pid, Memory, Reductions, QueueLen [, Heap | BinBytes ...]} rows. */
static int decode_agent_chunk(struct collector *col, struct tdec *d,
			      struct snapshot *s)
{
	int n, i, k, arity;

	if (tdec_list(d, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct proc tmp, *p;
		uint64_t mq, heap = 0, bin = 0;

		memset(&tmp, 0, sizeof tmp);
		if (tdec_tuple(d, &arity) < 0 || arity < 4 ||
		    tdec_pid(d, &tmp.pid) < 0 || tdec_u64(d, &tmp.memory) < 0 ||
		    tdec_u64(d, &tmp.reductions) < 0 || tdec_u64(d, &mq) < 0)
			return -1;
		tmp.mq = mq > UINT32_MAX ? UINT32_MAX : (uint32_t)mq;
		tmp.have = PF_MEMORY | PF_REDS | PF_MQ;
		for (k = 4; k < arity; k++) {
			uint64_t v;

			if (tdec_u64(d, &v) < 0)
				return -1;
			if ((col->o.extra & PF_HEAP) && !(tmp.have & PF_HEAP)) {
				heap = v;
				tmp.have |= PF_HEAP;
			} else {
				bin = v;
				tmp.have |= PF_BIN;
			}
		}
		p = snapshot_add_proc(s);
		if (!p)
			return -1;
		*p = tmp;
		if ((tmp.have & (PF_HEAP | PF_BIN)) &&
		    snapshot_set_extra(s, s->n_procs - 1, heap, bin) < 0)
			return -1;
	}
	return tdec_list_end(d, n);
}

int col_agent_on_chunk(struct collector *col, struct snapshot *s,
		       const struct conn_event *ev)
{
	struct tdec d = ev->term;
	int arity;

	if (tdec_tuple(&d, &arity) < 0 || arity != 3 ||
	    !tdec_atom_is(&d, "beamtop_agent"))
		return 0;
	if (!col->stream_open || ev->to.num != col->mailbox.num ||
	    ev->to.serial != col->mailbox.serial)
		return 1; /* a chunk of an older stream */
	col->stream_chunks++;
	if (tdec_skip(&d) < 0 || decode_agent_chunk(col, &d, s) < 0) {
		s->procs_ok = -1;
		snapshot_note_error(s, "unreadable agent chunk");
	}
	return 1;
}

static int on_agent_done(struct collector *col, struct snapshot *s,
			 struct tdec *r, long arg)
{
	(void)arg;
	col->stream_open = 0;
	if (!r) {
		s->procs_ok = -1;
		return 0;
	}
	if (s->procs_ok != -1)
		s->procs_ok = 1;
	return 0;
}

/* The agent's arguments after its mailbox: [5000, Items], Items naming
 * what else to read per process, into t (after what t holds). */
static void agent_args(const struct collector *col, struct tenc *t)
{
	tenc_long(t, 5000);
	tenc_list(t, !!(col->o.extra & PF_HEAP) + !!(col->o.extra & PF_BIN));
	if (col->o.extra & PF_HEAP)
		tenc_atom(t, "total_heap_size");
	if (col->o.extra & PF_BIN)
		tenc_atom(t, "binary");
	tenc_nil(t);
	tenc_nil(t);
}

int col_agent_start(struct collector *col, struct snapshot *s)
{
	struct tenc *t = col->enc;
	int rc;

	(void)s;
	tenc_reset(t);
	tenc_list(t, 2);
	agent_args(col, t);
	rc = col_stream_start(col, "beamtop_agent", "stream", t, COL_ARG_AGENT);
	if (rc != COL_NOT_SENT)
		return rc;
	/* No query can be sent to this node (erl_eval is not loaded): the
	 * agent's own call, which runs to its end whatever happens to us. */
	tenc_reset(t);
	tenc_list(t, 3);
	conn_encode_mailbox(col->conn, &col->mailbox, t);
	agent_args(col, t);
	col->stream_open = 1;
	return col_issue(col, "beamtop_agent", "stream", t, on_agent_done, 0,
			 "agent stream");
}
