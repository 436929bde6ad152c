/*
 * check_suites.h - the libcheck suites, one per test/check_<module>.c.
 */
#ifndef BEAMTOP_CHECK_SUITES_H
#define BEAMTOP_CHECK_SUITES_H

#include <check.h>

Suite *decode_suite(void);
Suite *collect_suite(void);
Suite *topn_suite(void);
Suite *window_suite(void);
Suite *keymap_suite(void);
Suite *sched_suite(void);
Suite *format_suite(void);
Suite *json_suite(void);
Suite *strpool_suite(void);
Suite *opts_suite(void);
Suite *cookie_suite(void);
Suite *layout_suite(void);
Suite *drill_suite(void);
Suite *dreq_suite(void);
Suite *model_candidates_suite(void);
Suite *config_suite(void);
Suite *fields_suite(void);
Suite *model_suite(void);
Suite *print_suite(void);

#endif
