/*
 * options.c - what is done with a row of the options table (see
 * options.h): a value checked and stored in struct opts, the same value
 * written back for the settings file, the defaults, and the option lines of
 * --help and of the man page.  The rows themselves are in options_table.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/format.h"
#include "beamtop/options.h"
#include "beamtop/opts.h"

/* An enum field (--collector's) is stored through an int: the same size,
 * and C lets an object be read and written as the signed or unsigned
 * variant of its type. */
_Static_assert(sizeof(enum procs_source) == sizeof(int), "enum is not an int");

/* The width --help wraps to, and the column its texts start in. */
#define HELP_WIDTH 79
#define HELP_TEXT_COL 25

/* The man page's lines between these two are generated. */
static const char man_begin[] =
	".\\\" begin options: generated from src/options_table.c by make "
	"man-options\n";
static const char man_end[] = ".\\\" end options\n";

static void *field(struct opts *o, const struct options_def *d)
{
	return (char *)o + d->off;
}

static const void *cfield(const struct opts *o, const struct options_def *d)
{
	return (const char *)o + d->off;
}

static void store_num(struct opts *o, const struct options_def *d,
		      unsigned long v)
{
	void *p = field(o, d);

	switch (d->store) {
	case OPTIONS_INT:
		*(int *)p = (int)v;
		break;
	case OPTIONS_LONG:
		*(long *)p = (long)v;
		break;
	case OPTIONS_UINT:
		*(unsigned *)p = (unsigned)v;
		break;
	case OPTIONS_ULONG:
		*(unsigned long *)p = v;
		break;
	case OPTIONS_STR:
		break;
	}
}

static unsigned long load_num(const struct opts *o, const struct options_def *d)
{
	const void *p = cfield(o, d);

	switch (d->store) {
	case OPTIONS_INT:
		return (unsigned long)*(const int *)p;
	case OPTIONS_LONG:
		return (unsigned long)*(const long *)p;
	case OPTIONS_UINT:
		return *(const unsigned *)p;
	case OPTIONS_ULONG:
		return *(const unsigned long *)p;
	case OPTIONS_STR:
		break;
	}
	return 0;
}

static unsigned long choice_value(const struct options_def *d, int i)
{
	return d->values ? d->values[i] : (unsigned long)i;
}

static int choice(const struct options_def *d, const char *val)
{
	int i;

	for (i = 0; d->names[i]; i++)
		if (strcmp(val, d->names[i]) == 0)
			return i;
	return -1;
}

const struct options_def *options_by_key(const char *key)
{
	size_t i;

	for (i = 0; i < options_count; i++)
		if (options_table[i].key && strcmp(options_table[i].key, key) == 0)
			return &options_table[i];
	return NULL;
}

const struct options_def *options_by_short(int c)
{
	size_t i;

	for (i = 0; i < options_count; i++)
		if (c && options_table[i].short_name == c)
			return &options_table[i];
	return NULL;
}

int options_set(struct opts *o, const struct options_def *d, const char *val,
		char *err, size_t n)
{
	unsigned long v;
	unsigned ms;
	int i;

	if (n)
		*err = '\0';
	switch (d->type) {
	case OPTIONS_FLAG:
		store_num(o, d, 1);
		return 0;
	case OPTIONS_COUNT:
		if (parse_uint(val, d->max, &v) < 0 || v < d->min)
			return -1;
		store_num(o, d, v);
		return 0;
	case OPTIONS_SECONDS:
		if (parse_seconds(val, &ms) < 0 || ms < d->min)
			return -1;
		store_num(o, d, ms);
		return 0;
	case OPTIONS_CHOICE:
		if ((i = choice(d, val)) < 0)
			return -1;
		if (d->store == OPTIONS_STR)
			*(const char **)field(o, d) = d->names[i];
		else
			store_num(o, d, choice_value(d, i));
		return 0;
	case OPTIONS_STRING:
		if (strlen(val) < d->min)
			return -1;
		*(const char **)field(o, d) = val;
		return 0;
	case OPTIONS_CUSTOM:
		return d->parse(o, val, err, n);
	}
	return -1;
}

/* The name of a CHOICE's value, or NULL when it has none. */
static const char *choice_name(const struct opts *o, const struct options_def *d)
{
	unsigned long v;
	int i;

	if (d->store == OPTIONS_STR)
		return *(const char *const *)cfield(o, d);
	v = load_num(o, d);
	for (i = 0; d->names[i]; i++)
		if (choice_value(d, i) == v)
			return d->names[i];
	return NULL;
}

int options_format(const struct opts *o, const struct options_def *d,
		   char *buf, size_t n)
{
	const char *s = NULL;

	switch (d->type) {
	case OPTIONS_FLAG:
	case OPTIONS_COUNT:
		snprintf(buf, n, "%lu", load_num(o, d));
		return 0;
	case OPTIONS_SECONDS:
		/* Nine digits: every millisecond up to 86400 s reads back as
		 * it was (%g's six would round 12345.678 s). */
		snprintf(buf, n, "%.9g", (double)load_num(o, d) / 1000.0);
		return 0;
	case OPTIONS_CHOICE:
		s = choice_name(o, d);
		break;
	case OPTIONS_STRING:
		s = *(const char *const *)cfield(o, d);
		break;
	case OPTIONS_CUSTOM:
		return d->format(o, buf, n);
	}
	if (!s || !*s)
		return -1;
	snprintf(buf, n, "%s", s);
	return 0;
}

