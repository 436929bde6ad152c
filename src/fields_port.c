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

static const struct field ports[] = {
	{ "port", "id", { 0 }, "PORT", 12, 0, 1, 14, -1, 0, 1, c_id, j_id },
	{ "name", "name", { 0 }, "NAME", 16, 1, 1, 24, -1, 0, 1, c_name, j_name },
	{ "connected", "connected", { 0 }, "CONNECTED", 16, 0, 1, 14, -1, 0, 1, c_owner,
	  j_conn },
	{ NULL, "connected_name", { 0 }, NULL, 0, 0, 0, 0, -1, 0, 0, NULL, j_conn_name },
	{ NULL, "input", { 0 }, NULL, 0, 0, 0, 0, -1, 0, 0, NULL, j_input },
	{ NULL, "output", { 0 }, NULL, 0, 0, 0, 0, -1, 0, 0, NULL, j_output },
	{ "io_rate", "io_per_sec", { "io", "in+out" }, "IO/s", 9, 0, 0, 10, PORT_SORT_IO,
	  0, 1, c_io, NULL },
	{ "in_rate", "input_per_sec", { "in" }, "IN/s", 9, 0, 0, 10, PORT_SORT_IN, 0, 1,
	  c_in, j_in },
	{ "out_rate", "output_per_sec", { "out" }, "OUT/s", 9, 0, 0, 10, PORT_SORT_OUT, 0, 1,
	  c_out, j_out },
	{ "queue", "queue_size", { "q" }, "QUEUE", 9, 0, 0, 9, PORT_SORT_QUEUE, 0, 1,
	  c_queue, j_queue },
	{ "memory", "memory", { "mem", "m" }, "MEMORY", 9, 0, 0, 9, PORT_SORT_MEMORY, 0, 1,
	  c_memory, j_memory },
	{ "os_pid", "os_pid", { 0 }, "OS_PID", 7, 0, 0, 8, -1, 0, 1, c_os, j_os },
	{ NULL, "new", { 0 }, NULL, 0, 0, 0, 0, -1, 0, 0, NULL, j_new },
};

const struct field_list fields_port = {
	ports, (int)(sizeof ports / sizeof ports[0]), "column"
};
