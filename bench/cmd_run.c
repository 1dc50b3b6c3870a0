/* dmabench run: measure every cell of the matrix and write result files. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "engine.h"
#include "env.h"
#include "json.h"
#include "result.h"

struct run_opts {
	const char *engine, *out, *env_file, *config;
	int dry_run;
};

/* Command-line cell options and the config keys they override. */
static const struct {
	const char *option;
	const char *key;
} cell_options[] = {
	{ "--mode", "MODES" }, { "--size", "SIZES" }, { "--threads", "THREADS" },
	{ "--seconds", "SECONDS" }, { "--repeat", "REPEAT" }, { "--dir", "DIR" },
	{ "--dma-bits", "DMA_BITS" }, { "--node", "NODE" }, { "--trans-ns", "TRANS_NS" },
	{ "--nents", "NENTS" }, { "--batch", "BATCH" }, { "--iterations", "ITERATIONS" },
	{ "--target", "TARGET" }, { "--device", "DEVICE" }, { "--bar", "BAR" },
	{ "--attrs", "ATTRS" },
};
#define NCELL_OPTIONS (sizeof(cell_options) / sizeof(cell_options[0]))

/*
 * Options are read in two passes so that a config file always sits below
 * the command line, whatever the order of the arguments.
 */
static int parse_args(int argc, char **argv, struct run_opts *o, struct bench_config *cfg)
{
	char err[512];
	const char *v;
	int i, r, pass, seconds = 0, iterations = 0;
	size_t k;

	memset(o, 0, sizeof(*o));
	config_defaults(cfg);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < argc; i++) {
			if (!strcmp(argv[i], "--dry-run")) {
				o->dry_run = 1;
				continue;
			}
			if ((r = option_value(argc, argv, &i, "--engine", &o->engine)) ||
			    (r = option_value(argc, argv, &i, "--out", &o->out)) ||
			    (r = option_value(argc, argv, &i, "--env", &o->env_file)) ||
			    (r = option_value(argc, argv, &i, "--config", &o->config))) {
				if (r < 0)
					return -1;
				continue;
			}
			for (k = 0; k < NCELL_OPTIONS; k++) {
				r = option_value(argc, argv, &i, cell_options[k].option, &v);
				if (r < 0)
					return -1;
				if (r == 0)
					continue;
				if (pass == 1 && config_set(cfg, cell_options[k].key, v, err, sizeof(err))) {
					fprintf(stderr, "dmabench: %s %s: %s\n", cell_options[k].option, v, err);
					return -1;
				}
				seconds |= pass == 0 && !strcmp(cell_options[k].key, "SECONDS");
				iterations |= pass == 0 && !strcmp(cell_options[k].key, "ITERATIONS");
				break;
			}
			if (k == NCELL_OPTIONS) {
				fprintf(stderr, "dmabench: run: unknown argument '%s' (see dmabench help)\n",
					argv[i]);
				return -1;
			}
		}
		if (pass == 0 && seconds && iterations) {
			fprintf(stderr, "dmabench: --seconds and --iterations are alternatives: give one\n");
			return -1;
		}
		if (pass == 0 && o->config && config_load(cfg, o->config, err, sizeof(err))) {
			fprintf(stderr, "dmabench: %s\n", err);
			return -1;
		}
	}
	if (o->engine && config_set(cfg, "ENGINE", o->engine, err, sizeof(err))) {
		fprintf(stderr, "dmabench: --engine: %s\n", err);
		return -1;
	}
	if (!cfg->engine[0]) {
		fprintf(stderr, "dmabench: run: no engine (--engine or ENGINE= in the config)\n");
		return -1;
	}
	if (!o->out && !o->dry_run) {
		fprintf(stderr, "dmabench: run: --out DIR is required\n");
		return -1;
	}
	return 0;
}

