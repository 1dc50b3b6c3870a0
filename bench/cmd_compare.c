/* dmabench compare: A/B table of two result sets, LKP/mmtests style. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "result.h"
#include "stats.h"

struct side {
	const char *path;
	struct loaded_result *r;
	size_t n;
};

static int is_result_name(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && !strcmp(de->d_name + n - 5, ".json") &&
	       strcmp(de->d_name, "summary.json") != 0 && de->d_name[0] != '.';
}

/* Orders the cell fields beyond engine, mode, size, threads, dir, dma_bits. */
static int cmp_more(const struct cell *a, const struct cell *b)
{
#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMP(extended);
	CMP(node);
	CMP(target);
	CMP(has_device);
	CMP(domain);
	CMP(bdf);
	CMP(bar_dev);
	CMP(bar);
	CMP(attrs);
#undef CMP
	return 0;
}

/* Every parameter of the cell: kmod cells also by nents, target, device, BAR, attrs. */
static int same_cell(const struct loaded_result *a, const struct loaded_result *b)
{
	return !strcmp(a->engine, b->engine) && !strcmp(a->mode, b->mode) &&
	       a->size == b->size && a->threads == b->threads && !strcmp(a->dir, b->dir) &&
	       a->dma_bits == b->dma_bits && a->cell.nents == b->cell.nents &&
	       cmp_more(&a->cell, &b->cell) == 0;
}

static int cmp_cell(const void *pa, const void *pb)
{
	const struct loaded_result *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->engine, b->engine)) || (c = strcmp(a->mode, b->mode)))
		return c;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (a->cell.nents != b->cell.nents)
		return a->cell.nents < b->cell.nents ? -1 : 1;
	if (a->threads != b->threads)
		return a->threads < b->threads ? -1 : 1;
	if ((c = strcmp(a->dir, b->dir)))
		return c;
	if (a->dma_bits != b->dma_bits)
		return (int)a->dma_bits - (int)b->dma_bits;
	return cmp_more(&a->cell, &b->cell);
}

static void cell_label(const struct loaded_result *r, char *buf, size_t len)
{
	char size[32], dev[32];
	size_t n;

	if (r->cell.extended) {
		/* the cell's name says it all but the device */
		result_cell_name(&r->cell, buf, len);
		n = strlen(buf);
		config_format_pci(r->cell.domain, r->cell.bdf, dev, sizeof(dev));
		if (r->cell.has_device)
			snprintf(buf + n, len - n, " %s", dev);
		return;
	}
	config_format_size(r->size, size, sizeof(size));
	snprintf(buf, len, "%s-%s-%s-t%u %s/%u", r->engine, r->mode, size, r->threads,
		 r->dir, r->dma_bits);
}

