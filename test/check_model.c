/*
 * check_model.c - what the model keeps from one refresh to the next:
 * names found for a process, and nothing at all from another incarnation
 * of the node (a restart: its pids are other processes); and the partial
 * lists of the first screen, which claim nothing and are no base.
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/model.h"
#include "check_suites.h"

/* A refresh at t_ms of n processes of the node's incarnation creation;
 * process 1 named name (naming as given). */
static void refresh(struct model *m, uint64_t t_ms, uint32_t creation, size_t n,
		    const char *name, int naming)
{
	struct snapshot *s = model_next(m);
	size_t i;

	snapshot_clear(s);
	s->t_ms = t_ms;
	s->scan = SCAN_FULL;
	s->sys.have_stats = 1;
	s->sys.reductions = t_ms * 10;
	s->sys.process_count = n;
	for (i = 0; i < n; i++) {
		struct proc *p = snapshot_add_proc(s);

		p->pid.num = (uint32_t)i + 1;
		p->pid.creation = creation;
		p->reductions = t_ms;
		p->memory = 100;
		p->have = PF_MEMORY | PF_REDS | PF_MQ | PF_NAME;
		p->name = strpool_add(&s->pool, i == 0 ? name : "proc_lib:init_p/5");
		p->naming = (uint8_t)(i == 0 ? naming : NAMING_ASK);
	}
	ck_assert_int_eq(model_commit(m), 0);
}

static const char *name0(const struct model *m)
{
	return strpool_get(&m->cur->pool, m->cur->procs[0].name);
}

START_TEST(names_carried_to_the_next_refresh)
{
	struct model m;

	ck_assert_int_eq(model_init(&m), 0);
	refresh(&m, 1000, 7, 3, "my_server:init/1", NAMING_FINAL);
	refresh(&m, 2000, 7, 3, "proc_lib:init_p/5", NAMING_ASK);
	ck_assert_str_eq(name0(&m), "my_server:init/1");
	ck_assert_int_eq(m.cur->procs[0].naming, NAMING_FINAL);
	/* The others were never named: still to be asked. */
	ck_assert(proc_wants_name(&m.cur->procs[1]));
	model_free(&m);
}
END_TEST

START_TEST(a_restarted_node_starts_over)
{
	struct model m;
	int i;

	ck_assert_int_eq(model_init(&m), 0);
	for (i = 0; i < 5; i++)
		refresh(&m, 1000 * (uint64_t)(i + 1), 7, 3, "my_server:init/1",
			NAMING_FINAL);
	ck_assert_int_eq(m.h_procs.n, 5);
	ck_assert(m.has_prev);
	/* Restarted: creation 8, the same pids. */
	refresh(&m, 9000, 8, 3, "proc_lib:init_p/5", NAMING_ASK);
	ck_assert(!m.has_prev);
	ck_assert_int_eq(m.h_procs.n, 1);
	ck_assert(m.reds_rate < 0);
	/* <0.1.0> of the new node is another process: not named after the
	 * old one's. */
	ck_assert_str_eq(name0(&m), "proc_lib:init_p/5");
	refresh(&m, 10000, 8, 3, "proc_lib:init_p/5", NAMING_ASK);
	ck_assert(m.has_prev);
	ck_assert_int_eq(m.h_procs.n, 2);
	model_free(&m);
}
END_TEST

/* Adds rows numbered from..to-1 to the refresh being filled (as a scan
 * streams), each a proc_lib process still to be named. */
static void stream_rows(struct snapshot *s, uint32_t from, uint32_t to)
{
	uint32_t i;

	for (i = from; i < to; i++) {
		struct proc *p = snapshot_add_proc(s);

		p->pid.num = i + 1;
		p->pid.creation = 7;
		p->memory = 100 + i;
		p->have = PF_MEMORY | PF_REDS | PF_MQ | PF_NAME;
		p->name = strpool_add(&s->pool, "proc_lib:init_p/5");
		p->naming = NAMING_ASK;
	}
}

