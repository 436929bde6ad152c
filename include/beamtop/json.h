/*
 * json.h - a small streaming JSON writer for batch mode's --json lines.
 * Strings are escaped and always valid UTF-8 (stray bytes are written as
 * the Latin-1 characters they would be, and the decoder's C0 80 as the
 * NUL it stands for); numbers that are not finite are
 * written as null.
 */
#ifndef BEAMTOP_JSON_H
#define BEAMTOP_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

struct json {
	FILE *f;
	int depth;
	unsigned char first[JSON_DEPTH_MAX];
};

void json_begin(struct json *j, FILE *f);
/* key is the member name inside an object, NULL inside an array. */
void json_obj(struct json *j, const char *key);
void json_end_obj(struct json *j);
void json_arr(struct json *j, const char *key);
void json_end_arr(struct json *j);
void json_str(struct json *j, const char *key, const char *v);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_num(struct json *j, const char *key, double v);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);

/* Writes s as a quoted JSON string. */
void json_write_string(FILE *f, const char *s);

#endif