/* Loads a result file, or every result file of a directory (not summary.json). */
static int load_side(const char *path, struct side *s)
{
	struct dirent **list = NULL;
	struct stat st;
	char err[600], file[1024], a[160];
	int n = 1, i, rc = -1;
	size_t j;

	s->path = path;
	s->n = 0;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "dmabench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		n = scandir(path, &list, is_result_name, alphasort);
		if (n < 0) {
			fprintf(stderr, "dmabench: %s: %s\n", path, strerror(errno));
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "dmabench: %s: no result files (*.json)\n", path);
			free(list);
			return -1;
		}
	}
	s->r = calloc((size_t)n, sizeof(*s->r));
	if (!s->r) {
		fprintf(stderr, "dmabench: out of memory\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (list)
			snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
		else
			snprintf(file, sizeof(file), "%s", path);
		if (result_read(file, &s->r[s->n], err, sizeof(err))) {
			fprintf(stderr, "dmabench: %s\n", err);
			goto out;
		}
		for (j = 0; j < s->n; j++) {
			if (same_cell(&s->r[j], &s->r[s->n])) {
				cell_label(&s->r[j], a, sizeof(a));
				fprintf(stderr, "dmabench: %s and %s hold the same cell %s\n",
					s->r[j].path, file, a);
				result_loaded_free(&s->r[s->n]);
				goto out;
			}
		}
		s->n++;
	}
	qsort(s->r, s->n, sizeof(*s->r), cmp_cell);
	rc = 0;
out:
	for (i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

static void free_side(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		result_loaded_free(&s->r[i]);
	free(s->r);
}

static const char *env_or(const struct side *s, enum env_key k)
{
	return s->n && s->r[0].env[k] ? s->r[0].env[k] : "?";
}

static void describe_side(const char *label, const struct side *s)
{
	printf("%-8s %s: kernel %s, tree %s, iommu %s, platform %s", label, s->path,
	       env_or(s, ENV_KERNEL), env_or(s, ENV_TREE), env_or(s, ENV_IOMMU_MODE),
	       env_or(s, ENV_PLATFORM));
	if (s->n && s->r[0].env[ENV_ACCEL])
		printf(", accel %s", s->r[0].env[ENV_ACCEL]);
	if (s->n && s->r[0].env[ENV_ICOUNT])
		printf(", icount %s", s->r[0].env[ENV_ICOUNT]);
	printf("\n");
}

/* A/B only means something if the machine and boot setup are the same. */
static void warn_env_differences(const struct side *a, const struct side *b)
{
	static const enum env_key keys[] = {
		ENV_PLATFORM, ENV_ACCEL, ENV_ICOUNT, ENV_CPU, ENV_IOMMU_MODE, ENV_SWIOTLB_FORCE
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *x = env_or(a, keys[i]), *y = env_or(b, keys[i]);

		if (strcmp(x, y) != 0)
			fprintf(stderr, "dmabench: warning: base and patched differ in %s (%s vs %s): "
				"not a like-for-like comparison\n", env_key_name(keys[i]), x, y);
	}
}

static const struct loaded_metric *find_metric(const struct loaded_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nmetrics; i++)
		if (!strcmp(r->m[i].name, name))
			return &r->m[i];
	return NULL;
}

static const struct loaded_result *match(const struct side *s, const struct loaded_result *c)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (same_cell(&s->r[i], c))
			return &s->r[i];
	return NULL;
}

/* One mean comparison that --threshold judges: cell index in base, metric. */
struct judged {
	size_t cell;
	const char *metric;
	double p, p_holm;
};

struct table_state {
	double threshold;	/* NAN: no threshold */
	struct judged *fam;	/* the family of tests --threshold judges */
	size_t nfam;
	int regressions;
	int any_unknown_direction;
	double resolution;	/* largest resolution seen, for the footer */
	int percentile_tables;	/* p50/p99 tables printed */
};

/* What a table compares: the run means, or the runs' own p50 or p99. */
enum table_stat { STAT_MEAN, STAT_P50, STAT_P99 };

static const double *stat_values(const struct loaded_metric *m, enum table_stat st, size_t *n)
{
	*n = st == STAT_MEAN ? m->nruns : st == STAT_P50 ? m->np50 : m->np99;
	return st == STAT_MEAN ? m->run_means : st == STAT_P50 ? m->run_p50 : m->run_p99;
}

/*
 * The pair of metrics of a row: both cells measured (not unsupported) and
 * both with values of the statistic; else NULL.
 */
static const struct loaded_metric *row_metrics(const struct side *b, const struct loaded_result *ra,
					       const char *name, enum table_stat st,
					       const struct loaded_metric **mb)
{
	const struct loaded_result *rb = match(b, ra);
	const struct loaded_metric *ma = find_metric(ra, name);
	size_t na = 0, nb = 0;

	*mb = rb ? find_metric(rb, name) : NULL;
	if (!ma || !*mb || ra->unsupported || rb->unsupported)
		return NULL;
	stat_values(ma, st, &na);
	stat_values(*mb, st, &nb);
	if (st != STAT_MEAN && (na == 0 || nb == 0))
		return NULL;	/* a side without percentiles, e.g. inkernel */
	return ma;
}

static int cmp_judged(const void *pa, const void *pb)
{
	const struct judged *a = pa, *b = pb;

	return a->p < b->p ? -1 : a->p > b->p;
}

