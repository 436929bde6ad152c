/*
 * man_options.c - `make man-options`: copies the man page from stdin to
 * stdout with its OPTIONS section generated from the options table, so the
 * page says what --help and the settings file accept.
 */
#include <stdio.h>

#include "beamtop/options.h"

int main(void)
{
	if (options_man(stdin, stdout) < 0) {
		fputs("man_options: no '.\\\" begin options' ... '.\\\" end options' "
		      "markers in the input, or a write failed\n", stderr);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