static void fill_cell(struct cell *c, const struct bench_config *cfg, size_t m, size_t s,
		      unsigned int nents, size_t t)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->engine, cfg->engine);
	strcpy(c->mode, cfg->modes[m]);
	c->size = cfg->sizes[s];
	c->threads = cfg->threads[t];
	c->dir = cfg->dir;
	c->dma_bits = cfg->dma_bits;
	c->node = cfg->node;
	c->seconds = cfg->seconds;
	c->repeat = cfg->repeat;
	c->trans_ns = cfg->trans_ns;
	c->nents = nents;
	c->iterations = cfg->iterations;
	c->batch = cfg->batch;
	c->target = cfg->target;
	c->has_device = cfg->has_device;
	c->domain = cfg->device_domain;
	c->bdf = cfg->device_bdf;
	c->bar_dev = cfg->bar_dev;
	c->bar = cfg->bar;
	c->attrs = cfg->attrs;
}

/* mode x size x nents (modes that take sg entries) x threads */
static int build_cells(const struct bench_config *cfg, const struct engine *eng,
		       struct cell *cells, size_t *ncells)
{
	size_t m, s, e, t, n = 0;
	char err[512], name[160];

	if (!eng->takes_nents && (cfg->nnents != 1 || cfg->nents[0] != 1)) {
		fprintf(stderr, "dmabench: NENTS: engine %s has no mode with sg entries\n", eng->name);
		return -1;
	}
	for (m = 0; m < cfg->nmodes; m++) {
		int sg = eng->takes_nents && eng->takes_nents(cfg->modes[m]);

		for (s = 0; s < cfg->nsizes; s++) {
			for (e = 0; e < (sg ? cfg->nnents : 1); e++) {
				for (t = 0; t < cfg->nthreads; t++) {
					struct cell *c = &cells[n++];

					fill_cell(c, cfg, m, s, sg ? cfg->nents[e] : 0, t);
					if (eng->check_cell(c, err, sizeof(err))) {
						result_cell_name(c, name, sizeof(name));
						fprintf(stderr, "dmabench: cell %s: %s\n", name, err);
						return -1;
					}
				}
			}
		}
	}
	*ncells = n;
	return 0;
}

