/*
 * dmabench import: turns the runs of one workload cell (fio json+, perftest,
 * workloads/rdma-dmabuf outputs, one file per run) into one result file in
 * the schema of SCHEMA.md, which compare reads like any other.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "import.h"
#include "result.h"
#include "stats.h"

#define MAX_INPUT	(64u << 20)

/* Reads a whole file as a NUL-terminated string; NULL with a message. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		fprintf(stderr, "dmabench: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (n + 1 >= cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_INPUT + 1 || !(nb = realloc(buf, cap))) {
				fprintf(stderr, "dmabench: %s: larger than %u bytes or out of memory\n",
					path, MAX_INPUT);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "dmabench: %s: read error\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int write_file(const char *dir, const char *name, const struct env *e,
		      const struct result *r)
{
	char path[1024], tmp[1100];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "dmabench: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	rc = result_write(f, e, r);
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc) {
		fprintf(stderr, "dmabench: cannot write %s\n", path);
		remove(tmp);
	}
	return rc;
}

/* One line for the log: the cell and its means with run-to-run spread. */
static void print_summary(const struct result *r, const char *file)
{
	size_t i;

	printf("%s:", file);
	if (r->status == RESULT_UNSUPPORTED) {
		printf(" unsupported: %s\n", r->status_detail);
		return;
	}
	for (i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		printf(" %s %.4g %s", r->names[i], m->mean, r->units[i] ? r->units[i] : r->unit);
		if (!isnan(m->stddev) && m->mean != 0)
			printf(" ±%.1f%%", 100 * m->stddev / fabs(m->mean));
		printf(i + 1 < r->nmetrics ? "," : "");
	}
	printf(" (%zu runs)\n", r->nruns);
}

int cmd_import(int argc, char **argv, int full_argc, char **full_argv)
{
	const char *format = NULL, *out = NULL, *env_file = NULL, *v;
	const char *files[RESULT_MAX_RUNS];
	size_t nfiles = 0, i;
	struct env_sources src;
	struct result *r = NULL;
	struct env env;
	struct stat st;
	char err[512], name[256], first_name[256], path[1300];
	int f, rc = EXIT_BADINPUT, nunsupported = 0, ai, o;

	for (ai = 0; ai < argc; ai++) {
		if ((o = option_value(argc, argv, &ai, "--format", &v)) != 0) {
			if (o < 0)
				return EXIT_BADINPUT;
			format = v;
		} else if ((o = option_value(argc, argv, &ai, "--out", &v)) != 0) {
			if (o < 0)
				return EXIT_BADINPUT;
			out = v;
		} else if ((o = option_value(argc, argv, &ai, "--env", &v)) != 0) {
			if (o < 0)
				return EXIT_BADINPUT;
			env_file = v;
		} else if (argv[ai][0] == '-' && argv[ai][1]) {
			fprintf(stderr, "dmabench: import: unknown option '%s'\n", argv[ai]);
			return EXIT_BADINPUT;
		} else if (nfiles == RESULT_MAX_RUNS) {
			fprintf(stderr, "dmabench: import: at most %d runs\n", RESULT_MAX_RUNS);
			return EXIT_BADINPUT;
		} else {
			files[nfiles++] = argv[ai];
		}
	}
	if (!format || !out || !nfiles) {
		fprintf(stderr, "dmabench: import needs --format, --out and at least one run's "
			"output file\n");
		return EXIT_BADINPUT;
	}
	f = import_format_from_name(format);
	if (f < 0) {
		fprintf(stderr, "dmabench: import: unknown --format '%s' (fio perftest rdma-dmabuf)\n",
			format);
		return EXIT_BADINPUT;
	}
	if (stat(out, &st) != 0 && mkdir(out, 0755) != 0) {
		fprintf(stderr, "dmabench: %s: %s\n", out, strerror(errno));
		return EXIT_BADINPUT;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "dmabench: out of memory\n");
		return EXIT_FAIL;
	}
	first_name[0] = '\0';
	for (i = 0; i < nfiles; i++) {
		struct cell cell;
		size_t len;
		char *text = slurp(files[i], &len);
		int got;

		if (!text)
			goto out;
		got = import_run((enum import_format)f, text, len, &cell, &r->runs[r->nruns], r,
				 err, sizeof(err));
		free(text);
		if (got == IMPORT_BADINPUT || got == IMPORT_FAILED) {
			fprintf(stderr, "dmabench: %s: %s\n", files[i], err);
			rc = got == IMPORT_FAILED ? EXIT_FAIL : EXIT_BADINPUT;
			goto out;
		}
		result_cell_name(&cell, name, sizeof(name));
		if (i == 0) {
			snprintf(first_name, sizeof(first_name), "%s", name);
			r->cell = cell;
		} else if (strcmp(name, first_name) || strcmp(cell.tool, r->cell.tool)) {
			fprintf(stderr, "dmabench: %s is cell %s (%s), but %s is %s (%s): one cell "
				"per import\n", files[i], name, cell.tool, files[0], first_name,
				r->cell.tool);
			goto out;
		}
		if (got == IMPORT_UNSUPPORTED) {
			if (!nunsupported++)
				snprintf(r->status_detail, sizeof(r->status_detail), "%.250s", err);
		} else {
			r->nruns++;
		}
	}
	if (nunsupported && r->nruns) {
		fprintf(stderr, "dmabench: %d of %zu runs say unsupported, the others measured: "
			"refusing to mix them\n", nunsupported, nfiles);
		rc = EXIT_FAIL;
		goto out;
	}
	r->cell.repeat = (unsigned int)nfiles;
	r->status = nunsupported ? RESULT_UNSUPPORTED : RESULT_OK;
	if (result_merge_hists(r)) {
		fprintf(stderr, "dmabench: cannot merge the runs' histograms\n");
		rc = EXIT_FAIL;
		goto out;
	}
	result_aggregate(r);
	result_file_name(&r->cell, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", out, name);
	if (stat(path, &st) == 0) {
		fprintf(stderr, "dmabench: %s exists: one import per cell and result dir\n", path);
		goto out;
	}
	env_sources_default(&src);
	src.env_file = env_file;
	src.argc = full_argc;
	src.argv = full_argv;
	if (env_collect(&env, &src, err, sizeof(err))) {
		fprintf(stderr, "dmabench: %s\n", err);
		goto out;
	}
	if (env.warnings)
		fprintf(stderr, "%s\n", env.warnings);
	rc = write_file(out, name, &env, r) ? EXIT_FAIL : EXIT_OK;
	env_free(&env);
	if (rc == EXIT_OK)
		print_summary(r, name);
out:
	result_free_hists(r);
	free(r);
	return rc;
}
