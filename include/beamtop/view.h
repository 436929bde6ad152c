/*
 * view.h - the parts of the screen around the pane: the header of meters,
 * the tab bar, the status line, the help screen, and the message shown
 * when the terminal is too small.
 */
#ifndef BEAMTOP_VIEW_H
#define BEAMTOP_VIEW_H

struct app;

#define VIEW_MIN_COLS 60
#define VIEW_MIN_ROWS 15

/* Draws the whole screen from the app's frame (no lock is held). */
void view_draw(struct app *a);

/* Rows the header takes at this width. */
int view_header_rows(const struct app *a, int cols);

#endif