static void format_duration(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm%02lds", t / 3600, t / 60 % 60, t % 60);
	else if (t >= 60)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%lds", t);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes via a temporary name so a reader never sees half a file. */
static int write_atomically(const char *dir, const char *name,
			    int (*fn)(FILE *, const void *), const void *arg)
{
	char path[1024], tmp[1100];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "dmabench: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	r = fn(f, arg);
	if (fclose(f) != 0)
		r = -1;
	if (r == 0 && rename(tmp, path) != 0)
		r = -1;
	if (r) {
		fprintf(stderr, "dmabench: cannot write %s\n", path);
		remove(tmp);
	}
	return r;
}

struct result_doc {
	const struct env *env;
	const struct result *res;
};

static int write_result_doc(FILE *f, const void *arg)
{
	const struct result_doc *d = arg;

	return result_write(f, d->env, d->res);
}

struct summary_doc {
	const struct env *env;
	const char *config;
	const struct cell *cells;
	int *status;		/* enum result_status per finished cell */
	size_t ndone;
	int complete;
};

/* The kmod keys that tell cells apart (as in the result's cell). */
static void write_summary_extended(struct jw *w, const struct cell *c)
{
	unsigned int bit;
	char buf[32];

	jw_key(w, "nents");
	if (c->nents)
		jw_uint(w, c->nents);
	else
		jw_null(w);
	jw_key(w, "node");
	jw_int(w, c->node);
	jw_key(w, "target");
	jw_string(w, config_target_name(c->target));
	jw_key(w, "device");
	config_format_pci(c->domain, c->bdf, buf, sizeof(buf));
	jw_string(w, c->has_device ? buf : NULL);
	jw_key(w, "bar");
	config_format_bar(c->bar_dev, c->bar, buf, sizeof(buf));
	jw_string(w, buf[0] ? buf : NULL);
	jw_key(w, "attrs");
	jw_array_begin(w);
	for (bit = 1; bit & CFG_ATTR_ALL; bit <<= 1)
		if (c->attrs & bit)
			jw_string(w, config_attr_name(bit));
	jw_array_end(w);
}

static int write_summary_doc(FILE *f, const void *arg)
{
	const struct summary_doc *d = arg;
	struct jw w;
	char name[128];
	size_t i;

	jw_init(&w, f);
	jw_object_begin(&w);
	jw_key(&w, "schema");
	jw_string(&w, SUMMARY_SCHEMA);
	jw_key(&w, "schema_version");
	jw_int(&w, RESULT_SCHEMA_VERSION);
	jw_key(&w, "env");
	env_write_json(&w, d->env);
	jw_key(&w, "config");
	jw_string(&w, d->config);
	jw_key(&w, "complete");
	jw_bool(&w, d->complete);
	jw_key(&w, "cells");
	jw_array_begin(&w);
	for (i = 0; i < d->ndone; i++) {
		const struct cell *c = &d->cells[i];

		result_file_name(c, name, sizeof(name));
		jw_object_begin(&w);
		jw_key(&w, "file");
		jw_string(&w, name);
		jw_key(&w, "engine");
		jw_string(&w, c->engine);
		jw_key(&w, "mode");
		jw_string(&w, c->mode);
		jw_key(&w, "size");
		jw_uint(&w, c->size);
		jw_key(&w, "threads");
		jw_uint(&w, c->threads);
		jw_key(&w, "dir");
		jw_string(&w, config_dir_name(c->dir));
		jw_key(&w, "dma_bits");
		jw_uint(&w, c->dma_bits);
		if (c->extended)
			write_summary_extended(&w, c);
		jw_key(&w, "status");
		jw_string(&w, d->status[i] == RESULT_UNSUPPORTED ? "unsupported" : "ok");
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	return jw_finish(&w);
}

/* ", batch 2, device 0000:00:03.0, BAR target:0" for extended cells */
static void plan_extras(const struct cell *c, char *buf, size_t len)
{
	char dev[32], bar[32];
	size_t n;

	buf[0] = '\0';
	if (!c->extended)
		return;
	config_format_pci(c->domain, c->bdf, dev, sizeof(dev));
	config_format_bar(c->bar_dev, c->bar, bar, sizeof(bar));
	if (c->batch)
		n = (size_t)snprintf(buf, len, ", batch %u", c->batch);
	else
		n = (size_t)snprintf(buf, len, ", batch: module default");
	if (c->target == CFG_TARGET_PCI && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", device %s",
				      c->has_device ? dev : "bound to the module");
	if (c->bar_dev != CFG_BAR_NONE && n < len)
		snprintf(buf + n, len - n, ", BAR %s", bar);
}

static void print_plan(const struct engine *eng, const struct cell *cells, size_t n)
{
	char name[160], eta[32], extras[128];
	size_t i, iter_runs = 0;
	double total = 0;

	for (i = 0; i < n; i++) {
		const struct cell *c = &cells[i];

		result_file_name(c, name, sizeof(name));
		plan_extras(c, extras, sizeof(extras));
		if (c->iterations)
			printf("%s  %s, dma_bits %u, node %d, %u x %llu iterations%s\n", name,
			       config_dir_name(c->dir), c->dma_bits, c->node, c->repeat,
			       (unsigned long long)c->iterations, extras);
		else
			printf("%s  %s, dma_bits %u, node %d, %u x %u s%s\n", name,
			       config_dir_name(c->dir), c->dma_bits, c->node, c->repeat,
			       c->seconds, extras);
		if (c->iterations)
			iter_runs += c->repeat;
		else
			total += (double)c->repeat * c->seconds;
	}
	format_duration(total, eta, sizeof(eta));
	if (iter_runs)
		printf("%zu cell%s on engine %s, %zu runs of %llu iterations (their time depends on "
		       "the mode)\n", n, n == 1 ? "" : "s", eng->name, iter_runs,
		       (unsigned long long)cells[0].iterations);
	else
		printf("%zu cell%s on engine %s, %s of measurement\n", n, n == 1 ? "" : "s",
		       eng->name, eta);
}

/*
 * Creates the result directory.  One that already holds a run is refused:
 * mixing cells of two runs would make compare read stale files.
 */
static int make_dir(const char *path)
{
	char summary[1024];
	struct stat st;

	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno != EEXIST || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "dmabench: cannot create %s: %s\n", path,
			errno == EEXIST ? "exists and is not a directory" : strerror(errno));
		return -1;
	}
	snprintf(summary, sizeof(summary), "%s/summary.json", path);
	if (stat(summary, &st) == 0) {
		fprintf(stderr, "dmabench: %s already holds a run (summary.json); "
			"choose a new --out directory\n", path);
		return -1;
	}
	return 0;
}

