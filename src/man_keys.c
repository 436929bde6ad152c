/*
 * man_keys.c - prints the key sections of beamtop(1) as roff, from the
 * same key table that drives the keys and the help screen (input.c), so
 * that the man page cannot drift from what the keys do.  `make man`
 * writes its output between the marker lines of man/beamtop.1, and
 * `make check-man` fails when the committed page differs from it.  Not
 * part of beamtop; it links input.o alone.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "beamtop/input.h"

/*
 * The man page's subsections, most general first: a key is listed under
 * the first whose panes it covers, and the panes it covers beyond that
 * are named after its text.  A subsection with no key is left out.
 */
static const struct group {
	unsigned where;
	const char *title;
	const char *also;     /* "in the drill-down": where else a key works */
} groups[] = {
	{ IN_ALL, "Keys everywhere", NULL },
	{ IN_LISTS, "Keys in the lists (processes, ETS, ports)", "in the lists" },
	{ IN_PROCS, "Keys in the processes pane", "in the processes pane" },
	{ IN_ETS, "Keys in the ETS pane", "in the ETS pane" },
	{ IN_PORTS, "Keys in the ports pane", "in the ports pane" },
	{ IN_MEMORY, "Keys in the memory pane", "in the memory pane" },
	{ IN_SCHED, "Keys in the schedulers pane", "in the schedulers pane" },
	{ IN_DRILL, "Keys in every drill-down", "in every drill-down" },
	{ IN_PROC, "Keys in a process's drill-down", "in a process's drill-down" },
	{ IN_TABLE, "Keys in a table's drill-down", "in a table's drill-down" },
	{ IN_PORT, "Keys in a port's drill-down", "in a port's drill-down" },
};
#define NGROUPS ((int)(sizeof groups / sizeof groups[0]))

/* Where binding i and the unlisted rows after it (its other keys) work. */
static unsigned where_of(int i)
{
	unsigned w = input_bindings[i].where;

	while (++i < input_nbindings && !input_bindings[i].help)
		w |= input_bindings[i].where;
	return w;
}

static int group_of(unsigned where)
{
	int g;

	for (g = 0; g < NGROUPS; g++)
		if ((where & groups[g].where) == groups[g].where)
			return g;
	return -1;
}

/* The docs row of binding i, or NULL. */
static const char *doc_of(int i)
{
	const struct binding *b = &input_bindings[i];
	int d;

	for (d = 0; d < input_ndocs; d++)
		if (input_docs[d].key == b->key && (input_docs[d].where & b->where))
			return input_docs[d].text;
	return NULL;
}

/* One character on a roff line; a hyphen as \- when it is a minus. */
static void put_char(char c, int minus)
{
	if (c == '\\')
		fputs("\\e", stdout);
	else if (c == '-' && minus)
		fputs("\\-", stdout);
	else
		putchar(c);
}

/*
 * A sentence on a roff line: capital first, full stop last, and a word
 * that starts with "-" (an option) with its hyphens as \- so that it can
 * be copied from the page.
 */
static void put_sentence(const char *s)
{
	const char *p;
	int option = 0;

	for (p = s; *p; p++) {
		if (isspace((unsigned char)*p))
			option = 0;
		else if (*p == '-' && (p == s || isspace((unsigned char)p[-1]) || p[-1] == '('))
			option = 1;
		put_char(p == s ? (char)toupper((unsigned char)*p) : *p, option);
	}
	if (p > s && p[-1] != '.')
		putchar('.');
	putchar('\n');
}

/* "F1 ?  h" as .BR F1 ", " ? ", " h: each key bold, commas roman. */
static void put_label(const char *label)
{
	char buf[64], *tok, *save = NULL;
	int n = 0;

	snprintf(buf, sizeof buf, "%s", label);
	fputs(strchr(buf, ' ') ? ".BR" : ".B", stdout);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		fputs(n++ ? " \", \" " : " ", stdout);
		for (; *tok; tok++)
			put_char(*tok, 1);
	}
	putchar('\n');
}

/* One .TP entry: the keys, the man page's words (else the help's), and
 * the panes beyond its subsection where the key works too. */
static void put_key(int i, int g)
{
	unsigned rest = where_of(i) & ~groups[g].where;
	const char *doc = doc_of(i);
	int h;

	puts(".TP");
	put_label(input_bindings[i].label);
	put_sentence(doc ? doc : input_bindings[i].help);
	for (h = g + 1; h < NGROUPS; h++) {
		if ((rest & groups[h].where) != groups[h].where)
			continue;
		printf("Also %s.\n", groups[h].also);
		rest &= ~groups[h].where;
	}
}

/* Every docs row must name a listed binding, or its words are lost. */
static int check_docs(void)
{
	int d, i, bad = 0;

	for (d = 0; d < input_ndocs; d++) {
		for (i = 0; i < input_nbindings; i++)
			if (input_bindings[i].help && input_bindings[i].key == input_docs[d].key &&
			    (input_bindings[i].where & input_docs[d].where))
				break;
		if (i == input_nbindings) {
			fprintf(stderr, "man_keys: input_docs[%d] names no listed key\n", d);
			bad = 1;
		}
	}
	return bad;
}

int main(void)
{
	int g, i, shown;

	if (check_docs())
		return 1;
	for (i = 0; i < input_nbindings; i++) {
		if (input_bindings[i].help && group_of(where_of(i)) < 0) {
			fprintf(stderr, "man_keys: key %s is in no subsection\n",
				input_bindings[i].label);
			return 1;
		}
	}
	for (g = 0; g < NGROUPS; g++) {
		shown = 0;
		for (i = 0; i < input_nbindings; i++) {
			if (!input_bindings[i].help || group_of(where_of(i)) != g)
				continue;
			if (!shown++)
				printf(".SS %s\n", groups[g].title);
			put_key(i, g);
		}
	}
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
