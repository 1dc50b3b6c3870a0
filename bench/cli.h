/* Subcommands of dmabench and the exit codes they share. */
#ifndef DMABENCH_CLI_H
#define DMABENCH_CLI_H

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* run: a measurement failed; compare: regression found */
	EXIT_BADINPUT = 2,	/* usage, config, env file or result file errors */
	EXIT_UNAVAILABLE = 3,	/* run: the engine cannot run on this system */
};

int cmd_run(int argc, char **argv, int full_argc, char **full_argv);
int cmd_compare(int argc, char **argv);
int cmd_import(int argc, char **argv, int full_argc, char **full_argv);
int cmd_export(int argc, char **argv);
void usage(FILE *f);

/*
 * Matches argv[*i] against "--name VALUE" or "--name=VALUE".  Returns 1 and
 * sets *value (advancing *i past a separate value), 0 if argv[*i] is some
 * other argument, -1 if the value is missing (message already printed).
 */
int option_value(int argc, char **argv, int *i, const char *name, const char **value);

#endif
