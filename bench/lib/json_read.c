#include "json.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_FILE (64u << 20)

struct parser {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct parser *p, const char *fmt, ...)
{
	size_t line = 1, col = 1, i, n;
	va_list ap;

	if (p->failed)
		return;	/* keep the first, innermost message */
	p->failed = 1;
	if (!p->err || p->errlen == 0)
		return;
	for (i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(p->err, p->errlen, "byte %zu (line %zu, column %zu): ", p->pos, line, col);
	n = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int peek(struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static struct jval *new_val(struct parser *p, enum jtype t)
{
	struct jval *v = calloc(1, sizeof(*v));

	if (!v)
		fail(p, "out of memory");
	else
		v->type = t;
	return v;
}

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) {
		fail(p, "invalid literal (expected %s)", word);
		return -1;
	}
	p->pos += n;
	return 0;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static struct jval *parse_number(struct parser *p)
{
	size_t start = p->pos;
	int integral = 1;
	char buf[64], *end;
	struct jval *v;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (is_digit(peek(p))) {
			fail(p, "leading zero in number");
			return NULL;
		}
	} else if (is_digit(peek(p))) {
		while (is_digit(peek(p)))
			p->pos++;
	} else {
		fail(p, "invalid number");
		return NULL;
	}
	if (peek(p) == '.') {
		integral = 0;
		p->pos++;
		if (!is_digit(peek(p))) {
			fail(p, "digit expected after decimal point");
			return NULL;
		}
		while (is_digit(peek(p)))
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		integral = 0;
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!is_digit(peek(p))) {
			fail(p, "digit expected in exponent");
			return NULL;
		}
		while (is_digit(peek(p)))
			p->pos++;
	}
	if (p->pos - start >= sizeof(buf)) {
		p->pos = start;
		fail(p, "number too long");
		return NULL;
	}
	memcpy(buf, p->s + start, p->pos - start);
	buf[p->pos - start] = '\0';
	v = new_val(p, J_NUMBER);
	if (!v)
		return NULL;
	errno = 0;
	v->num = strtod(buf, &end);
	if (errno == ERANGE && isinf(v->num)) {
		free(v);
		p->pos = start;
		fail(p, "number out of range");
		return NULL;
	}
	if (integral) {
		errno = 0;
		v->inum = strtoll(buf, &end, 10);
		v->is_int = errno == 0;
	}
	return v;
}

