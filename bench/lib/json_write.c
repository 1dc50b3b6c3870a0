#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

static void indent(struct jw *w)
{
	int i;

	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/*
 * Every value goes through here: it checks that the value is allowed at
 * this point (a value inside an object needs a key first) and emits the
 * separator and indentation.
 */
static int begin_value(struct jw *w)
{
	if (w->err)
		return -1;
	if (w->depth == 0) {
		if (w->need_comma[0]) {	/* only one top-level value */
			w->err = 1;
			return -1;
		}
		w->need_comma[0] = 1;
		return 0;
	}
	if (w->kind[w->depth] == '{') {
		if (!w->after_key) {
			w->err = 1;
			return -1;
		}
		w->after_key = 0;
		return 0;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	w->need_comma[w->depth] = 1;
	indent(w);
	return 0;
}

static void open_container(struct jw *w, char kind)
{
	if (begin_value(w))
		return;
	if (w->depth >= JSON_MAX_DEPTH) {
		w->err = 1;
		return;
	}
	fputc(kind, w->f);
	w->depth++;
	w->kind[w->depth] = kind;
	w->need_comma[w->depth] = 0;
}

static void close_container(struct jw *w, char kind)
{
	int had_items;

	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth] != kind || w->after_key) {
		w->err = 1;
		return;
	}
	had_items = w->need_comma[w->depth];
	w->depth--;
	if (had_items)
		indent(w);
	fputc(kind == '{' ? '}' : ']', w->f);
}

void jw_object_begin(struct jw *w) { open_container(w, '{'); }
void jw_object_end(struct jw *w) { close_container(w, '{'); }
void jw_array_begin(struct jw *w) { open_container(w, '['); }
void jw_array_end(struct jw *w) { close_container(w, '['); }

/* Length of the valid UTF-8 sequence at s, or 0 if it is not valid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and code points past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static void write_escaped(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"': fputs("\\\"", f); s++; continue;
		case '\\': fputs("\\\\", f); s++; continue;
		case '\n': fputs("\\n", f); s++; continue;
		case '\r': fputs("\\r", f); s++; continue;
		case '\t': fputs("\\t", f); s++; continue;
		case '\b': fputs("\\b", f); s++; continue;
		case '\f': fputs("\\f", f); s++; continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			/* e.g. a Latin-1 byte in /proc/cmdline: keep the file valid */
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
	fputc('"', f);
}

void jw_key(struct jw *w, const char *key)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth] != '{' || w->after_key || !key) {
		w->err = 1;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	w->need_comma[w->depth] = 1;
	indent(w);
	write_escaped(w->f, key);
	fputs(": ", w->f);
	w->after_key = 1;
}

void jw_string(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	if (begin_value(w) == 0)
		write_escaped(w->f, s);
}

void jw_int(struct jw *w, long long v)
{
	if (begin_value(w) == 0)
		fprintf(w->f, "%lld", v);
}

void jw_uint(struct jw *w, unsigned long long v)
{
	if (begin_value(w) == 0)
		fprintf(w->f, "%llu", v);
}

void jw_double(struct jw *w, double v)
{
	char buf[40];
	int prec;

	if (isnan(v) || isinf(v)) {
		jw_null(w);
		return;
	}
	if (begin_value(w))
		return;
	/* 17 significant digits always round-trip; prefer fewer when exact */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, w->f);
}

void jw_bool(struct jw *w, int v)
{
	if (begin_value(w) == 0)
		fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w)
{
	if (begin_value(w) == 0)
		fputs("null", w->f);
}

int jw_finish(struct jw *w)
{
	if (!w->err && (w->depth != 0 || !w->need_comma[0]))
		w->err = 1;
	if (!w->err)
		fputc('\n', w->f);
	if (fflush(w->f) != 0 || ferror(w->f))
		w->err = 1;
	return w->err ? -1 : 0;
}