/*
 * The family --threshold judges: every mean comparison with a known
 * direction that Welch's test can judge, over all metrics.  Holm's
 * step-down adjustment keeps the chance of any false regression in the
 * family at 5 %: sorted p(1) <= ... <= p(m), adjusted p(k) = max over
 * j <= k of min(1, (m - j + 1) p(j)).  Hundreds of cells tested at
 * p < 0.05 each would otherwise flag several by chance in an A/A run.
 */
static int build_family(const struct side *a, const struct side *b, char names[][RESULT_NAME_MAX],
			size_t nnames, struct table_state *ts)
{
	const struct loaded_metric *ma, *mb;
	struct welch w;
	double run = 0;
	size_t i, k, m = 0;

	ts->fam = calloc(a->n * nnames + 1, sizeof(*ts->fam));
	if (!ts->fam) {
		fprintf(stderr, "dmabench: out of memory\n");
		return -1;
	}
	for (k = 0; k < nnames; k++) {
		for (i = 0; i < a->n; i++) {
			ma = row_metrics(b, &a->r[i], names[k], STAT_MEAN, &mb);
			if (!ma || ma->lower_is_better < 0 || mb->lower_is_better != ma->lower_is_better)
				continue;
			stats_welch(ma->run_means, ma->nruns, mb->run_means, mb->nruns, &w);
			if (!w.testable || isnan(w.p))
				continue;
			ts->fam[m].cell = i;
			ts->fam[m].metric = names[k];
			ts->fam[m].p = w.p;
			m++;
		}
	}
	qsort(ts->fam, m, sizeof(*ts->fam), cmp_judged);
	for (i = 0; i < m; i++) {
		double adj = (double)(m - i) * ts->fam[i].p;

		run = adj > run ? adj : run;
		ts->fam[i].p_holm = run < 1 ? run : 1;
	}
	ts->nfam = m;
	return 0;
}

/* The Holm-adjusted p of a cell's metric; NAN if it is not in the family. */
static double holm_p(const struct table_state *ts, size_t cell, const char *metric)
{
	size_t i;

	for (i = 0; i < ts->nfam; i++)
		if (ts->fam[i].cell == cell && !strcmp(ts->fam[i].metric, metric))
			return ts->fam[i].p_holm;
	return NAN;
}

static void print_metric_table(const char *name, const struct side *a, const struct side *b,
			       enum table_stat st, struct table_state *ts)
{
	const struct loaded_metric *first = NULL, *mb;
	char line[256], label[160], runs[32], ci[64];
	size_t i;