static int hex4(struct parser *p, unsigned int *out)
{
	unsigned int v = 0;
	int i;

	if (p->len - p->pos < 4) {
		fail(p, "truncated \\u escape");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		char c = p->s[p->pos + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned int)(c - 'A' + 10);
		else {
			fail(p, "invalid hex digit in \\u escape");
			return -1;
		}
	}
	p->pos += 4;
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Validates one raw UTF-8 sequence at p->pos; returns its length or 0. */
static size_t raw_utf8(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->s + p->pos;
	size_t avail = p->len - p->pos, n, i;
	unsigned int cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* Parses a string at p->pos (which is '"'); returns a malloc'ed copy. */
static char *parse_string_raw(struct parser *p, size_t *outlen)
{
	size_t cap = 16, n = 0;
	char *o = malloc(cap);

	if (!o) {
		fail(p, "out of memory");
		return NULL;
	}
	p->pos++;	/* opening quote */
	for (;;) {
		int c = peek(p);

		if (n + 5 > cap) {
			char *t = realloc(o, cap * 2);

			if (!t) {
				fail(p, "out of memory");
				goto bad;
			}
			o = t;
			cap *= 2;
		}
		if (c < 0) {
			fail(p, "unterminated string");
			goto bad;
		}
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			fail(p, "raw control character in string");
			goto bad;
		}
		if (c == '\\') {
			unsigned int cp;

			p->pos++;
			c = peek(p);
			p->pos++;
			switch (c) {
			case '"': o[n++] = '"'; continue;
			case '\\': o[n++] = '\\'; continue;
			case '/': o[n++] = '/'; continue;
			case 'b': o[n++] = '\b'; continue;
			case 'f': o[n++] = '\f'; continue;
			case 'n': o[n++] = '\n'; continue;
			case 'r': o[n++] = '\r'; continue;
			case 't': o[n++] = '\t'; continue;
			case 'u':
				break;
			default:
				p->pos--;
				fail(p, "invalid escape");
				goto bad;
			}
			if (hex4(p, &cp))
				goto bad;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(p, "lone low surrogate in \\u escape");
				goto bad;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				unsigned int lo;

				if (p->len - p->pos < 2 || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u') {
					fail(p, "high surrogate without low surrogate");
					goto bad;
				}
				p->pos += 2;
				if (hex4(p, &lo))
					goto bad;
				if (lo < 0xdc00 || lo > 0xdfff) {
					fail(p, "high surrogate without low surrogate");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			n += put_utf8(o + n, cp);
			continue;
		}
		if (c < 0x80) {
			o[n++] = (char)c;
			p->pos++;
		} else {
			size_t k = raw_utf8(p);

			if (k == 0) {
				fail(p, "invalid UTF-8 in string");
				goto bad;
			}
			memcpy(o + n, p->s + p->pos, k);
			n += k;
			p->pos += k;
		}
	}
	o[n] = '\0';
	*outlen = n;
	return o;
bad:
	free(o);
	return NULL;
}

static struct jval *parse_value(struct parser *p, int depth);

static struct jval *parse_array(struct parser *p, int depth)
{
	struct jval *v = new_val(p, J_ARRAY);
	size_t cap = 0;

	if (!v)
		return NULL;
	p->pos++;	/* [ */
	skip_ws(p);
	if (peek(p) == ']') {
		p->pos++;
		return v;
	}
	for (;;) {
		struct jval *item;

		skip_ws(p);
		item = parse_value(p, depth);
		if (!item)
			goto bad;
		if (v->len == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct jval **t = realloc(v->items, nc * sizeof(*t));

			if (!t) {
				json_free(item);
				fail(p, "out of memory");
				goto bad;
			}
			v->items = t;
			cap = nc;
		}
		v->items[v->len++] = item;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == ']') {
			p->pos++;
			return v;
		}
		fail(p, "expected ',' or ']' in array");
		goto bad;
	}
bad:
	json_free(v);
	return NULL;
}

static struct jval *parse_object(struct parser *p, int depth)
{
	struct jval *v = new_val(p, J_OBJECT);
	size_t cap = 0, i;

	if (!v)
		return NULL;
	p->pos++;	/* { */
	skip_ws(p);
	if (peek(p) == '}') {
		p->pos++;
		return v;
	}
	for (;;) {
		size_t keypos, keylen;
		char *key;
		struct jval *val;

		skip_ws(p);
		if (peek(p) != '"') {
			fail(p, "expected string key in object");
			goto bad;
		}
		keypos = p->pos;
		key = parse_string_raw(p, &keylen);
		if (!key)
			goto bad;
		for (i = 0; i < v->len; i++) {
			if (strcmp(v->members[i].key, key) == 0) {
				p->pos = keypos;
				fail(p, "duplicate key \"%s\"", key);
				free(key);
				goto bad;
			}
		}
		skip_ws(p);
		if (peek(p) != ':') {
			free(key);
			fail(p, "expected ':' after key");
			goto bad;
		}
		p->pos++;
		skip_ws(p);
		val = parse_value(p, depth);
		if (!val) {
			free(key);
			goto bad;
		}
		if (v->len == cap) {
			size_t nc = cap ? cap * 2 : 4;
			struct jmember *t = realloc(v->members, nc * sizeof(*t));

			if (!t) {
				free(key);
				json_free(val);
				fail(p, "out of memory");
				goto bad;
			}
			v->members = t;
			cap = nc;
		}
		v->members[v->len].key = key;
		v->members[v->len].val = val;
		v->len++;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == '}') {
			p->pos++;
			return v;
		}
		fail(p, "expected ',' or '}' in object");
		goto bad;
	}
bad:
	json_free(v);
	return NULL;
}

