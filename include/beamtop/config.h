/*
 * config.h - the settings file, $XDG_CONFIG_HOME/beamtop/config (or
 * ~/.config/beamtop/config): defaults for the command line, written by
 * the screen's "save settings" key.  One `name = value` per line, `#`
 * starts a comment; values are saved by name, never as numbers of enums.
 * The command line overrides the file.
 */
#ifndef BEAMTOP_CONFIG_H
#define BEAMTOP_CONFIG_H

#include <stddef.h>

struct opts;

/* Where the file is: $XDG_CONFIG_HOME/beamtop/config, else
 * $HOME/.config/beamtop/config.  Returns 0, or -1 when neither is set. */
int config_path(char *out, size_t n);

/* Applies the file at path to o (a missing file is no error).  Returns 0,
 * or -1 with "path:line: what is wrong" in err. */
int config_load(struct opts *o, const char *path, char *err, size_t errlen);

/* Writes o's settings to path, creating its directory.  Returns 0, or -1
 * with a one-line reason in err. */
int config_save(const struct opts *o, const char *path, char *err, size_t errlen);

/* Parses a column list ("pid,name,memory") into indices of the
 * processes' field table (fields_proc).  Returns the count, or -1 with err naming the
 * column that is not one. */
int config_columns(const char *spec, int *cols, int max, char *err, size_t errlen);

#endif