	for (i = 0; i < a->n && !first; i++)
		first = row_metrics(b, &a->r[i], name, st, &mb);
	if (!first)
		return;
	if (st == STAT_MEAN)
		printf("\n%s, %s%s (%s is better)\n", name, first->unit,
		       strcmp(first->unit, "ns") ? "" : " per operation",
		       first->lower_is_better == 1 ? "lower" : first->lower_is_better == 0 ? "higher" :
		       "unknown which");
	else
		printf("\n%s %s, %s%s (%s is better; mean of the runs' %s)\n", name,
		       st == STAT_P50 ? "p50" : "p99", first->unit,
		       strcmp(first->unit, "ns") ? "" : " per operation",
		       first->lower_is_better == 1 ? "lower" : first->lower_is_better == 0 ? "higher" :
		       "unknown which", st == STAT_P50 ? "p50s" : "p99s");
	/* "±" is two bytes: %8s gives it the 7 columns of " ±" + "%6s" in the rows */
	printf("%10s %8s  %8s  %10s %8s  %-3s%5s  %-17s %s\n", "base", "±sd%", "%change",
	       "patched", "±sd%", "sig", "runs", "95% CI", "cell");
	for (i = 0; i < a->n; i++) {
		const struct loaded_result *ra = &a->r[i];
		const struct loaded_metric *ma = row_metrics(b, ra, name, st, &mb);
		const double *va, *vb;
		size_t na, nb;
		struct welch w;
		int worse, lower;
		double padj;

		if (!ma)
			continue;
		va = stat_values(ma, st, &na);
		vb = stat_values(mb, st, &nb);
		stats_welch(va, na, vb, nb, &w);
		stats_format_lkp(line, sizeof(line), &w);
		snprintf(runs, sizeof(runs), "%zu/%zu", na, nb);
		if (isnan(w.pct_lo))
			snprintf(ci, sizeof(ci), "-");
		else
			snprintf(ci, sizeof(ci), "[%+.1f%%, %+.1f%%]", w.pct_lo, w.pct_hi);
		cell_label(ra, label, sizeof(label));
		/* the line holds two 2-byte '±': 54 bytes pad it to 52 columns */
		printf("%-54s %5s  %-17s %s\n", line, runs, ci, label);

		if (st != STAT_MEAN) {
			ts->percentile_tables = 1;
			continue;	/* --threshold judges the means only */
		}
		if (!isnan(ma->resolution_ns) && !(ma->resolution_ns <= ts->resolution))
			ts->resolution = ma->resolution_ns;
		lower = ma->lower_is_better;
		if (lower < 0 || mb->lower_is_better != lower) {
			ts->any_unknown_direction = 1;
			continue;
		}
		worse = lower ? w.pct > ts->threshold : -w.pct > ts->threshold;
		padj = holm_p(ts, i, name);
		if (!isnan(ts->threshold) && !isnan(w.pct) && worse && w.testable && padj < 0.05) {
			ts->regressions++;
			printf("  ^ regression: %s %s %+.1f%% (p = %.3g, Holm-adjusted %.3g of %zu "
			       "tests) exceeds %g%%\n", label, name, w.pct, w.p, padj, ts->nfam,
			       ts->threshold);
		}
	}
}

/* Cells a side could not run at all ("status": "unsupported"). */
static void print_unsupported(const char *label, const struct side *x)
{
	char cell[160];
	size_t i;

	for (i = 0; i < x->n; i++) {
		if (!x->r[i].unsupported)
			continue;
		cell_label(&x->r[i], cell, sizeof(cell));
		printf("unsupported in %s: %s (%s)\n", label, cell,
		       x->r[i].status_detail[0] ? x->r[i].status_detail : "no reason given");
	}
}

static void print_unmatched(const char *label, const struct side *x, const struct side *y)
{
	char cell[160];
	size_t i;

	for (i = 0; i < x->n; i++) {
		if (match(y, &x->r[i]))
			continue;
		cell_label(&x->r[i], cell, sizeof(cell));
		printf("only in %s: %s (%s)\n", label, cell, x->r[i].path);
	}
}

/* The env file says "icount=off" for a boot without -icount. */
static int icount_on(const struct side *s)
{
	return s->n && s->r[0].env[ENV_ICOUNT] && strcmp(s->r[0].env[ENV_ICOUNT], "off") != 0;
}

static void print_footer(const struct side *a, const struct side *b, const struct table_state *ts)
{
	printf("\nsig: Welch's two-sided t-test on the per-run means (unequal variances,\n"
	       "  Welch-Satterthwaite df): ** p < 0.01, * p < 0.05, blank not significant,\n"
	       "  - not testable (fewer than 2 runs on a side, or no spread at all).\n"
	       "±sd%%: run-to-run sample standard deviation of the run means, relative to the mean.\n"
	       "95%% CI: Welch interval of the difference of means, relative to the base mean.\n");
	if (!isnan(ts->threshold))
		printf("--threshold %g: a regression is a mean worse by more than %g%% whose\n"
		       "  Holm-adjusted p < 0.05 over the %zu mean comparisons above (the chance of\n"
		       "  any false regression in this comparison stays at 5%%).\n",
		       ts->threshold, ts->threshold, ts->nfam);
	if (ts->percentile_tables)
		printf("p50/p99 tables: each run's percentile from its own histogram (nearest rank,\n"
		       "  bucket midpoint within 1.6%%), then mean ±sd and Welch's test across runs;\n"
		       "  --threshold judges the mean tables only.\n");
	if (!isnan(ts->resolution) && ts->resolution == 100)
		printf("resolution: %g ns (the in-tree benchmark truncates each operation to "
		       "100 ns units).\n", ts->resolution);
	else if (!isnan(ts->resolution))
		printf("resolution: %g ns.\n", ts->resolution);
	if (!strcmp(env_or(a, ENV_PLATFORM), "qemu-tcg") ||
	    !strcmp(env_or(b, ENV_PLATFORM), "qemu-tcg"))
		printf("timings are emulated (QEMU TCG): compare ratios, not absolute values.\n");
	if (icount_on(a) || icount_on(b))
		printf("icount: guest time counts guest instructions only (instruction cost; "
		       "emulated device time is free).\n");
	if (ts->any_unknown_direction)
		printf("note: metrics without a \"better\" direction were not checked for "
		       "regressions.\n");
	print_unsupported("base", a);
	print_unsupported("patched", b);
	print_unmatched("base", a, b);
	print_unmatched("patched", b, a);
}

