/*
 * fields.h - one table per list (processes, ETS tables, ports).  A row
 * holds every fact about one field: the names the settings file, --sort
 * and JSON know it by, its title, its widths on screen and whether batch
 * text shows it, the sort key it is, what must be read from the node for
 * it, and how a cell and a JSON value are made.  On screen a column is as
 * wide as its cells shown, within the row's minimum and maximum
 * (listview.h); batch text is as wide as its cells and never cut.  The
 * panes, batch text, JSON, the settings file and the sort keys all read
 * these tables, so a new column is one row and one formatter.
 */
#ifndef BEAMTOP_FIELDS_H
#define BEAMTOP_FIELDS_H

#include <stddef.h>

#include "beamtop/model.h"

struct json;

/* Text of row i of the current snapshot of `model` (a const struct
 * model *: the type listview's cells take); *role, an enum term_role,
 * may be changed: the screen colours by it, batch text ignores it. */
typedef void field_cell_fn(const void *model, size_t i, char *buf, size_t n,
			   int *role);
/* Adds row i's value under key to the JSON object being written. */
typedef void field_json_fn(struct json *j, const struct model *m, size_t i,
			   const char *key);

/* Where a field is in batch text: not there, a column, or the last
 * column (the rest of the line). */
enum field_text { TEXT_NO, TEXT_COL, TEXT_LAST };

struct field {
	const char *name;     /* settings and --columns name; NULL: JSON only */
	const char *key;      /* JSON key, and the sort's canonical name */
	const char *alias[3]; /* more names --sort takes */
	const char *title;    /* column title */
	int minw;             /* screen: the fewest cells it is given */
	int maxw;             /* screen: the most while others want room (0: any) */
	int flex;             /* takes a share of what is left on screen */
	int left;             /* text: left-aligned (numbers are not) */
	int middle;           /* an id: cut in the middle, never at its end */
	enum field_text text; /* batch text (the sort key's column is always) */
	int sort;             /* the list's sort key it is, or -1 */
	unsigned needs;       /* PF_* to read beyond what every refresh reads */
	int shown;            /* in the default set of screen columns */
	field_cell_fn *cell;  /* NULL: JSON only */
	field_json_fn *json;  /* NULL: not in JSON */
};

struct field_list {
	const struct field *f;
	int n;
	const char *noun;     /* "column", for messages */
};

extern const struct field_list fields_proc, fields_ets, fields_port;

/* The field that is sort key `sort`, or NULL. */
const struct field *field_of_sort(const struct field_list *l, int sort);
/* The index of the column called name (its settings name), or -1. */
int field_column(const struct field_list *l, const char *name);
/* The sort key called name (canonical name, column name or alias), or -1. */
int field_sort_parse(const struct field_list *l, const char *name);
/* The canonical name of a sort key, "?" when it is none. */
const char *field_sort_name(const struct field_list *l, int sort);
/* Writes the column names of l, comma-separated, into buf. */
char *field_names(const struct field_list *l, char *buf, size_t n);

/* Parses "name,name,..." into indices of l's columns (at most max).
 * Returns how many, or -1 with err filled (an unknown name, none). */
int field_columns(const struct field_list *l, const char *spec, int *cols,
		  int max, char *err, size_t errlen);
/* The default columns of l, as field_columns() would give them. */
int field_default_columns(const struct field_list *l, int *cols, int max);

/* The processes' sort keys by name (field_sort_parse() and friends on
 * fields_proc), and what each needs read (PF_*). */
const char *proc_sort_name(enum proc_sort s);
int proc_sort_parse(const char *name);
unsigned proc_sort_needs(enum proc_sort s);

/* A process as the lists show an owner: its registered name, else its pid
 * written into buf. */
const char *field_pid_label(const struct model *m, const struct bt_pid *pid,
			    char *buf, size_t n);

/* What a rate counts, for how it is written: a count per second, bytes
 * of traffic, or bytes of growth (a warning when positive). */
enum rate_kind { RATE_COUNT, RATE_TRAFFIC, RATE_GROWTH };

/* Shared cells and JSON writers (fields.c). */
void field_rate_text(const struct model *m, int is_new, int stale, double v,
		     enum rate_kind kind, char *buf, size_t n, int *role);
void field_json_rate(struct json *j, const char *key, double v, int known);

#endif