/* d's names joined with ", " after prefix.  Returns buf. */
static const char *join_names(const struct options_def *d, const char *prefix,
			      char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "%s", prefix);
	int i;

	for (i = 0; d->names[i] && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
					d->names[i]);
	return buf;
}

const char *options_want(const struct options_def *d, char *buf, size_t n)
{
	char names[200];

	if (!d->names)
		snprintf(buf, n, "%s", d->want ? d->want : "a value");
	else
		snprintf(buf, n, "%s (%s)", d->want ? d->want : "one of",
			 join_names(d, "", names, sizeof names));
	return buf;
}

void options_defaults(struct opts *o)
{
	char err[200];
	size_t i;

	/* Every default is read as a value would be: check_opts.c proves each
	 * one is accepted, so a failure cannot happen here. */
	for (i = 0; i < options_count; i++)
		if (options_table[i].def)
			options_set(o, &options_table[i], options_table[i].def, err,
				    sizeof err);
}

/* text from column col, wrapped at HELP_WIDTH onto lines that start at
 * HELP_TEXT_COL. */
static void wrapped(FILE *f, const char *text, int col)
{
	const char *w = text;
	size_t len;

	while (*w) {
		len = strcspn(w, " ");
		if (col > HELP_TEXT_COL && col + 1 + (int)len > HELP_WIDTH) {
			fprintf(f, "\n%*s", HELP_TEXT_COL, "");
			col = HELP_TEXT_COL;
		} else if (col > HELP_TEXT_COL) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, len, f);
		col += (int)len;
		w += len;
		w += strspn(w, " ");
	}
	fputc('\n', f);
}

/* One option's --help text: its line, the names it takes, a number's
 * default. */
static void help_text(const struct options_def *d, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "%s", d->help);
	char names[200];

	if (d->names && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%s",
					join_names(d, ": ", names, sizeof names));
	if (d->def && (d->type == OPTIONS_COUNT || d->type == OPTIONS_SECONDS) &&
	    len < n)
		snprintf(buf + len, n - len, " (default %s)", d->def);
}

void options_help(FILE *f)
{
	const struct options_def *d;
	char tag[64], text[400];
	size_t i;
	int len;

	for (i = 0; i < options_count; i++) {
		d = &options_table[i];
		if (!d->name)
			continue;
		len = snprintf(tag, sizeof tag, "  %c%c%c --%s%s%s",
			       d->short_name ? '-' : ' ',
			       d->short_name ? d->short_name : ' ',
			       d->short_name ? ',' : ' ', d->name,
			       d->arg ? " " : "", d->arg ? d->arg : "");
		help_text(d, text, sizeof text);
		fprintf(f, "%s", tag);
		if (len >= HELP_TEXT_COL) {
			fprintf(f, "\n%*s", HELP_TEXT_COL, "");
			len = HELP_TEXT_COL;
		}
		fprintf(f, "%*s", HELP_TEXT_COL - len, "");
		wrapped(f, text, HELP_TEXT_COL);
	}
}

/* name with its hyphens as roff's minus signs. */
static void roff_name(FILE *f, const char *name)
{
	for (; *name; name++)
		if (*name == '-')
			fputs("\\-", f);
		else
			fputc(*name, f);
}

/* One option's .TP entry: the tag line in the man page's four forms (with
 * or without a short name, with or without a value), then its paragraph. */
static void man_entry(FILE *f, const struct options_def *d)
{
	fputs(".TP\n", f);
	if (d->short_name) {
		fprintf(f, ".BR \\-%c \", \" \\-\\-", d->short_name);
		roff_name(f, d->name);
		if (d->arg)
			fprintf(f, " \" \\fI%s\\fR\"", d->arg);
	} else {
		fputs(d->arg ? ".BI \\-\\-" : ".B \\-\\-", f);
		roff_name(f, d->name);
		if (d->arg)
			fprintf(f, " \" %s\"", d->arg);
	}
	fprintf(f, "\n%s", d->man);
}

int options_man(FILE *in, FILE *out)
{
	char *line = NULL;
	size_t cap = 0, i;
	int state = 0; /* 0 before the section, 1 in it, 2 after it */

	while (getline(&line, &cap, in) >= 0) {
		if (state == 1 && strcmp(line, man_end) != 0)
			continue;
		if (state == 1)
			state = 2;
		fputs(line, out);
		if (state == 0 && strcmp(line, man_begin) == 0) {
			state = 1;
			for (i = 0; i < options_count; i++)
				if (options_table[i].name)
					man_entry(out, &options_table[i]);
		}
	}
	free(line);
	return state == 2 && !ferror(out) && !ferror(in) ? 0 : -1;
}
