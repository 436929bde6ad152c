/*
 * check_fields.c - the field tables: every name, key and sort key is
 * unique and found again by name; column lists parse; cells and JSON
 * rows say "new", "stale" and null where a rate cannot be known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/fields.h"
#include "beamtop/json.h"
#include "beamtop/term.h"
#include "check_suites.h"

static const struct field_list *const lists[] = {
	&fields_proc, &fields_ets, &fields_port
};

START_TEST(names_are_unique_and_found)
{
	const struct field_list *l = lists[_i];
	int a, b;

	for (a = 0; a < l->n; a++) {
		const struct field *f = &l->f[a];

		ck_assert_ptr_nonnull(f->key);
		ck_assert_msg(f->cell || f->json, "%s: neither cell nor JSON", f->key);
		if (f->cell) {
			ck_assert_ptr_nonnull(f->title);
			ck_assert_ptr_nonnull(f->name);
			ck_assert_int_gt(f->minw, 0);
			ck_assert(f->maxw == 0 || f->maxw >= f->minw);
			ck_assert_int_eq(field_column(l, f->name), a);
		}
		if (f->sort >= 0) {
			ck_assert_int_eq(field_sort_parse(l, f->key), f->sort);
			ck_assert_int_eq(field_sort_parse(l, f->name), f->sort);
			ck_assert_ptr_eq(field_of_sort(l, f->sort), f);
			ck_assert_str_eq(field_sort_name(l, f->sort), f->key);
		}
		for (b = 0; b < a; b++) {
			ck_assert_str_ne(l->f[b].key, f->key);
			if (f->name && l->f[b].name)
				ck_assert_str_ne(l->f[b].name, f->name);
			if (f->sort >= 0)
				ck_assert_int_ne(l->f[b].sort, f->sort);
		}
	}
}
END_TEST

START_TEST(proc_sort_names)
{
	ck_assert_int_eq(proc_sort_parse("memory"), SORT_MEMORY);
	ck_assert_int_eq(proc_sort_parse("reds"), SORT_REDS_RATE);
	ck_assert_int_eq(proc_sort_parse("reductions_per_sec"), SORT_REDS_RATE);
	ck_assert_int_eq(proc_sort_parse("mq"), SORT_MQ);
	ck_assert_int_eq(proc_sort_parse("bin"), SORT_BIN);
	ck_assert_int_eq(proc_sort_parse("mq_growth"), SORT_MQ_RATE);
	ck_assert_int_eq(proc_sort_parse("pid"), -1);
	ck_assert_int_eq(proc_sort_parse("nope"), -1);
	ck_assert_str_eq(proc_sort_name(SORT_HEAP), "heap");
	ck_assert_uint_eq(proc_sort_needs(SORT_HEAP), PF_HEAP);
	ck_assert_uint_eq(proc_sort_needs(SORT_BIN), PF_BIN);
	ck_assert_uint_eq(proc_sort_needs(SORT_MEMORY), 0);
}
END_TEST

START_TEST(column_lists)
{
	int cols[16], def[16], n;
	char err[512];

	n = field_columns(&fields_proc, "pid, memory,name", cols, 16, err, sizeof err);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(fields_proc.f[cols[1]].name, "memory");
	ck_assert_int_eq(field_columns(&fields_proc, "pid,registered", cols, 16, err,
				       sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'registered' is not a column"));
	ck_assert_ptr_nonnull(strstr(err, "current_function"));
	ck_assert_int_eq(field_columns(&fields_proc, " , ", cols, 16, err, sizeof err), -1);
	/* The default columns are those the screen always showed. */
	n = field_default_columns(&fields_proc, def, 16);
	ck_assert_int_eq(n, 9);
	ck_assert_str_eq(fields_proc.f[def[0]].name, "pid");
	ck_assert_str_eq(fields_proc.f[def[8]].name, "memory_rate");
}
END_TEST

/* Two refreshes: processes 1 and 3 in both, process 2 only in the second
 * (new); process 3 is carried from an earlier scan (stale). */