/* One line per finished cell, so a long run shows its numbers as it goes. */
static void print_cell_done(const char *name, const struct result *r)
{
	size_t i;

	fprintf(stderr, "dmabench: %s:", name);
	for (i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		if (isnan(m->mean))
			fprintf(stderr, " %s -", r->names[i]);
		else if (isnan(m->stddev) || m->mean == 0)
			fprintf(stderr, " %s %.0f %s", r->names[i], m->mean, r->unit);
		else
			fprintf(stderr, " %s %.0f %s ±%.1f%%", r->names[i], m->mean, r->unit,
				100.0 * m->stddev / m->mean);
		if (!isnan(m->mean) && !isnan(m->p50) && !isnan(m->p99))
			fprintf(stderr, " (p50 %.0f, p99 %.0f)", m->p50, m->p99);
	}
	fputc('\n', stderr);
}

/* Runs one cell repeat times into res; EXIT_OK (also when unsupported) or EXIT_FAIL. */
static int measure_cell(const struct engine *eng, const struct cell *c, struct result *res,
			const char *label, size_t *done_runs, size_t total_runs,
			double planned, double t0, size_t i, size_t ncells)
{
	char err[512], what[48];
	size_t k;
	int r;

	for (k = 0; k < c->repeat; k++) {
		char eta[32];
		double elapsed = now_s() - t0, left;

		/* planned time, scaled by how far reality has drifted from it */
		left = planned * (double)(total_runs - *done_runs) / (double)total_runs;
		if (*done_runs > 0)
			left = elapsed / (double)*done_runs * (double)(total_runs - *done_runs);
		if (*done_runs == 0 && planned == 0)
			snprintf(eta, sizeof(eta), "?");
		else
			format_duration(left, eta, sizeof(eta));
		if (c->iterations)
			snprintf(what, sizeof(what), "%llu iterations", (unsigned long long)c->iterations);
		else
			snprintf(what, sizeof(what), "%u s", c->seconds);
		fprintf(stderr, "dmabench: [cell %zu/%zu, run %zu/%u] %s (%s), ETA %s\n",
			i + 1, ncells, k + 1, c->repeat, label, what, eta);
		r = eng->run_once(c, &res->runs[k], err, sizeof(err));
		if (r == ENGINE_UNSUPPORTED && k == 0) {
			/* the system cannot run this cell: recorded, not a failure */
			res->status = RESULT_UNSUPPORTED;
			snprintf(res->status_detail, sizeof(res->status_detail), "%.255s", err);
			*done_runs += c->repeat;
			return EXIT_OK;
		}
		if (r) {
			fprintf(stderr, "dmabench: %s run %zu failed: %s\n", label, k + 1, err);
			return EXIT_FAIL;
		}
		res->nruns++;
		++*done_runs;
	}
	return EXIT_OK;
}

