/*
 * it_readonly.c - read-only is enforced where requests are sent, not only
 * by the screen: against a real node, every way of asking for a change is
 * refused before anything is written, while reading still works.
 *
 * usage: it_readonly NODE COOKIE PID   (PID: a process that must survive)
 * Exit 0 when every check passed; prints one line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/collect.h"
#include "beamtop/conn.h"
#include "beamtop/format.h"

static int fails;

static void check(const char *what, int ok)
{
	printf("  %s %s\n", ok ? "ok  " : "FAIL", what);
	fails += !ok;
}

static int answered;

static void on_answer(void *ctx, struct tdec *r, const char *why)
{
	(void)ctx, (void)why;
	answered = r ? 1 : -1;
}

int main(int argc, char **argv)
{
	struct conn_opts co;
	struct collect_opts cop;
	struct conn *c;
	struct collector *col;
	struct bt_pid victim;
	struct tenc *t;
	struct conn_req req;
	char err[256];
	long rc;
	int i;

	if (argc != 4 || parse_pid(argv[3], &victim) < 0) {
		fprintf(stderr, "usage: it_readonly NODE COOKIE PID\n");
		return 2;
	}
	memset(&co, 0, sizeof co);
	co.node = argv[1];
	co.cookie = argv[2];
	co.timeout_ms = 5000;
	co.read_only = 1;
	co.call_log = getenv("BEAMTOP_CALL_LOG");
	if (conn_open(&c, &co, err, sizeof err) < 0) {
		fprintf(stderr, "it_readonly: %s\n", err);
		return 2;
	}
	t = tenc_new();
	memset(&cop, 0, sizeof cop);
	col = collect_new(c, &cop);

	/* A pid from "<0.N.S>" needs the node's creation to be the same pid:
	 * take it from a pid the node sends us. */
	tenc_reset(t);
	memset(&req, 0, sizeof req);
	req.mod = "erlang";
	req.fun = "whereis";
	tenc_list(t, 1);
	tenc_atom(t, "init");
	tenc_nil(t);
	req.args = t;
	rc = conn_call(c, &req, err, sizeof err);
	check("a reading call is sent", rc > 0);
	for (i = 0; i < 50; i++) {
		struct conn_event ev;
		struct bt_pid init;

		if (conn_poll(c, 100, &ev, err, sizeof err) < 0)
			break;
		if (ev.kind == CONN_EV_REPLY && tdec_pid(&ev.term, &init) == 0) {
			victim.creation = init.creation;
			check("  ... and answered", 1);
			break;
		}
	}

	tenc_reset(t);
	tenc_list(t, 2);
	tenc_pid(t, &victim, argv[1]);
	tenc_atom(t, "kill");
	tenc_nil(t);
	req.fun = "exit";
	req.args = t;
	req.label = "unflagged exit";
	check("erlang:exit, even unflagged, is refused", conn_call(c, &req, err,
		sizeof err) == CONN_REFUSED);
	check("  ... saying why", strstr(err, "read-only") != NULL);

	tenc_reset(t);
	tenc_list(t, 1);
	tenc_pid(t, &victim, argv[1]);
	tenc_nil(t);
	check("collect_action (garbage_collect) is refused",
	      collect_action(col, "erlang", "garbage_collect", t, 0, on_answer,
			     NULL) == CONN_REFUSED);
	check("a mutating query (bin_leak's collection) is refused",
	      collect_query(col, QUERY_BINLEAK_GC, NULL, 0, on_answer,
			    NULL) == CONN_REFUSED);
	check("so is tracing a mailbox (a sample of its messages)",
	      collect_query(col, QUERY_PROC_SAMPLE, NULL, 0, on_answer,
			    NULL) == CONN_REFUSED);
	check("  ... as the queries themselves say, whatever the caller",
	      !collect_query_allowed(col, QUERY_PROC_SAMPLE) &&
	      !collect_query_allowed(col, QUERY_BINLEAK_GC) &&
	      collect_query_allowed(col, QUERY_PROC_MESSAGES));
	check("  ... and no expression goes to erl_eval but as its query",
	      collect_side(col, "erl_eval", "expr", t, 0, on_answer,
			   NULL) == CONN_REFUSED);
	req.fun = "halt";
	req.args = NULL;
	req.label = NULL;
	check("erlang:halt is refused",
	      conn_call(c, &req, err, sizeof err) == CONN_REFUSED);

	/* The connection still reads after all those refusals. */
	answered = 0;
	tenc_reset(t);
	tenc_list(t, 1);
	tenc_pid(t, &victim, argv[1]);
	tenc_nil(t);
	check("a reading side call is still sent",
	      collect_side(col, "erlang", "is_process_alive", t, 0, on_answer,
			   NULL) == 0);
	for (i = 0; i < 50 && !answered; i++)
		if (collect_idle(col, 100, err, sizeof err) < 0)
			break;
	check("  ... and answered", answered == 1);

	collect_free(col);
	tenc_free(t);
	conn_close(c);
	return fails ? 1 : 0;
}