static void two_refreshes(struct model *m)
{
	int r;

	ck_assert_int_eq(model_init(m), 0);
	for (r = 0; r < 2; r++) {
		struct snapshot *s = model_next(m);
		size_t i;

		snapshot_clear(s);
		s->t_ms = 1000 + (uint64_t)r * 1000;
		for (i = 0; i < 3; i++) {
			struct proc *p;

			if (r == 0 && i == 1)
				continue;
			p = snapshot_add_proc(s);
			p->pid.num = (uint32_t)i + 1;
			p->memory = 100;
			p->reductions = r ? 5000 : 1000;
			p->name = strpool_add(&s->pool, i ? "worker" : "my_server");
			p->registered = i == 0;
			p->have = PF_MEMORY | PF_REDS | PF_MQ | (i == 2 ? PF_STALE : 0);
		}
		/* A port whose traffic and memory grow: 1000 bytes in, and a
		 * process (row 0) that grows by 50 bytes a second. */
		{
			struct port_rec *o = snapshot_add_port(s);

			o->id.id = 7;
			o->input = r ? 2000 : 1000;
			o->os_pid = -1;
			s->procs[0].memory = r ? 150 : 100;
		}
		ck_assert_int_eq(model_commit(m), 0);
	}
}

static const char *cell(const struct model *m, const char *name, size_t row,
			char *buf, size_t n)
{
	int role = 0;

	fields_proc.f[field_column(&fields_proc, name)].cell(m, row, buf, n, &role);
	return buf;
}

START_TEST(cells_and_json_rows)
{
	struct model m;
	struct json j;
	char buf[64], *out = NULL;
	size_t len = 0, row;
	FILE *f;
	int k;

	two_refreshes(&m);
	ck_assert_str_eq(cell(&m, "name", 0, buf, sizeof buf), "my_server");
	ck_assert_str_eq(cell(&m, "reds_rate", 0, buf, sizeof buf), "4.00k");
	ck_assert_str_eq(cell(&m, "reds_rate", 1, buf, sizeof buf), "new");
	ck_assert_str_eq(cell(&m, "reds_rate", 2, buf, sizeof buf), "stale");
	ck_assert_str_eq(cell(&m, "heap", 0, buf, sizeof buf), "-");
	/* Growth is a warning; traffic is not. */
	{
		int role = ROLE_NORMAL;

		fields_proc.f[field_column(&fields_proc, "memory_rate")].cell(&m, 0, buf,
									    sizeof buf, &role);
		ck_assert_str_eq(buf, "50 B");
		ck_assert_int_eq(role, ROLE_WARN);
		role = ROLE_NORMAL;
		fields_port.f[field_column(&fields_port, "in_rate")].cell(&m, 0, buf,
									sizeof buf, &role);
		ck_assert_str_eq(buf, "1000 B");
		ck_assert_int_eq(role, ROLE_NORMAL);
	}
	f = open_memstream(&out, &len);
	json_begin(&j, f);
	json_arr(&j, NULL);
	for (row = 0; row < 3; row++) {
		json_obj(&j, NULL);
		for (k = 0; k < fields_proc.n; k++)
			if (fields_proc.f[k].json)
				fields_proc.f[k].json(&j, &m, row, fields_proc.f[k].key);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "\"reductions_per_sec\":4000"));
	ck_assert_ptr_nonnull(strstr(out, "\"registered\":true"));
	/* The new and the stale row have no rate: null, never 0. */
	ck_assert_ptr_nonnull(strstr(strstr(out, "\"new\":true"), "\"stale\":true"));
	ck_assert_ptr_null(strstr(out, "\"heap\""));
	{
		const char *p = out;
		int nulls = 0;

		while ((p = strstr(p, "\"reductions_per_sec\":null")))
			nulls++, p++;
		ck_assert_int_eq(nulls, 2);
	}
	free(out);
	model_free(&m);
}
END_TEST

Suite *fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, names_are_unique_and_found, 0,
			    (int)(sizeof lists / sizeof lists[0]));
	tcase_add_test(tc, proc_sort_names);
	tcase_add_test(tc, column_lists);
	tcase_add_test(tc, cells_and_json_rows);
	suite_add_tcase(s, tc);
	return s;
}
