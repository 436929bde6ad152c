/*
 * fields.c - what the three field tables share: looking fields up by
 * name and by sort key, parsing a column list, and the cells that every
 * list writes the same way (a rate that is not known yet, an owner).
 */
#include <stdio.h>
#include <string.h>

#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/json.h"
#include "beamtop/term.h"

const struct field *field_of_sort(const struct field_list *l, int sort)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->f[i].sort >= 0 && l->f[i].sort == sort)
			return &l->f[i];
	return NULL;
}

int field_column(const struct field_list *l, const char *name)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->f[i].name && l->f[i].cell && strcmp(l->f[i].name, name) == 0)
			return i;
	return -1;
}

static int field_named(const struct field *f, const char *name)
{
	int j;

	if ((f->key && strcmp(f->key, name) == 0) ||
	    (f->name && strcmp(f->name, name) == 0))
		return 1;
	for (j = 0; j < 3 && f->alias[j]; j++)
		if (strcmp(f->alias[j], name) == 0)
			return 1;
	return 0;
}

int field_sort_parse(const struct field_list *l, const char *name)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->f[i].sort >= 0 && field_named(&l->f[i], name))
			return l->f[i].sort;
	return -1;
}

const char *field_sort_name(const struct field_list *l, int sort)
{
	const struct field *f = field_of_sort(l, sort);

	return f ? f->key : "?";
}

char *field_names(const struct field_list *l, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < l->n && len < n; i++)
		if (l->f[i].name && l->f[i].cell)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
						len ? ", " : "", l->f[i].name);
	return buf;
}

int field_columns(const struct field_list *l, const char *spec, int *cols,
		  int max, char *err, size_t errlen)
{
	char buf[256], names[256], *tok, *save = NULL;
	int n = 0, i;

	snprintf(buf, sizeof buf, "%s", spec);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if ((i = field_column(l, tok)) < 0) {
			snprintf(err, errlen, "'%s' is not a %s (%s)", tok, l->noun,
				 field_names(l, names, sizeof names));
			return -1;
		}
		if (n < max)
			cols[n++] = i;
	}
	if (n == 0) {
		snprintf(err, errlen, "no %ss", l->noun);
		return -1;
	}
	return n;
}

int field_default_columns(const struct field_list *l, int *cols, int max)
{
	int i, n = 0;

	for (i = 0; i < l->n && n < max; i++)
		if (l->f[i].shown)
			cols[n++] = i;
	return n;
}

const char *field_pid_label(const struct model *m, const struct bt_pid *pid,
			    char *buf, size_t n)
{
	const char *name = model_reg_name(m, pid);

	return *name ? name : fmt_pid(buf, n, pid);
}

/* The first refresh has nothing to compare with; a row that was not there
 * at the start of the span, or not read now, has no rate. */
void field_rate_text(const struct model *m, int is_new, int stale, double v,
		     enum rate_kind kind, char *buf, size_t n, int *role)
{
	if (!m->has_prev) {
		snprintf(buf, n, "-");
	} else if (is_new) {
		snprintf(buf, n, "new");
		*role = ROLE_NEW;
	} else if (stale) {
		snprintf(buf, n, "stale");
		*role = ROLE_DIM;
	} else if (kind != RATE_COUNT) {
		fmt_bytes(buf, n, v);
		if (kind == RATE_GROWTH && v > 0)
			*role = ROLE_WARN;
	} else {
		fmt_count(buf, n, v);
	}
}

/* A rate that cannot be known yet is null, never 0. */
void field_json_rate(struct json *j, const char *key, double v, int known)
{
	if (known)
		json_num(j, key, v);
	else
		json_null(j, key);
}
