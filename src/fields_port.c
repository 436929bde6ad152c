/*
 * fields_port.c - the ports' field table: the columns of the ports pane
 * and of batch text, the JSON "ports" rows, and the sort keys.
 */
#include <inttypes.h>
#include <stdio.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/json.h"
#include "beamtop/term.h"

#define M(v) ((const struct model *)(v))
#define O(v, i) (&M(v)->cur->ports[i])

static int known(const struct model *m, size_t i)
{
	return m->has_prev && !m->od[i].is_new;
}

static void c_id(const void *m, size_t i, char *buf, size_t n, int *role)
{
	if (M(m)->od[i].is_new && M(m)->has_prev)
		*role = ROLE_NEW;
	fmt_port(buf, n, &O(m, i)->id);
}

static void c_name(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	snprintf(buf, n, "%s", strpool_get(&M(m)->cur->pool, O(m, i)->name));
}

static void c_owner(const void *m, size_t i, char *buf, size_t n, int *role)
{
	char tmp[64];

	(void)role;
	snprintf(buf, n, "%s", field_pid_label(M(m), &O(m, i)->connected, tmp,
					       sizeof tmp));
}

static void rate(const void *m, size_t i, double v, char *buf, size_t n, int *role)
{
	field_rate_text(M(m), M(m)->od[i].is_new, 0, v, RATE_TRAFFIC, buf, n, role);
}

static void c_io(const void *m, size_t i, char *buf, size_t n, int *role)
{
	rate(m, i, M(m)->od[i].in_rate + M(m)->od[i].out_rate, buf, n, role);
}

static void c_in(const void *m, size_t i, char *buf, size_t n, int *role)
{
	rate(m, i, M(m)->od[i].in_rate, buf, n, role);
}

static void c_out(const void *m, size_t i, char *buf, size_t n, int *role)
{
	rate(m, i, M(m)->od[i].out_rate, buf, n, role);
}

static void c_queue(const void *m, size_t i, char *buf, size_t n, int *role)
{
	if (O(m, i)->queue > 0)
		*role = ROLE_WARN;
	fmt_bytes(buf, n, (double)O(m, i)->queue);
}

static void c_memory(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	fmt_bytes(buf, n, (double)O(m, i)->memory);
}

static void c_os(const void *m, size_t i, char *buf, size_t n, int *role)
{
	(void)role;
	if (O(m, i)->os_pid >= 0)
		snprintf(buf, n, "%" PRId64, O(m, i)->os_pid);
	else
		snprintf(buf, n, "-");
}

static void j_id(struct json *j, const struct model *m, size_t i, const char *k)
{
	char buf[32];

	json_str(j, k, fmt_port(buf, sizeof buf, &m->cur->ports[i].id));
}

static void j_name(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_str(j, k, strpool_get(&m->cur->pool, m->cur->ports[i].name));
}

static void j_conn(struct json *j, const struct model *m, size_t i, const char *k)
{
	char buf[32];

	json_str(j, k, fmt_pid(buf, sizeof buf, &m->cur->ports[i].connected));
}

static void j_conn_name(struct json *j, const struct model *m, size_t i,
			const char *k)
{
	const char *name = model_reg_name(m, &m->cur->ports[i].connected);

	if (*name)
		json_str(j, k, name);
	else
		json_null(j, k);
}

static void j_input(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->ports[i].input);
}

static void j_output(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->ports[i].output);
}

static void j_in(struct json *j, const struct model *m, size_t i, const char *k)
{
	field_json_rate(j, k, m->od[i].in_rate, known(m, i));
}

static void j_out(struct json *j, const struct model *m, size_t i, const char *k)
{
	field_json_rate(j, k, m->od[i].out_rate, known(m, i));
}

static void j_queue(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->ports[i].queue);
}

static void j_memory(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_u64(j, k, m->cur->ports[i].memory);
}

static void j_os(struct json *j, const struct model *m, size_t i, const char *k)
{
	if (m->cur->ports[i].os_pid >= 0)
		json_i64(j, k, m->cur->ports[i].os_pid);
	else
		json_null(j, k);
}

static void j_new(struct json *j, const struct model *m, size_t i, const char *k)
{
	json_bool(j, k, m->has_prev && m->od[i].is_new);
}

/* A port's id is cut in the middle, if at all: its end tells it apart. */
static const struct field ports[] = {
	{ .name = "port", .key = "id", .title = "PORT", .minw = 11, .maxw = 16,
	  .left = 1, .middle = 1, .text = TEXT_COL, .sort = -1, .shown = 1,
	  .cell = c_id, .json = j_id },
	{ .name = "name", .key = "name", .title = "NAME", .minw = 10, .maxw = 40,
	  .flex = 1, .left = 1, .text = TEXT_COL, .sort = -1, .shown = 1,
	  .cell = c_name, .json = j_name },
	{ .name = "connected", .key = "connected", .title = "CONNECTED",
	  .minw = 10, .maxw = 32, .left = 1, .text = TEXT_COL, .sort = -1,
	  .shown = 1, .cell = c_owner, .json = j_conn },
	{ .key = "connected_name", .sort = -1, .json = j_conn_name },
	{ .key = "input", .sort = -1, .json = j_input },
	{ .key = "output", .sort = -1, .json = j_output },
	{ .name = "io_rate", .key = "io_per_sec", .alias = { "io", "in+out" },
	  .title = "IO/s", .minw = 9, .text = TEXT_COL, .sort = PORT_SORT_IO,
	  .shown = 1, .cell = c_io },
	{ .name = "in_rate", .key = "input_per_sec", .alias = { "in" },
	  .title = "IN/s", .minw = 9, .text = TEXT_COL, .sort = PORT_SORT_IN,
	  .shown = 1, .cell = c_in, .json = j_in },
	{ .name = "out_rate", .key = "output_per_sec", .alias = { "out" },
	  .title = "OUT/s", .minw = 9, .text = TEXT_COL, .sort = PORT_SORT_OUT,
	  .shown = 1, .cell = c_out, .json = j_out },
	{ .name = "queue", .key = "queue_size", .alias = { "q" }, .title = "QUEUE",
	  .minw = 9, .text = TEXT_COL, .sort = PORT_SORT_QUEUE, .shown = 1,
	  .cell = c_queue, .json = j_queue },
	{ .name = "memory", .key = "memory", .alias = { "mem", "m" },
	  .title = "MEMORY", .minw = 9, .text = TEXT_COL, .sort = PORT_SORT_MEMORY,
	  .shown = 1, .cell = c_memory, .json = j_memory },
	{ .name = "os_pid", .key = "os_pid", .title = "OS_PID", .minw = 7,
	  .text = TEXT_COL, .sort = -1, .shown = 1, .cell = c_os, .json = j_os },
	{ .key = "new", .sort = -1, .json = j_new },
};

const struct field_list fields_port = {
	ports, (int)(sizeof ports / sizeof ports[0]), "column"
};
