/*
 * term.c - the terminal (see term.h).
 *
 * newterm() rather than initscr(): initscr() exits the process on a bad
 * TERM, newterm() lets us say why in one line.  The crash handlers restore
 * the terminal and then die by the same signal, so that a crash never
 * leaves the user's shell in raw mode.
 */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "beamtop/layout.h"
#include "beamtop/term.h"

volatile sig_atomic_t term_quit_signal;
volatile sig_atomic_t term_resized;

static SCREEN *screen;
static int is_open;
static int utf8;
static int has_color;
static attr_t role_attr[ROLE_COUNT_];

static void on_quit(int sig)
{
	term_quit_signal = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	term_resized = 1;
}

static void on_crash(int sig)
{
	/* Not async-signal-safe, but the process is going down anyway and a
	 * raw terminal is worse than the small risk. */
	if (is_open) {
		endwin();
		is_open = 0;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void at_exit(void)
{
	term_close();
}

/* Colour pairs per role: foreground, background, attributes. */
static void setup_roles(int color)
{
	static const struct { short fg, bg; attr_t a; attr_t mono; } r[ROLE_COUNT_] = {
		[ROLE_NORMAL] = { -1, -1, 0, 0 },
		[ROLE_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
		[ROLE_LABEL] = { COLOR_CYAN, -1, 0, 0 },
		[ROLE_VALUE] = { -1, -1, A_BOLD, A_BOLD },
		[ROLE_DIM] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
		[ROLE_TAB] = { -1, -1, 0, 0 },
		[ROLE_TAB_ON] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		[ROLE_HEAD] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
		[ROLE_HEAD_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
		[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		[ROLE_NEW] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
		[ROLE_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
		[ROLE_BAD] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE },
		[ROLE_GOOD] = { COLOR_GREEN, -1, 0, 0 },
		[ROLE_KEY] = { -1, -1, A_BOLD, A_BOLD },
		[ROLE_KEYTEXT] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
		[ROLE_PROC] = { COLOR_GREEN, -1, 0, 0 },
		[ROLE_BIN] = { COLOR_RED, -1, A_BOLD, A_BOLD },
		[ROLE_ETS] = { COLOR_YELLOW, -1, A_BOLD, 0 },
		[ROLE_CODE] = { COLOR_BLUE, -1, A_BOLD, 0 },
		[ROLE_ATOM] = { COLOR_MAGENTA, -1, 0, 0 },
		[ROLE_SYS] = { COLOR_CYAN, -1, 0, 0 },
		[ROLE_CPU] = { COLOR_GREEN, -1, 0, 0 },
		[ROLE_DIRTY] = { COLOR_MAGENTA, -1, 0, 0 },
		[ROLE_SPARK] = { COLOR_CYAN, -1, 0, 0 },
		[ROLE_PAUSED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
		[ROLE_INPUT] = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	};
	int i;

	has_color = color && has_colors();
	if (has_color) {
		start_color();
		use_default_colors();
	}
	for (i = 0; i < ROLE_COUNT_; i++) {
		if (has_color && (r[i].fg != -1 || r[i].bg != -1)) {
			init_pair((short)(i + 1), r[i].fg, r[i].bg);
			role_attr[i] = COLOR_PAIR(i + 1) | r[i].a;
		} else {
			role_attr[i] = has_color ? r[i].a : r[i].mono;
		}
	}
}

/* Quit, resize, and the crashes after which the terminal must still be
 * given back. */
static void install_signals(void)
{
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
}

int term_open(int color, char *err, size_t errlen)
{
	const char *t = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the screen needs a terminal on stdin and "
			 "stdout: use -b for batch output");
		return -1;
	}
	if (!t || !*t || strcmp(t, "dumb") == 0) {
		snprintf(err, errlen, "TERM is %s: the screen needs a terminal that "
			 "can move the cursor (use -b for batch output)",
			 t && *t ? "dumb" : "not set");
		return -1;
	}
	setlocale(LC_ALL, "");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	layout_set_utf8(utf8);
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		snprintf(err, errlen, "cannot use terminal type '%s' (no terminfo "
			 "entry?): use -b for batch output", t);
		return -1;
	}
	if (!cursor_address) {
		endwin();
		delscreen(screen);
		screen = NULL;
		snprintf(err, errlen, "terminal type '%s' cannot move the cursor: use "
			 "-b for batch output", t);
		return -1;
	}
	is_open = 1;
	atexit(at_exit);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc alone must not wait a second for a sequence that never comes. */
	set_escdelay(25);
	curs_set(0);
	setup_roles(color);
	install_signals();
	return 0;
}

void term_close(void)
{
	if (!is_open)
		return;
	is_open = 0;
	curs_set(1);
	endwin();
	fflush(stdout);
	delscreen(screen);
	screen = NULL;
}

int term_rows(void)
{
	return LINES;
}

int term_cols(void)
{
	return COLS;
}

int term_utf8(void)
{
	return utf8;
}

void term_begin(void)
{
	erase();
}

void term_end(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}

void term_resize(void)
{
	/* Let curses learn the new size, then redraw everything once. */
	endwin();
	refresh();
	clearok(curscr, TRUE);
	term_resized = 0;
}

int term_input_fd(void)
{
	return STDIN_FILENO;
}

int term_getkey(void)
{
	int ch = getch();

	switch (ch) {
	case ERR: return K_NONE;
	case KEY_UP: return K_UP;
	case KEY_DOWN: return K_DOWN;
	case KEY_LEFT: return K_LEFT;
	case KEY_RIGHT: return K_RIGHT;
	case KEY_PPAGE: return K_PGUP;
	case KEY_NPAGE: return K_PGDN;
	case KEY_HOME: case KEY_FIND: return K_HOME;
	case KEY_END: case KEY_SELECT: return K_END;
	case KEY_ENTER: case '\r': case '\n': return K_ENTER;
	case 27: return K_ESC;
	case KEY_BACKSPACE: case 127: case 8: return K_BACKSPACE;
	case '\t': return K_TAB;
	case KEY_BTAB: return K_BTAB;
	case KEY_DC: return K_DEL;
	case KEY_RESIZE: return K_RESIZE;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(10))
			return K_F1 + (ch - KEY_F(1));
		if (ch >= KEY_MIN)
			return K_NONE;
		return ch;
	}
}

int term_put(int y, int x, int role, const char *s, int maxcols)
{
	char buf[1024];
	int cols;

	if (maxcols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxcols > COLS)
		maxcols = COLS - x;
	text_clean(s, maxcols, &cols, buf, sizeof buf);
	attrset(role_attr[role]);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	return cols;
}

void term_fill(int y, int x, int n, int role, const char *s)
{
	int i;

	if (y < 0 || y >= LINES)
		return;
	attrset(role_attr[role]);
	for (i = 0; i < n && x + i < COLS; i++)
		mvaddstr(y, x + i, s);
	attrset(A_NORMAL);
}

void term_cursor(int y, int x)
{
	if (y < 0) {
		curs_set(0);
		return;
	}
	move(y, x);
	curs_set(1);
}
