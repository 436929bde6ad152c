/*
 * options.h - every setting of beamtop as one row of one table: its name
 * on the command line (long and short), its key in the settings file, how
 * its value is read, checked, stored in struct opts and written back, its
 * default, and its text in --help and in the man page.  The command line
 * (opts.c), the settings file and F2 (config.c) and the man page's OPTIONS
 * section (make man-options) all work from this table, so a setting is
 * added, checked or documented in one place.
 */
#ifndef BEAMTOP_OPTIONS_H
#define BEAMTOP_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

struct opts;

/* Room for the rows (opts.c builds getopt's array on the stack). */
#define OPTIONS_MAX 48

/* How a value is written and checked. */
enum options_type {
	OPTIONS_FLAG,    /* no value: the field becomes 1 */
	OPTIONS_COUNT,   /* a whole number from min to max */
	OPTIONS_SECONDS, /* seconds, fractions allowed, kept in ms, >= min ms */
	OPTIONS_CHOICE,  /* one of names[]: the field gets values[i] (or i), or
			    the name itself when it is a string field */
	OPTIONS_STRING,  /* any text, at least min bytes, kept as a pointer into
			    argv: command line only, never in the file */
	OPTIONS_CUSTOM   /* parse and format say */
};

/* The C type of the field in struct opts. */
enum options_store {
	OPTIONS_INT, OPTIONS_LONG, OPTIONS_UINT, OPTIONS_ULONG, OPTIONS_STR
};

struct options_def {
	const char *name;         /* --name, or NULL: settings file only */
	char short_name;          /* -x, or 0 */
	const char *key;          /* settings-file key, or NULL: not saved */
	enum options_type type;
	const char *arg;          /* the value in --help and the man page */
	unsigned long min, max;   /* COUNT range; SECONDS and STRING minimum */
	const char *const *names; /* CHOICE: the accepted words; CUSTOM: the
				     ones to list; NULL-ended */
	const unsigned *values;   /* CHOICE: the value of each word, or NULL
				     for its index */
	size_t off;               /* offsetof(struct opts, the field); a
				     CUSTOM row's hooks find their own */
	enum options_store store;
	const char *def;          /* the default, written as a value, or NULL
				     (the field stays 0 or NULL) */
	const char *want;         /* what a good value is ("a TCP port
				     (1-65535)"); names are added to it */
	int stop;                 /* FLAG: parsing stops here (--help) */
	/* CUSTOM: returns 0, or -1 with err a reason or left empty. */
	int (*parse)(struct opts *o, const char *val, char *err, size_t n);
	/* CUSTOM: returns 0, or -1 when there is nothing to save. */
	int (*format)(const struct opts *o, char *buf, size_t n);
	const char *help;         /* one --help line (wrapped) */
	const char *man;          /* the man page's paragraph, in roff */
};

extern const struct options_def options_table[];
extern const size_t options_count;

/* The row whose settings-file key is key, or NULL. */
const struct options_def *options_by_key(const char *key);

/* The row whose short name is c, or NULL. */
const struct options_def *options_by_short(int c);

/* Checks val against d and stores it in o.  Returns 0, or -1 leaving o
 * untouched, with a reason of d's own in err or err empty (val is simply
 * not d's want). */
int options_set(struct opts *o, const struct options_def *d, const char *val,
		char *err, size_t n);

/* Writes d's value in o as the settings file and options_set() read it.
 * Returns 0, or -1 when there is none to write (an empty string). */
int options_format(const struct opts *o, const struct options_def *d,
		   char *buf, size_t n);

/* d's want, with its names: "a pane (memory, ...)".  Returns buf. */
const char *options_want(const struct options_def *d, char *buf, size_t n);

/* Sets every row's default (the rest of o is left as it is). */
void options_defaults(struct opts *o);

/* Writes the option lines of --help, one or two per option. */
void options_help(FILE *f);

/* Copies the man page in to out with the lines between the OPTIONS marker
 * comments generated from the table.  Returns 0, or -1 when a marker is
 * missing or a write fails. */
int options_man(FILE *in, FILE *out);

#endif
