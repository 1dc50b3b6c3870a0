/* Tests for lib/json_write.c and lib/json_read.c. */
#include <stdlib.h>

#include "harness.h"
#include "json.h"

/* Opens a memory stream: the text lands in *buf (malloc'ed) at fclose. */
static char *capture_begin(FILE **f, char **buf, size_t *len)
{
	*f = open_memstream(buf, len);
	return *buf;
}

static void test_writer(void)
{
	struct jw w;
	FILE *f;
	char *buf = NULL;
	size_t len = 0;

	capture_begin(&f, &buf, &len);
	jw_init(&w, f);
	jw_object_begin(&w);
	jw_key(&w, "s");
	jw_string(&w, "a\"b\\c\n\t\x01\x7f é");
	jw_key(&w, "i");
	jw_int(&w, -42);
	jw_key(&w, "u");
	jw_uint(&w, 18446744073709551615ull);
	jw_key(&w, "d");
	jw_array_begin(&w);
	jw_double(&w, 0.1);
	jw_double(&w, 1.0 / 3.0);
	jw_double(&w, 300);
	jw_double(&w, NAN);
	jw_double(&w, -INFINITY);
	jw_double(&w, 1e-300);
	jw_array_end(&w);
	jw_key(&w, "e");
	jw_object_begin(&w);
	jw_object_end(&w);
	jw_key(&w, "b");
	jw_bool(&w, 1);
	jw_key(&w, "n");
	jw_string(&w, NULL);
	jw_key(&w, "bad");
	jw_string(&w, "x\xff\xc3(y");
	jw_object_end(&w);
	CHECK(jw_finish(&w) == 0, "writer: balanced document finishes");
	fclose(f);
	CHECK_STR(buf,
		  "{\n"
		  "  \"s\": \"a\\\"b\\\\c\\n\\t\\u0001\\u007f é\",\n"
		  "  \"i\": -42,\n"
		  "  \"u\": 18446744073709551615,\n"
		  "  \"d\": [\n"
		  "    0.1,\n"
		  "    0.3333333333333333,\n"
		  "    300,\n"
		  "    null,\n"
		  "    null,\n"
		  "    1e-300\n"
		  "  ],\n"
		  "  \"e\": {},\n"
		  "  \"b\": true,\n"
		  "  \"n\": null,\n"
		  "  \"bad\": \"x\\ufffd\\ufffd(y\"\n"
		  "}\n", "writer: exact output incl. escaping, doubles, null for nan/inf");
	free(buf);

	buf = NULL;
	capture_begin(&f, &buf, &len);
	jw_init(&w, f);
	jw_object_begin(&w);
	jw_int(&w, 1);	/* value without key */
	CHECK(jw_finish(&w) == -1, "writer: value without key is an error");
	fclose(f);
	free(buf);

	buf = NULL;
	capture_begin(&f, &buf, &len);
	jw_init(&w, f);
	jw_array_begin(&w);
	jw_key(&w, "k");
	CHECK(jw_finish(&w) == -1, "writer: key inside array is an error");
	fclose(f);
	free(buf);

	buf = NULL;
	capture_begin(&f, &buf, &len);
	jw_init(&w, f);
	jw_array_begin(&w);
	CHECK(jw_finish(&w) == -1, "writer: unclosed array is an error");
	fclose(f);
	free(buf);

	buf = NULL;
	capture_begin(&f, &buf, &len);
	jw_init(&w, f);
	jw_array_begin(&w);
	jw_object_end(&w);
	CHECK(jw_finish(&w) == -1, "writer: mismatched close is an error");
	fclose(f);
	free(buf);
}

