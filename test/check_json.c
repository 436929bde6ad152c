/*
 * check_json.c - the JSON writer: structure, escaping, odd numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/json.h"
#include "check_suites.h"

/* Runs the writer into a memory stream and returns what it wrote. */
static char *capture(void (*fn)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_begin(&j, f);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc(struct json *j)
{
	json_obj(j, NULL);
	json_str(j, "s", "a\"b\\c\n\x01");
	json_u64(j, "u", 18446744073709551615ULL);
	json_num(j, "f", 1.5);
	json_num(j, "i", 3.0);
	json_num(j, "nan", NAN);
	json_bool(j, "t", 1);
	json_null(j, "n");
	json_arr(j, "a");
	json_i64(j, NULL, -1);
	json_obj(j, NULL);
	json_end_obj(j);
	json_end_arr(j);
	json_end_obj(j);
}

START_TEST(structure_and_escapes)
{
	char *out = capture(doc);

	ck_assert_str_eq(out, "{\"s\":\"a\\\"b\\\\c\\u000a\\u0001\","
			 "\"u\":18446744073709551615,\"f\":1.500,\"i\":3,"
			 "\"nan\":null,\"t\":true,\"n\":null,\"a\":[-1,{}]}");
	free(out);
}
END_TEST

static void utf8(struct json *j)
{
	/* Valid UTF-8 passes; a stray Latin-1 byte and a truncated sequence
	 * are escaped, so the line stays valid JSON. */
	json_str(j, NULL, "\xe2\x82\xac \xe9 \xe2\x82");
}

START_TEST(invalid_utf8_is_escaped)
{
	char *out = capture(utf8);

	ck_assert_str_eq(out, "\"\xe2\x82\xac \\u00e9 \\u00e2\\u0082\"");
	free(out);
}
END_TEST

static void nul(struct json *j)
{
	/* The decoder's stand-in for a NUL inside an atom. */
	json_str(j, NULL, "a\xc0\x80" "b\033");
}

START_TEST(nul_inside_a_name)
{
	char *out = capture(nul);

	ck_assert_str_eq(out, "\"a\\u0000b\\u001b\"");
	free(out);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("writer");

	tcase_add_test(tc, structure_and_escapes);
	tcase_add_test(tc, invalid_utf8_is_escaped);
	tcase_add_test(tc, nul_inside_a_name);
	suite_add_tcase(s, tc);
	return s;
}
