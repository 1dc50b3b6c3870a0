#include "shquote.h"

#include <stdlib.h>
#include <string.h>

static int is_safe(const char *w)
{
	if (*w == '\0')
		return 0;
	for (; *w; w++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_@%+=:,./-", *w))
			return 0;
	return 1;
}

char *shquote_argv(int argc, char *const argv[])
{
	size_t cap = 1, n = 0;
	char *out;
	int i;

	for (i = 0; i < argc; i++)
		cap += 4 * strlen(argv[i]) + 3;	/* worst case: every char is ' */
	out = malloc(cap);
	if (!out)
		return NULL;
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];

		if (i)
			out[n++] = ' ';
		if (is_safe(s)) {
			memcpy(out + n, s, strlen(s));
			n += strlen(s);
			continue;
		}
		out[n++] = '\'';
		for (; *s; s++) {
			if (*s == '\'') {
				memcpy(out + n, "'\\''", 4);
				n += 4;
			} else {
				out[n++] = *s;
			}
		}
		out[n++] = '\'';
	}
	out[n] = '\0';
	return out;
}