static void test_roundtrip(void)
{
	const double vals[] = { 0.1, 1.0 / 3.0, 123456789.123, 5e-324, 1.7976931348623157e308, -0.5 };
	struct jw w;
	FILE *f;
	char *buf = NULL, err[200];
	size_t len = 0, i;
	struct jval *v;
	const struct jval *a;
	int exact = 1;

	capture_begin(&f, &buf, &len);
	jw_init(&w, f);
	jw_object_begin(&w);
	jw_key(&w, "vals");
	jw_array_begin(&w);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		jw_double(&w, vals[i]);
	jw_array_end(&w);
	jw_key(&w, "str");
	jw_string(&w, "tab\there \"q\" \\ /slash ünï 🙂");
	jw_key(&w, "big");
	jw_int(&w, 9007199254740993LL);	/* 2^53 + 1: not a double */
	jw_key(&w, "nul");
	jw_null(&w);
	jw_object_end(&w);
	jw_finish(&w);
	fclose(f);

	v = json_parse(buf, len, err, sizeof(err));
	CHECK(v != NULL, "round trip: writer output parses");
	if (!v) {
		printf("#   %s\n", err);
		free(buf);
		return;
	}
	a = json_get_array(v, "vals");
	CHECK(a && a->len == 6, "round trip: array length");
	for (i = 0; a && i < a->len; i++)
		if (a->items[i]->num != vals[i])
			exact = 0;
	CHECK(exact, "round trip: every double reads back bit-exact");
	CHECK_STR(json_get_str(v, "str"), "tab\there \"q\" \\ /slash ünï 🙂",
		  "round trip: string with escapes and multibyte UTF-8");
	CHECK(json_get(v, "big")->is_int && json_get(v, "big")->inum == 9007199254740993LL,
	      "round trip: 64-bit integer kept exactly");
	CHECK(json_get(v, "nul")->type == J_NULL, "round trip: null");
	CHECK(json_get(v, "missing") == NULL && json_get_str(v, "big") == NULL,
	      "lookup: absent key and wrong type give NULL");
	{
		double d = 0;

		CHECK(json_get_num(v, "nul", &d) == 0 && json_get_num(v, "str", &d) == -1 &&
		      json_get_num(v, "big", &d) == 1, "json_get_num: null 0, wrong type -1, number 1");
	}
	json_free(v);
	free(buf);
}

static void test_reader_valid(void)
{
	const char *doc = " {\"a\":[1,-0,2.5e3,1E-2,true,false,null,\"\\u00e9\\ud83d\\ude42\\/\"],\"b\":{}} \n";
	char err[200];
	struct jval *v = json_parse(doc, strlen(doc), err, sizeof(err));
	const struct jval *a;

	CHECK(v != NULL, "reader: valid document with whitespace");
	if (!v)
		return;
	a = json_get_array(v, "a");
	CHECK(a && a->len == 8, "reader: array of 8");
	CHECK(a->items[0]->is_int && a->items[0]->inum == 1, "reader: integer");
	CHECK(a->items[2]->num == 2500 && !a->items[2]->is_int, "reader: exponent number");
	CHECK(a->items[3]->num == 0.01, "reader: capital E exponent");
	CHECK(a->items[4]->type == J_TRUE && a->items[5]->type == J_FALSE &&
	      a->items[6]->type == J_NULL, "reader: literals");
	CHECK_STR(a->items[7]->str, "é🙂/", "reader: \\u escapes incl. surrogate pair");
	CHECK(json_get_object(v, "b") && json_get_object(v, "b")->len == 0, "reader: empty object");
	json_free(v);
}

struct bad_case {
	const char *doc;
	const char *err;	/* exact expected message */
};