static int measure(const struct engine *eng, const struct run_opts *o,
		   const struct env *env, const struct cell *cells, size_t ncells)
{
	struct summary_doc sum = { env, o->config, cells, NULL, 0, 0 };
	size_t total_runs = 0, done_runs = 0, i;
	double planned = 0, t0 = now_s();
	struct result *res = calloc(1, sizeof(*res));
	int rc = EXIT_OK;

	sum.status = calloc(ncells ? ncells : 1, sizeof(*sum.status));
	if (!res || !sum.status) {
		fprintf(stderr, "dmabench: out of memory\n");
		free(res);
		free(sum.status);
		return EXIT_FAIL;
	}
	for (i = 0; i < ncells; i++) {
		total_runs += cells[i].repeat;
		if (!cells[i].iterations)
			planned += (double)cells[i].repeat * cells[i].seconds;
	}
	for (i = 0; i < ncells && rc == EXIT_OK; i++) {
		const struct cell *c = &cells[i];
		struct result_doc doc = { env, res };
		char name[160], label[160];

		memset(res, 0, sizeof(*res));
		res->cell = *c;
		eng->describe(res);
		result_file_name(c, name, sizeof(name));
		result_cell_name(c, label, sizeof(label));
		rc = measure_cell(eng, c, res, label, &done_runs, total_runs, planned, t0, i, ncells);
		if (rc == EXIT_OK && result_merge_hists(res)) {
			fprintf(stderr, "dmabench: %s: the runs' histograms do not merge\n", label);
			rc = EXIT_FAIL;
		}
		if (rc == EXIT_OK) {
			result_aggregate(res);
			if (eng->finish)
				eng->finish(res);
			if (write_atomically(o->out, name, write_result_doc, &doc))
				rc = EXIT_FAIL;
		}
		if (rc == EXIT_OK) {
			if (res->status == RESULT_UNSUPPORTED)
				fprintf(stderr, "dmabench: %s: unsupported: %s\n", name, res->status_detail);
			else
				print_cell_done(name, res);
			sum.status[sum.ndone++] = res->status;
		}
		result_free_hists(res);
	}
	sum.complete = rc == EXIT_OK;
	if (write_atomically(o->out, "summary.json", write_summary_doc, &sum))
		rc = EXIT_FAIL;
	free(sum.status);
	free(res);
	return rc;
}

static void print_warnings(const char *w)
{
	while (w && *w) {
		size_t n = strcspn(w, "\n");

		fprintf(stderr, "dmabench: warning: %.*s\n", (int)n, w);
		w += n + (w[n] == '\n');
	}
}

int cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
	struct bench_config cfg;
	struct run_opts o;
	struct env_sources src;
	struct env env;
	const struct engine *eng;
	struct cell *cells;
	size_t ncells;
	char err[512];
	int rc, r;

	if (parse_args(argc, argv, &o, &cfg))
		return EXIT_BADINPUT;
	eng = engine_find(cfg.engine);
	if (!eng) {
		fprintf(stderr, "dmabench: unknown engine '%s' (known: %s)\n", cfg.engine,
			engine_names());
		return EXIT_BADINPUT;
	}
	cells = calloc(cfg.nmodes * cfg.nsizes * cfg.nnents * cfg.nthreads, sizeof(*cells));
	if (!cells) {
		fprintf(stderr, "dmabench: out of memory\n");
		return EXIT_FAIL;
	}
	if (build_cells(&cfg, eng, cells, &ncells)) {
		free(cells);
		return EXIT_BADINPUT;
	}
	env_sources_default(&src);
	src.env_file = o.env_file;
	src.argc = full_argc;
	src.argv = full_argv;
	if (env_collect(&env, &src, err, sizeof(err))) {
		fprintf(stderr, "dmabench: %s\n", err);
		free(cells);
		return EXIT_BADINPUT;
	}
	print_warnings(env.warnings);
	if (o.dry_run) {
		print_plan(eng, cells, ncells);
		rc = EXIT_OK;
	} else if (eng->probe(err, sizeof(err))) {
		fprintf(stderr, "dmabench: engine %s is not available: %s\n", eng->name, err);
		rc = EXIT_UNAVAILABLE;
	} else if (eng->setup && (r = eng->setup(cells, ncells, err, sizeof(err))) != 0) {
		fprintf(stderr, "dmabench: engine %s%s: %s\n", eng->name,
			r == ENGINE_UNAVAILABLE ? " is not available" : "", err);
		rc = r == ENGINE_UNAVAILABLE ? EXIT_UNAVAILABLE : EXIT_BADINPUT;
	} else if (make_dir(o.out)) {
		rc = EXIT_BADINPUT;
	} else {
		rc = measure(eng, &o, &env, cells, ncells);
	}
	env_free(&env);
	free(cells);
	return rc;
}
