/*
 * check_main.c - runs every libcheck suite (no node needed).
 */
#include <stdlib.h>

#include "check_suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		decode_suite, collect_suite, topn_suite, window_suite, keymap_suite,
		sched_suite, format_suite, json_suite, strpool_suite, opts_suite,
		cookie_suite, layout_suite, drill_suite, dreq_suite,
		model_candidates_suite, config_suite, fields_suite, model_suite, print_suite,
	};
	SRunner *sr = srunner_create(NULL);
	size_t i;
	int failed;

	for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
