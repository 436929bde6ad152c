/*
 * check_model.c - what the model keeps from one refresh to the next:
 * names found for a process, and nothing at all from another incarnation
 * of the node (a restart: its pids are other processes).
 */
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

Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("across refreshes");

	tcase_add_test(tc, names_carried_to_the_next_refresh);
	tcase_add_test(tc, a_restarted_node_starts_over);
	suite_add_tcase(s, tc);
	return s;
}
