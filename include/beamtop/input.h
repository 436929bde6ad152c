/*
 * input.h - keys to actions, through one table.  The help screen and the
 * function-key line are generated from the same table, so they cannot
 * disagree with what the keys do.
 */
#ifndef BEAMTOP_INPUT_H
#define BEAMTOP_INPUT_H

/* Where a binding applies (a pane's bit), or everywhere. */
enum {
	IN_MEMORY = 1 << 0, IN_PROCS = 1 << 1, IN_SCHED = 1 << 2,
	IN_ETS = 1 << 3, IN_PORTS = 1 << 4,
	/* The drill-down, by what it looks into: a process (or bin_leak's
	 * report), an ETS table, a port. */
	IN_PROC = 1 << 5, IN_TABLE = 1 << 6, IN_PORT = 1 << 7,
	IN_DRILL = IN_PROC | IN_TABLE | IN_PORT,
	IN_LISTS = IN_PROCS | IN_ETS | IN_PORTS,
	IN_ALL = 0xFF
};

enum action {
	A_NONE, A_QUIT, A_HELP, A_PANE1, A_PANE2, A_PANE3, A_PANE4, A_PANE5,
	A_NEXT_PANE, A_PREV_PANE, A_UP, A_DOWN, A_PGUP, A_PGDN, A_HOME, A_END,
	A_ENTER, A_BACK, A_FILTER, A_PAUSE, A_FASTER, A_SLOWER,
	A_SORT_MEM, A_SORT_REDS, A_SORT_MQ, A_SORT_HEAP, A_SORT_LEFT,
	A_SORT_RIGHT, A_INVERT, A_GROUP, A_WINDOW, A_REDRAW, A_SORT_SIZE,
	A_SORT_GROWTH, A_SECTION, A_KILL, A_GC, A_BINLEAK, A_SAVE, A_RETRY,
	A_RAISE_CAP,
	A_COUNT_
};

struct binding {
	int key;              /* a character or an enum term_key */
	const char *label;    /* how the help shows the key */
	enum action act;
	unsigned where;       /* IN_* */
	const char *help;     /* NULL: same action as the row above, not listed */
	const char *short_help; /* for the bottom line, or NULL */
};

extern const struct binding input_bindings[];
extern const int input_nbindings;

/*
 * What beamtop(1) says of a key beyond its help line, which must fit one
 * screen row.  A row names the binding that carries the label: the first
 * with this key whose `where` meets this one.
 */
struct binding_doc {
	int key;
	unsigned where;
	const char *text;     /* plain words, no roff */
};

extern const struct binding_doc input_docs[];
extern const int input_ndocs;

/* The action of key in the pane whose bit is `where`, or A_NONE. */
enum action input_action(int key, unsigned where);

#endif
