/* POSIX shell quoting, so a recorded command can be pasted back into sh. */
#ifndef DMABENCH_SHQUOTE_H
#define DMABENCH_SHQUOTE_H

/*
 * Joins argv with single blanks.  A word made only of [A-Za-z0-9_@%+=:,./-]
 * is kept as is; any other word (including the empty one) is wrapped in
 * single quotes, an embedded ' becoming '\''.  Returns malloc'ed text or
 * NULL when out of memory.
 */
char *shquote_argv(int argc, char *const argv[]);

#endif