int cmd_compare(int argc, char **argv)
{
	struct side a = { 0 }, b = { 0 };
	struct table_state ts = { NAN, NULL, 0, 0, 0, NAN, 0 };
	const char *paths[2], *v;
	char names[RESULT_MAX_METRICS * 8][RESULT_NAME_MAX];
	size_t nnames = 0, i, j, k;
	int npaths = 0, r, rc = EXIT_BADINPUT;

	for (int ai = 0; ai < argc; ai++) {
		r = option_value(argc, argv, &ai, "--threshold", &v);
		if (r < 0)
			return EXIT_BADINPUT;
		if (r > 0) {
			char *end;

			ts.threshold = strtod(v, &end);
			if (end == v || *end || !(ts.threshold >= 0) || isinf(ts.threshold)) {
				fprintf(stderr, "dmabench: --threshold %s: want a percentage >= 0\n", v);
				return EXIT_BADINPUT;
			}
			continue;
		}
		if (argv[ai][0] == '-' || npaths == 2) {
			fprintf(stderr, "dmabench: compare: unexpected argument '%s'\n", argv[ai]);
			return EXIT_BADINPUT;
		}
		paths[npaths++] = argv[ai];
	}
	if (npaths != 2) {
		fprintf(stderr, "dmabench: compare needs BASE and PATCHED (dirs or files)\n");
		return EXIT_BADINPUT;
	}
	if (load_side(paths[0], &a) || load_side(paths[1], &b))
		goto out;
	for (i = 0; i < a.n && !match(&b, &a.r[i]); i++)
		;
	if (i == a.n) {
		/* a silent empty table would pass any --threshold gate */
		fprintf(stderr, "dmabench: no cell of %s matches a cell of %s\n", a.path, b.path);
		goto out;
	}
	warn_env_differences(&a, &b);

	/* metric names in order of first appearance in base */
	for (i = 0; i < a.n; i++) {
		for (j = 0; j < a.r[i].nmetrics; j++) {
			for (k = 0; k < nnames && strcmp(names[k], a.r[i].m[j].name); k++)
				;
			if (k == nnames && nnames < sizeof(names) / sizeof(names[0]))
				strcpy(names[nnames++], a.r[i].m[j].name);
		}
	}
	if (!isnan(ts.threshold) && build_family(&a, &b, names, nnames, &ts))
		goto out;
	describe_side("base:", &a);
	describe_side("patched:", &b);
	for (k = 0; k < nnames; k++) {
		print_metric_table(names[k], &a, &b, STAT_MEAN, &ts);
		print_metric_table(names[k], &a, &b, STAT_P50, &ts);
		print_metric_table(names[k], &a, &b, STAT_P99, &ts);
	}
	print_footer(&a, &b, &ts);
	rc = EXIT_OK;
	if (ts.regressions) {
		printf("%d significant regression%s beyond %g%%\n", ts.regressions,
		       ts.regressions == 1 ? "" : "s", ts.threshold);
		rc = EXIT_FAIL;
	}
out:
	free(ts.fam);
	free_side(&a);
	free_side(&b);
	return rc;
}