static void test_reader_malformed(void)
{
	static const struct bad_case cases[] = {
		{ "", "byte 0 (line 1, column 1): unexpected end of input" },
		{ "{\"a\":1,}", "byte 7 (line 1, column 8): expected string key in object" },
		{ "[1,2", "byte 4 (line 1, column 5): expected ',' or ']' in array" },
		{ "[1]x", "byte 3 (line 1, column 4): trailing data after JSON value" },
		{ "{\"a\":1,\n\"a\":2}", "byte 8 (line 2, column 1): duplicate key \"a\"" },
		{ "[01]", "byte 2 (line 1, column 3): leading zero in number" },
		{ "[1.]", "byte 3 (line 1, column 4): digit expected after decimal point" },
		{ "[.5]", "byte 1 (line 1, column 2): unexpected character '.'" },
		{ "[+1]", "byte 1 (line 1, column 2): unexpected character '+'" },
		{ "[1e]", "byte 3 (line 1, column 4): digit expected in exponent" },
		{ "[1e999]", "byte 1 (line 1, column 2): number out of range" },
		{ "[NaN]", "byte 1 (line 1, column 2): unexpected character 'N'" },
		{ "[tru]", "byte 1 (line 1, column 2): invalid literal (expected true)" },
		{ "\"abc", "byte 4 (line 1, column 5): unterminated string" },
		{ "\"a\tb\"", "byte 2 (line 1, column 3): raw control character in string" },
		{ "\"\\x\"", "byte 2 (line 1, column 3): invalid escape" },
		{ "\"\\u12G4\"", "byte 3 (line 1, column 4): invalid hex digit in \\u escape" },
		{ "\"\\ud800\"", "byte 7 (line 1, column 8): high surrogate without low surrogate" },
		{ "\"\\udc00\"", "byte 7 (line 1, column 8): lone low surrogate in \\u escape" },
		{ "\"\xc3(\"", "byte 1 (line 1, column 2): invalid UTF-8 in string" },
		{ "\"\xed\xa0\x80\"", "byte 1 (line 1, column 2): invalid UTF-8 in string" },
		{ "{1:2}", "byte 1 (line 1, column 2): expected string key in object" },
		{ "{\"a\" 1}", "byte 5 (line 1, column 6): expected ':' after key" },
		{ "\xef\xbb\xbf{}", "byte 0 (line 1, column 1): unexpected character '?'" },
	};
	size_t i;
	char err[200], name[120];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jval *v = json_parse(cases[i].doc, strlen(cases[i].doc), err, sizeof(err));

		snprintf(name, sizeof(name), "malformed #%zu rejected with offset: %s", i, cases[i].err);
		if (v) {
			json_free(v);
			CHECK(0, name);
			continue;
		}
		CHECK_STR(err, cases[i].err, name);
	}
	{
		/* embedded NUL byte inside the buffer is not the end of input */
		struct jval *v = json_parse("[1]\0", 4, err, sizeof(err));

		CHECK(!v && strstr(err, "byte 3") != NULL, "NUL byte after value is trailing data");
		json_free(v);
	}
}

static void test_hostile(void)
{
	size_t n = 1000000, i;
	char *deep = malloc(n + 1), err[200];
	struct jval *v;

	for (i = 0; i < n; i++)
		deep[i] = '[';
	deep[n] = '\0';
	v = json_parse(deep, n, err, sizeof(err));
	CHECK(!v, "a million '[' is rejected without stack overflow");
	CHECK_STR(err, "byte 64 (line 1, column 65): nesting deeper than 64",
		  "depth limit message gives the offset");
	free(deep);

	{
		char ok[2 * JSON_MAX_DEPTH + 1];

		for (i = 0; i < JSON_MAX_DEPTH; i++) {
			ok[i] = '[';
			ok[2 * JSON_MAX_DEPTH - 1 - i] = ']';
		}
		ok[2 * JSON_MAX_DEPTH] = '\0';
		v = json_parse(ok, strlen(ok), err, sizeof(err));
		CHECK(v != NULL, "exactly JSON_MAX_DEPTH levels is accepted");
		json_free(v);
	}
	v = json_parse_file("/nonexistent/x.json", err, sizeof(err));
	CHECK(!v && strstr(err, "/nonexistent/x.json: No such file") == err,
	      "missing file: message names the file");
}

int main(void)
{
	test_writer();
	test_roundtrip();
	test_reader_valid();
	test_reader_malformed();
	test_hostile();
	return harness_done();
}