/*
 * Recursion is bounded by JSON_MAX_DEPTH, so hostile input such as a
 * megabyte of '[' fails fast instead of exhausting the stack.
 */
static struct jval *parse_value(struct parser *p, int depth)
{
	struct jval *v;
	int c = peek(p);

	switch (c) {
	case '{':
	case '[':
		if (depth >= JSON_MAX_DEPTH) {
			fail(p, "nesting deeper than %d", JSON_MAX_DEPTH);
			return NULL;
		}
		return c == '{' ? parse_object(p, depth + 1) : parse_array(p, depth + 1);
	case '"':
		v = new_val(p, J_STRING);
		if (v && !(v->str = parse_string_raw(p, &v->len))) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
		return literal(p, "true") ? NULL : new_val(p, J_TRUE);
	case 'f':
		return literal(p, "false") ? NULL : new_val(p, J_FALSE);
	case 'n':
		return literal(p, "null") ? NULL : new_val(p, J_NULL);
	case -1:
		fail(p, "unexpected end of input");
		return NULL;
	default:
		if (c == '-' || is_digit(c))
			return parse_number(p);
		fail(p, "unexpected character '%c'", c >= 0x20 && c < 0x7f ? c : '?');
		return NULL;
	}
}

struct jval *json_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct parser p = { buf, len, 0, err, errlen, 0 };
	struct jval *v;

	if (err && errlen)
		err[0] = '\0';
	skip_ws(&p);
	v = parse_value(&p, 0);
	if (!v)
		return NULL;
	skip_ws(&p);
	if (p.pos != p.len) {
		fail(&p, "trailing data after JSON value");
		json_free(v);
		return NULL;
	}
	return v;
}

struct jval *json_parse_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, msg[256];
	size_t n = 0, cap = 0;
	struct jval *v;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			char *t;

			if (cap >= JSON_MAX_FILE) {
				snprintf(err, errlen, "%s: larger than %u bytes", path, JSON_MAX_FILE);
				goto bad;
			}
			cap = cap ? cap * 2 : 65536;
			t = realloc(buf, cap);
			if (!t) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto bad;
			}
			buf = t;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto bad;
	}
	fclose(f);
	v = json_parse(buf, n, msg, sizeof(msg));
	if (!v)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(buf);
	return v;
bad:
	fclose(f);
	free(buf);
	return NULL;
}

void json_free(struct jval *v)
{
	size_t i;

	if (!v)
		return;
	if (v->type == J_ARRAY) {
		for (i = 0; i < v->len; i++)
			json_free(v->items[i]);
		free(v->items);
	} else if (v->type == J_OBJECT) {
		for (i = 0; i < v->len; i++) {
			free(v->members[i].key);
			json_free(v->members[i].val);
		}
		free(v->members);
	}
	free(v->str);
	free(v);
}

const struct jval *json_get(const struct jval *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != J_OBJECT)
		return NULL;
	for (i = 0; i < obj->len; i++)
		if (strcmp(obj->members[i].key, key) == 0)
			return obj->members[i].val;
	return NULL;
}

const char *json_get_str(const struct jval *obj, const char *key)
{
	const struct jval *v = json_get(obj, key);

	return v && v->type == J_STRING ? v->str : NULL;
}

int json_get_num(const struct jval *obj, const char *key, double *out)
{
	const struct jval *v = json_get(obj, key);

	if (!v || v->type == J_NULL)
		return 0;
	if (v->type != J_NUMBER)
		return -1;
	*out = v->num;
	return 1;
}

const struct jval *json_get_array(const struct jval *obj, const char *key)
{
	const struct jval *v = json_get(obj, key);

	return v && v->type == J_ARRAY ? v : NULL;
}

const struct jval *json_get_object(const struct jval *obj, const char *key)
{
	const struct jval *v = json_get(obj, key);

	return v && v->type == J_OBJECT ? v : NULL;
}
