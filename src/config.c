/*
 * config.c - the settings file (see config.h): where it is, and reading
 * and writing its `name = value` lines, whose names, checks and written
 * forms are the options table's (options.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "beamtop/fields.h"
#include "beamtop/config.h"
#include "beamtop/options.h"


int config_path(char *out, size_t n)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");

	if (x && *x)
		return snprintf(out, n, "%s/beamtop/config", x) < (int)n ? 0 : -1;
	if (h && *h)
		return snprintf(out, n, "%s/.config/beamtop/config", h) < (int)n ? 0 : -1;
	return -1;
}

int config_columns(const char *spec, int *cols, int max, char *err, size_t errlen)
{
	return field_columns(&fields_proc, spec, cols, max, err, errlen);
}

/* s without the blanks around it (in place). */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* One `key = value` through the options table.  Returns 0, or -1 with
 * what is wrong in err. */
static int apply(struct opts *o, const char *key, const char *val, char *err,
		 size_t errlen)
{
	const struct options_def *d = options_by_key(key);

	if (!d) {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	if (options_set(o, d, val, err, errlen) == 0)
		return 0;
	if (!err[0])
		snprintf(err, errlen, "'%s' is not a valid %s", val, key);
	return -1;
}

int config_load(struct opts *o, const char *path, char *err, size_t errlen)
{
	char line[512], why[300];
	FILE *f = fopen(path, "re");
	int n = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *k = trim(line), *eq, *v;

		n++;
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected name = value", path, n);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		if (apply(o, k, v, why, sizeof why) < 0) {
			snprintf(err, errlen, "%.200s:%d: %s", path, n, why);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* mkdir -p of path's directory. */
static int make_dirs(const char *path)
{
	char dir[1024], *p;

	snprintf(dir, sizeof dir, "%s", path);
	p = strrchr(dir, '/');
	if (!p)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int config_save(const struct opts *o, const char *path, char *err, size_t errlen)
{
	char tmp[1100], val[300];
	size_t i;
	FILE *f;

	if (make_dirs(path) < 0) {
		snprintf(err, errlen, "cannot make the directory of %s: %s", path,
			 strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(f, "# beamtop settings (saved with F2); the command line overrides "
		"them.\n");
	for (i = 0; i < options_count; i++)
		if (options_table[i].key &&
		    options_format(o, &options_table[i], val, sizeof val) == 0)
			fprintf(f, "%s = %s\n", options_table[i].key, val);
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
