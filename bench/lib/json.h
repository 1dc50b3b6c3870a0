/* Minimal JSON writer (streaming) and strict reader (DOM). */
#ifndef DMABENCH_JSON_H
#define DMABENCH_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64

/* ---- writer ---- */

struct jw {
	FILE *f;
	int depth;
	int err;			/* sticky: misuse or I/O error */
	int need_comma[JSON_MAX_DEPTH + 1];
	char kind[JSON_MAX_DEPTH + 1];	/* '{' or '[' per open level */
	int after_key;
};

void jw_init(struct jw *w, FILE *f);
void jw_object_begin(struct jw *w);
void jw_object_end(struct jw *w);
void jw_array_begin(struct jw *w);
void jw_array_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* Escapes ", \ and control characters; invalid UTF-8 bytes become U+FFFD. */
void jw_string(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
void jw_uint(struct jw *w, unsigned long long v);
/* Shortest "%.Ng" that reads back to the same double; NaN/inf write null. */
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* Adds the final newline; returns 0, or -1 on misuse, unbalanced nesting or I/O error. */
int jw_finish(struct jw *w);

/* ---- reader ---- */

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jmember;

struct jval {
	enum jtype type;
	double num;		/* J_NUMBER */
	int is_int;		/* J_NUMBER written without fraction/exponent, fits int64 */
	long long inum;		/* valid when is_int */
	char *str;		/* J_STRING, NUL-terminated UTF-8 (may hold \u0000) */
	size_t len;		/* J_STRING length; J_ARRAY/J_OBJECT element count */
	struct jval **items;	/* J_ARRAY */
	struct jmember *members;	/* J_OBJECT, in file order; keys are unique */
};

struct jmember {
	char *key;
	struct jval *val;
};

/*
 * Parses exactly one JSON text (RFC 8259, no extensions).  On error returns
 * NULL and writes "byte N (line L, column C): what" to err.  Nesting deeper
 * than JSON_MAX_DEPTH and duplicate object keys are rejected.
 */
struct jval *json_parse(const char *buf, size_t len, char *err, size_t errlen);
/* Reads and parses a file of at most 64 MiB; err names the file. */
struct jval *json_parse_file(const char *path, char *err, size_t errlen);
void json_free(struct jval *v);

/* Lookups return NULL when absent or of another type. */
const struct jval *json_get(const struct jval *obj, const char *key);
const char *json_get_str(const struct jval *obj, const char *key);
/* Returns 1 and sets *out for a number, 0 for null or absent, -1 otherwise. */
int json_get_num(const struct jval *obj, const char *key, double *out);
const struct jval *json_get_array(const struct jval *obj, const char *key);
const struct jval *json_get_object(const struct jval *obj, const char *key);

#endif
