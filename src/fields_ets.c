/*
 * fields_ets.c - the ETS tables' field table: the columns of the ETS
 * pane and of batch text, the JSON "ets" rows, and the sort keys.
 */
#include <stdio.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/json.h"
#include "beamtop/term.h"

#define M(v) ((const struct model *)(v))
#define E(v, i) (&M(v)->cur->ets[i])

static const char *const type_name[] = {
	"set", "ordered_set", "bag", "duplicate_bag", "unknown"
};
static const char *const prot_name[] = { "public", "protected", "private", "unknown" };

static const char *estr(const struct model *m, uint32_t h)
{
	return strpool_get(&m->cur->pool, h);
}

static int known(const struct model *m, size_t i)
{
	return m->has_prev && !m->ed[i].is_new;
}

static void c_name(const void *m, size_t i, char *buf, size_t n, int *role)
{
	if (M(m)->ed[i].is_new && M(m)->has_prev)
		*role = ROLE_NEW;
	snprintf(buf, n, "%s", fmt_alias(estr(M(m), E(m, i)->name)));
}

static void c_id(const void *m, size_t i, char *buf, size_t n, int *role)
{
	*role = ROLE_DIM;
	if (E(m, i)->named || !E(m, i)->id.len)
		snprintf(buf, n, "(named)");
	else
		fmt_ref(buf, n, &E(m, i)->id);
}

static void c_type(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	snprintf(buf, n, "%s", type_name[E(m, i)->type % 5]);
}

static void c_prot(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	snprintf(buf, n, "%s", prot_name[E(m, i)->protection % 4]);
}

static void c_owner(const void *m, size_t i, char *buf, size_t n, int *role)
{
	char tmp[64];

	(void)role;
	snprintf(buf, n, "%s", field_pid_label(M(m), &E(m, i)->owner, tmp, sizeof tmp));
}

static void c_size(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	fmt_count(buf, n, (double)E(m, i)->size);
}

static void c_memory(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	fmt_bytes(buf, n, (double)E(m, i)->memory);
}

static void c_growth(const void *m, size_t i, char *buf, size_t n, int *role)
{
	field_rate_text(M(m), M(m)->ed[i].is_new, 0, M(m)->ed[i].mem_rate, RATE_GROWTH,
			buf, n, role);
}

static void c_srate(const void *m, size_t i, char *buf, size_t n, int *role)
{
	field_rate_text(M(m), M(m)->ed[i].is_new, 0, M(m)->ed[i].size_rate, RATE_COUNT,
			buf, n, role);
}

/* A table's id: its reference, or its name when it is a named table
 * read without one. */
static void j_id(struct json *j, const struct model *m, size_t i, const char *k)
{
	const struct ets_tab *e = &m->cur->ets[i];
	char buf[96];

	json_str(j, k, e->id.len ? fmt_ref(buf, sizeof buf, &e->id) : estr(m, e->name));
}

static void j_name(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_str(j, k, fmt_alias(estr(m, m->cur->ets[i].name)));
}

static void j_named(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_bool(j, k, m->cur->ets[i].named);
}

static void j_type(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_str(j, k, type_name[m->cur->ets[i].type % 5]);
}

static void j_prot(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_str(j, k, prot_name[m->cur->ets[i].protection % 4]);
}

static void j_owner(struct json *j, const struct model *m, size_t i, const char *k)
{
	char buf[32];

	json_str(j, k, fmt_pid(buf, sizeof buf, &m->cur->ets[i].owner));
}

/* A registered name, or null for an owner that has none. */
static void j_owner_name(struct json *j, const struct model *m, size_t i,
			 const char *k)
{
	const char *name = model_reg_name(m, &m->cur->ets[i].owner);

	if (*name)
		json_str(j, k, name);
	else
		json_null(j, k);
}

static void j_size(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->ets[i].size);
}

static void j_memory(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->ets[i].memory);
}

static void j_srate(struct json *j, const struct model *m, size_t i, const char *k)
{
	field_json_rate(j, k, m->ed[i].size_rate, known(m, i));
}

static void j_growth(struct json *j, const struct model *m, size_t i, const char *k)
{
	field_json_rate(j, k, m->ed[i].mem_rate, known(m, i));
}

static void j_new(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_bool(j, k, m->has_prev && m->ed[i].is_new);
}

/* The screen's columns left to right are those with `shown`; JSON keys
 * in this order.  An anonymous table's id is what tells it from others
 * of its name: cut in the middle, if at all. */
static const struct field ets[] = {
	{ .name = "name", .key = "name", .title = "NAME", .minw = 12, .maxw = 40,
	  .flex = 1, .left = 1, .text = TEXT_COL, .sort = -1, .shown = 1,
	  .cell = c_name, .json = j_name },
	{ .key = "named_table", .sort = -1, .json = j_named },
	{ .name = "size", .key = "size", .alias = { "objects" }, .title = "SIZE",
	  .minw = 7, .text = TEXT_COL, .sort = ETS_SORT_SIZE, .shown = 1,
	  .cell = c_size, .json = j_size },
	{ .name = "memory", .key = "memory", .alias = { "mem", "m" },
	  .title = "MEMORY", .minw = 9, .text = TEXT_COL, .sort = ETS_SORT_MEMORY,
	  .shown = 1, .cell = c_memory, .json = j_memory },
	{ .name = "growth", .key = "memory_per_sec", .alias = { "g" },
	  .title = "GROWTH/s", .minw = 9, .text = TEXT_COL,
	  .sort = ETS_SORT_GROWTH, .shown = 1, .cell = c_growth,
	  .json = j_growth },
	{ .name = "owner", .key = "owner", .title = "OWNER", .minw = 10,
	  .maxw = 32, .left = 1, .text = TEXT_COL, .sort = -1, .shown = 1,
	  .cell = c_owner, .json = j_owner },
	{ .key = "owner_name", .sort = -1, .json = j_owner_name },
	{ .name = "type", .key = "type", .title = "TYPE", .minw = 4, .maxw = 13, .left = 1,
	  .text = TEXT_COL, .sort = -1, .shown = 1, .cell = c_type,
	  .json = j_type },
	{ .name = "protection", .key = "protection", .title = "PROT", .minw = 4,
	  .left = 1, .text = TEXT_COL, .sort = -1, .shown = 1, .cell = c_prot,
	  .json = j_prot },
	{ .name = "size_rate", .key = "size_per_sec", .title = "ROWS/s",
	  .minw = 7, .sort = -1, .shown = 1, .cell = c_srate, .json = j_srate },
	{ .name = "id", .key = "id", .title = "ID", .minw = 12, .maxw = 44,
	  .left = 1, .middle = 1, .text = TEXT_LAST, .sort = -1, .shown = 1,
	  .cell = c_id, .json = j_id },
	{ .key = "new", .sort = -1, .json = j_new },
};

const struct field_list fields_ets = {
	ets, (int)(sizeof ets / sizeof ets[0]), "column"
};
