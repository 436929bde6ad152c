/*
 * term.h - the terminal, owned by one module: opening and restoring it (on
 * every exit path, crashes included), colours by role, keys, and drawing
 * clipped UTF-8 text.  Nothing else includes curses.
 */
#ifndef BEAMTOP_TERM_H
#define BEAMTOP_TERM_H

#include <signal.h>
#include <stddef.h>

/* Colour roles: what a piece of text is, not which colour it gets. */
#define TERM_ROLES(X) \
	X(ROLE_NORMAL)  X(ROLE_TITLE)   X(ROLE_LABEL)   X(ROLE_VALUE)  \
	X(ROLE_DIM)     X(ROLE_TAB)     X(ROLE_TAB_ON)  X(ROLE_HEAD)   \
	X(ROLE_HEAD_SORT) X(ROLE_SELECTED) X(ROLE_NEW)  X(ROLE_WARN)   \
	X(ROLE_BAD)     X(ROLE_GOOD)    X(ROLE_KEY)     X(ROLE_KEYTEXT) \
	X(ROLE_PROC)    X(ROLE_BIN)     X(ROLE_ETS)     X(ROLE_CODE)   \
	X(ROLE_ATOM)    X(ROLE_SYS)     X(ROLE_CPU)     X(ROLE_DIRTY)  \
	X(ROLE_SPARK)   X(ROLE_PAUSED)  X(ROLE_INPUT)

#define TERM_ROLE_ENUM(r) r,
enum term_role { TERM_ROLES(TERM_ROLE_ENUM) ROLE_COUNT_ };

/* Keys beyond Unicode, so that no other module needs curses' names. */
enum term_key {
	K_NONE = -1,
	K_UP = 0x110000, K_DOWN, K_LEFT, K_RIGHT, K_PGUP, K_PGDN, K_HOME,
	K_END, K_ENTER, K_ESC, K_BACKSPACE, K_TAB, K_BTAB, K_DEL,
	K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_RESIZE
};

/* Set by the signal handlers term_open() installs. */
extern volatile sig_atomic_t term_quit_signal;
extern volatile sig_atomic_t term_resized;

/* Takes over the terminal.  Refuses (-1, one line in err) when stdin or
 * stdout is not a terminal, or the terminal cannot address the cursor
 * (TERM=dumb, unknown TERM). */
int term_open(int color, char *err, size_t errlen);

/* Gives the terminal back as it was.  Idempotent; also run at exit and
 * from the crash handlers. */
void term_close(void);

int term_rows(void);
int term_cols(void);
/* The locale can show UTF-8 (block characters for bars and sparklines). */
int term_utf8(void);

/* Starts and ends a frame: only changed cells reach the terminal. */
void term_begin(void);
void term_end(void);
/* Takes the new size after SIGWINCH. */
void term_resize(void);

/* The next key, or K_NONE at once when there is none. */
int term_getkey(void);
/* The file descriptor keys arrive on (for poll). */
int term_input_fd(void);

/* Draws UTF-8 text at (y, x) in role, at most maxcols columns wide;
 * returns the columns used.  Control characters and, in a non-UTF-8
 * locale, non-ASCII bytes are shown as '?'. */
int term_put(int y, int x, int role, const char *s, int maxcols);
/* Repeats s (one character) n times. */
void term_fill(int y, int x, int n, int role, const char *s);
/* Places the cursor (visible) at (y, x), or hides it with y < 0. */
void term_cursor(int y, int x);

#endif