START_TEST(the_first_screen_shows_partial_lists)
{
	struct model m;
	struct snapshot *s;
	const struct snapshot *t, *first;
	struct bt_pid pid = { 0 };

	ck_assert_int_eq(model_init(&m), 0);
	s = model_next(&m);
	snapshot_clear(s);
	s->t_ms = 1000;
	s->scan = SCAN_FULL;
	s->sys.have_info = 1;
	s->sys.process_count = 10;
	stream_rows(s, 0, 3);
	ck_assert(model_partial_wanted(&m));
	first = t = model_partial_target(&m);
	ck_assert(t != NULL && t != s);
	ck_assert_int_eq(model_partial_prepare(&m, s, 5), 0);
	model_partial_publish(&m);
	/* What was read so far, marked, with nothing claimed. */
	ck_assert_ptr_eq(m.cur, t);
	ck_assert(m.cur->partial && !m.cur->procs_ok);
	ck_assert_int_eq(m.cur->n_procs, 3);
	ck_assert(!m.exact_mem && !m.exact_reds && !m.has_prev);
	ck_assert_int_eq(m.h_procs.n, 0);
	ck_assert(m.pd[2].is_new);
	pid.num = 2;
	pid.creation = 7;
	ck_assert_int_eq(model_find_proc(&m, &pid), 1);
	/* The refresh is still filled where it was. */
	ck_assert_ptr_eq(model_next(&m), s);
	/* A name found for a row shown (as the names query does). */
	m.cur->procs[0].name = strpool_add(&m.cur->pool, "my_server:init/1");
	m.cur->procs[0].naming = NAMING_FINAL;

	/* More rows: the next partial list, in the other buffer. */
	stream_rows(s, 3, 6);
	t = model_partial_target(&m);
	ck_assert(t != m.cur && t != s);
	ck_assert(model_partial_owns(&m, t) && model_partial_owns(&m, m.cur));
	ck_assert_int_eq(model_partial_prepare(&m, s, 9), 0);
	model_partial_publish(&m);
	ck_assert_int_eq(m.cur->n_procs, 6);
	ck_assert_str_eq(name0(&m), "my_server:init/1");
	/* And the next, back in the first buffer: its map grows by the
	 * rows that came, the old ones where they were. */
	stream_rows(s, 6, 8);
	ck_assert_ptr_eq(model_partial_target(&m), first);
	ck_assert_int_eq(model_partial_prepare(&m, s, 11), 0);
	model_partial_publish(&m);
	ck_assert_int_eq(m.cur->n_procs, 8);
	ck_assert_int_eq(model_find_proc(&m, &pid), 1);
	pid.num = 8;
	ck_assert_int_eq(model_find_proc(&m, &pid), 7);
	pid.num = 2;
	ck_assert_str_eq(name0(&m), "my_server:init/1");

	/* The scan ends: the complete list, no rate against a partial one,
	 * the name kept, and no partial list wanted or kept any more. */
	stream_rows(s, 6, 10);
	s->procs_ok = 1;
	ck_assert_int_eq(model_commit(&m), 0);
	ck_assert_ptr_eq(m.cur, s);
	ck_assert(!m.cur->partial && !m.has_prev);
	ck_assert_int_eq(m.h_procs.n, 1);
	ck_assert_str_eq(name0(&m), "my_server:init/1");
	ck_assert_int_eq(model_find_proc(&m, &pid), 1);
	ck_assert(!model_partial_wanted(&m));
	model_partial_drop(&m);
	ck_assert_ptr_eq(m.part, NULL);
	model_free(&m);
}
END_TEST

START_TEST(a_partial_list_left_current_is_freed_with_the_model)
{
	struct model m;
	struct snapshot *s;

	ck_assert_int_eq(model_init(&m), 0);
	s = model_next(&m);
	snapshot_clear(s);
	s->t_ms = 1000;
	stream_rows(s, 0, 5);
	ck_assert(model_partial_target(&m) != NULL);
	ck_assert_int_eq(model_partial_prepare(&m, s, 1), 0);
	model_partial_publish(&m);
	/* Still shown: not dropped (a reader may hold it). */
	model_partial_drop(&m);
	ck_assert(m.part != NULL);
	/* The connection was lost: the next refresh starts over into the
	 * same buffer, and the model goes with the partial list current. */
	ck_assert_ptr_eq(model_next(&m), s);
	model_free(&m);
}
END_TEST

START_TEST(a_copy_is_whole)
{
	struct snapshot a, b;
	struct ets_tab *e;
	struct port_rec *o;

	snapshot_init(&a);
	snapshot_init(&b);
	a.t_ms = 42;
	stream_rows(&a, 0, 4);
	ck_assert_int_eq(snapshot_set_extra(&a, 1, 7, 9), 0);
	e = snapshot_add_ets(&a);
	e->name = strpool_add(&a.pool, "my_table");
	o = snapshot_add_port(&a);
	o->os_pid = 99;
	a.sched = calloc(2, sizeof *a.sched);
	a.n_sched = 2;
	a.sched[1].id = 2;
	a.runq = calloc(1, sizeof *a.runq);
	a.n_runq = 1;
	a.runq[0] = 5;
	/* Into a buffer that held more before. */
	stream_rows(&b, 0, 9);
	ck_assert_int_eq(snapshot_set_extra(&b, 3, 1, 1), 0);
	ck_assert_int_eq(snapshot_copy(&b, &a), 0);
	ck_assert_int_eq(b.t_ms, 42);
	ck_assert_int_eq(b.n_procs, 4);
	ck_assert_int_eq(b.procs[3].pid.num, 4);
	ck_assert_int_eq(snapshot_extra(&b, 1).bin, 9);
	ck_assert_int_eq(snapshot_extra(&b, 3).bin, 0);
	ck_assert_str_eq(strpool_get(&b.pool, b.ets[0].name), "my_table");
	ck_assert_int_eq(b.n_ports, 1);
	ck_assert_int_eq(b.ports[0].os_pid, 99);
	ck_assert_int_eq(b.sched[1].id, 2);
	ck_assert_int_eq(b.runq[0], 5);
	ck_assert(b.sched != a.sched && b.procs != a.procs);
	snapshot_free(&a);
	snapshot_free(&b);
}
END_TEST

Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("across refreshes");

	tcase_add_test(tc, names_carried_to_the_next_refresh);
	tcase_add_test(tc, a_restarted_node_starts_over);
	tcase_add_test(tc, the_first_screen_shows_partial_lists);
	tcase_add_test(tc, a_partial_list_left_current_is_freed_with_the_model);
	tcase_add_test(tc, a_copy_is_whole);
	suite_add_tcase(s, tc);
	return s;
}
