/*
 * dmabench export: result files in the shapes other tools read.
 *
 *   --csv          one row per cell and metric (dashboards, spreadsheets)
 *   --kcidb        KCIDB-style "tests" rows with numeric values and units
 *   --plot KIND    gnuplot data blocks for the scripts in plots/
 *   --table KIND   plain-text and Markdown tables for REPORT.md and the
 *                  cover letter
 *
 * Every number printed comes from the result files; nothing is estimated.
 * A value the files do not hold is written empty (CSV), left out (KCIDB) or
 * as "?" (gnuplot's missing-value marker).  Formats: SCHEMA.md.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "dmabench_hist_layout.h"
#include "json.h"
#include "result.h"
#include "stats.h"

#define KCIDB_MAJOR 5
#define KCIDB_MINOR 3

struct item {
	struct loaded_result lr;
	struct jval *root;
	char name[160];		/* result_cell_name, plus " <device>" for a PCI target */
	size_t seq;		/* load order, the last sort key */
};

struct set {
	struct item *it;
	size_t n, cap;
};

static int is_result_file(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && !strcmp(de->d_name + n - 5, ".json") &&
	       strcmp(de->d_name, "summary.json") != 0 && de->d_name[0] != '.';
}

static int add_file(struct set *s, const char *file)
{
	char err[600];
	struct item *it;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct item *p = realloc(s->it, cap * sizeof(*p));

		if (!p) {
			fprintf(stderr, "dmabench: out of memory\n");
			return -1;
		}
		s->it = p;
		s->cap = cap;
	}
	it = &s->it[s->n];
	memset(it, 0, sizeof(*it));
	if (result_read(file, &it->lr, err, sizeof(err))) {
		fprintf(stderr, "dmabench: %s\n", err);
		return -1;
	}
	it->root = json_parse_file(file, err, sizeof(err));
	if (!it->root) {
		fprintf(stderr, "dmabench: %s\n", err);
		result_loaded_free(&it->lr);
		return -1;
	}
	result_cell_name(&it->lr.cell, it->name, sizeof(it->name));
	if (it->lr.cell.extended && it->lr.cell.has_device) {
		char dev[32];
		size_t n = strlen(it->name);

		config_format_pci(it->lr.cell.domain, it->lr.cell.bdf, dev, sizeof(dev));
		snprintf(it->name + n, sizeof(it->name) - n, " %s", dev);
	}
	it->seq = s->n++;
	return 0;
}

/* A result file, or every result file of a directory (not summary.json). */
static int add_path(struct set *s, const char *path)
{
	struct dirent **list = NULL;
	struct stat st;
	char file[1024];
	int n, i, rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "dmabench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(s, path);
	n = scandir(path, &list, is_result_file, alphasort);
	if (n < 0) {
		fprintf(stderr, "dmabench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (n == 0) {
		fprintf(stderr, "dmabench: %s: no result files (*.json)\n", path);
		rc = -1;
	}
	for (i = 0; i < n; i++) {
		if (!rc) {
			snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
			rc = add_file(s, file);
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

static void free_set(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		result_loaded_free(&s->it[i].lr);
		json_free(s->it[i].root);
	}
	free(s->it);
	s->it = NULL;
	s->n = s->cap = 0;
}

/* The modes in the order of the usage text: baselines first, then the series'. */
static int mode_rank(const char *mode)
{
	static const char *const order[] = {
		"single", "page", "sg", "phys", "phys-mmio", "resource", "p2p-pgmap",
		"p2p-provider", "iova-link"
	};
	int i;

	for (i = 0; i < (int)(sizeof(order) / sizeof(order[0])); i++)
		if (!strcmp(mode, order[i]))
			return i;
	return i;	/* unknown modes last, by name */
}

/* Mode, entries, threads, size: the order a series is drawn in. */
static int cmp_item(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c, ra = mode_rank(a->lr.mode), rb = mode_rank(b->lr.mode);

	if ((c = strcmp(a->lr.engine, b->lr.engine)))
		return c;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((c = strcmp(a->lr.mode, b->lr.mode)))
		return c;
	if (a->lr.cell.nents != b->lr.cell.nents)
		return a->lr.cell.nents < b->lr.cell.nents ? -1 : 1;
	if (a->lr.threads != b->lr.threads)
		return a->lr.threads < b->lr.threads ? -1 : 1;
	if (a->lr.size != b->lr.size)
		return a->lr.size < b->lr.size ? -1 : 1;
	if ((c = strcmp(a->name, b->name)))
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- values ---- */

/* Integers as integers, else the shortest "%g" that reads back to the same double. */
static void fmt_num(char *buf, size_t len, double v)
{
	int prec;

	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, len, "%.0f", v);
		return;
	}

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static const struct jval *metric_obj(const struct item *it, const char *name)
{
	const struct jval *ms = json_get_array(it->root, "metrics");
	size_t i;

	for (i = 0; ms && i < ms->len; i++) {
		const char *n = json_get_str(ms->items[i], "name");

		if (n && !strcmp(n, name))
			return ms->items[i];
	}
	return NULL;
}

/* A metric's aggregated value; NAN when null, absent or not a number. */
static double mval(const struct jval *m, const char *key)
{
	double v;

	return m && json_get_num(m, key, &v) == 1 ? v : NAN;
}

static const char *env_str(const struct item *it, enum env_key k)
{
	return it->lr.env[k] ? it->lr.env[k] : "";
}

/* ---- CSV ---- */

static const char *const csv_stats[] = {
	"runs", "n", "mean", "stddev", "op_stddev", "p50", "p90", "p99", "p999", "min", "max",
	"ops_per_s"
};
#define NSTATS (sizeof(csv_stats) / sizeof(csv_stats[0]))

/* RFC 4180: quote a field holding a comma, quote or line break. */
static void csv_field(const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static void csv_num(double v, int last)
{
	char buf[40] = "";

	if (!isnan(v))
		fmt_num(buf, sizeof(buf), v);
	csv_field(buf, last);
}

static int export_csv(const struct set *s)
{
	static const enum env_key env_cols[] = {
		ENV_TREE, ENV_KERNEL, ENV_SERIES_HASH, ENV_IOMMU_MODE, ENV_SWIOTLB_FORCE,
		ENV_PLATFORM, ENV_ACCEL, ENV_ICOUNT, ENV_CPU, ENV_DATE
	};
	size_t i, j, k;

	fputs("file,cell,engine,mode,size,nents,threads,dir,dma_bits", stdout);
	for (k = 0; k < sizeof(env_cols) / sizeof(env_cols[0]); k++)
		printf(",%s", env_key_name(env_cols[k]));
	fputs(",status,metric,unit,better", stdout);
	for (k = 0; k < NSTATS; k++)
		printf(",%s", csv_stats[k]);
	putchar('\n');
	for (i = 0; i < s->n; i++) {
		const struct item *it = &s->it[i];
		const struct jval *ms = json_get_array(it->root, "metrics");

		for (j = 0; ms && j < ms->len; j++) {
			const struct jval *m = ms->items[j];
			const char *better = json_get_str(m, "better");

			csv_field(it->lr.path, 0);
			csv_field(it->name, 0);
			csv_field(it->lr.engine, 0);
			csv_field(it->lr.mode, 0);
			csv_num((double)it->lr.size, 0);
			if (it->lr.cell.nents)
				csv_num(it->lr.cell.nents, 0);
			else
				csv_field("", 0);
			csv_num(it->lr.threads, 0);
			csv_field(it->lr.dir, 0);
			csv_num(it->lr.dma_bits, 0);
			for (k = 0; k < sizeof(env_cols) / sizeof(env_cols[0]); k++)
				csv_field(env_str(it, env_cols[k]), 0);
			csv_field(it->lr.unsupported ? "unsupported" : "ok", 0);
			csv_field(json_get_str(m, "name"), 0);
			csv_field(json_get_str(m, "unit"), 0);
			csv_field(better ? better : "", 0);
			for (k = 0; k < NSTATS; k++)
				csv_num(mval(m, csv_stats[k]), k + 1 == NSTATS);
		}
	}
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

/* ---- KCIDB ---- */

/* A KCIDB path segment: letters, digits, '_' and '-'; anything else is '_'. */
static void kcidb_segment(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++) {
		char c = src[i];

		dst[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_') ? c : '_';
	}
	dst[i] = '\0';
}

static void jw_kv_str(struct jw *w, const char *key, const char *val)
{
	jw_key(w, key);
	if (val)
		jw_string(w, val);
	else
		jw_null(w);
}

static void kcidb_row(struct jw *w, const struct item *it, const char *origin,
		      const struct jval *m, const char *stat)
{
	static const char *const misc_stats[] = { "stddev", "runs", "n", "p50", "p99" };
	char seg[160], metric[RESULT_NAME_MAX + 8], path[400], id[700], build[400];
	char comment[300], envc[200], full[800];
	const char *mname = json_get_str(m, "name");
	const char *unit = json_get_str(m, "unit");
	const char *better = json_get_str(m, "better");
	const char *date = it->lr.env[ENV_DATE];
	double v = mval(m, stat);
	size_t k;

	kcidb_segment(seg, sizeof(seg), it->name);
	kcidb_segment(metric, sizeof(metric), mname);
	snprintf(path, sizeof(path), "dmabench.%s.%s.%s", seg, metric, stat);
	snprintf(build, sizeof(build), "%s:%s-%s-%s-%s", origin, env_str(it, ENV_TREE),
		 env_str(it, ENV_KERNEL), it->lr.env[ENV_SERIES_HASH] ? it->lr.env[ENV_SERIES_HASH] :
		 "unknown", it->lr.env[ENV_CONFIG_HASH] ? it->lr.env[ENV_CONFIG_HASH] : "unknown");
	/* a cell runs once per boot: the boot's setup and the cell's start time name it */
	snprintf(id, sizeof(id), "%s:%s%s:icount-%s:%s:%s", build + strlen(origin) + 1,
		 env_str(it, ENV_IOMMU_MODE),
		 it->lr.env[ENV_SWIOTLB_FORCE] && !strcmp(it->lr.env[ENV_SWIOTLB_FORCE], "true") ?
		 "-swiotlb" : "", it->lr.env[ENV_ICOUNT] ? it->lr.env[ENV_ICOUNT] : "unknown",
		 date ? date : "unknown", path);
	snprintf(comment, sizeof(comment), "%s %s %s, %s per operation, %s is better",
		 it->name, mname, stat, unit ? unit : "?", better ? better : "unknown which");
	if (it->lr.env[ENV_PLATFORM] && !strcmp(it->lr.env[ENV_PLATFORM], "qemu-tcg"))
		snprintf(envc, sizeof(envc), "emulated (QEMU TCG, %s, icount %s), IOMMU %s",
			 env_str(it, ENV_ACCEL), env_str(it, ENV_ICOUNT), env_str(it, ENV_IOMMU_MODE));
	else
		snprintf(envc, sizeof(envc), "%s: %s, IOMMU %s", env_str(it, ENV_PLATFORM),
			 env_str(it, ENV_CPU), env_str(it, ENV_IOMMU_MODE));

	jw_object_begin(w);
	snprintf(full, sizeof(full), "%s:%s", origin, id);
	jw_kv_str(w, "id", full);
	jw_kv_str(w, "build_id", build);
	jw_kv_str(w, "origin", origin);
	jw_kv_str(w, "path", path);
	jw_kv_str(w, "comment", comment);
	jw_kv_str(w, "status", it->lr.unsupported ? "SKIP" : "DONE");
	if (!isnan(v)) {
		jw_key(w, "number");
		jw_object_begin(w);
		jw_key(w, "value");
		jw_double(w, v);
		if (unit)
			jw_kv_str(w, "unit", unit);
		jw_object_end(w);
	}
	if (date)
		jw_kv_str(w, "start_time", date);
	jw_key(w, "environment");
	jw_object_begin(w);
	jw_kv_str(w, "comment", envc);
	jw_key(w, "misc");
	jw_object_begin(w);
	for (k = 0; k < ENV_NKEYS; k++)
		if (it->lr.env[k] && k != ENV_DATE) {
			jw_key(w, env_key_name((enum env_key)k));
			env_write_value(w, (enum env_key)k, it->lr.env[k]);
		}
	jw_object_end(w);
	jw_object_end(w);
	jw_key(w, "misc");
	jw_object_begin(w);
	jw_kv_str(w, "file", it->lr.path);
	jw_kv_str(w, "cell", it->name);
	jw_kv_str(w, "metric", mname);
	jw_kv_str(w, "statistic", stat);
	if (better)
		jw_kv_str(w, "better", better);
	if (it->lr.unsupported && it->lr.status_detail[0])
		jw_kv_str(w, "status_detail", it->lr.status_detail);
	for (k = 0; k < sizeof(misc_stats) / sizeof(misc_stats[0]); k++) {
		double x = mval(m, misc_stats[k]);

		if (!isnan(x) && strcmp(misc_stats[k], stat) != 0) {
			jw_key(w, misc_stats[k]);
			jw_double(w, x);
		}
	}
	jw_object_end(w);
	jw_object_end(w);
}

static int export_kcidb(const struct set *s, const char *origin)
{
	static const char *const stats[] = { "mean", "p50", "p99" };
	struct jw w;
	size_t i, j, k;

	jw_init(&w, stdout);
	jw_object_begin(&w);
	jw_key(&w, "version");
	jw_object_begin(&w);
	jw_key(&w, "major");
	jw_int(&w, KCIDB_MAJOR);
	jw_key(&w, "minor");
	jw_int(&w, KCIDB_MINOR);
	jw_object_end(&w);
	jw_key(&w, "tests");
	jw_array_begin(&w);
	for (i = 0; i < s->n; i++) {
		const struct jval *ms = json_get_array(s->it[i].root, "metrics");

		for (j = 0; ms && j < ms->len; j++) {
			for (k = 0; k < sizeof(stats) / sizeof(stats[0]); k++) {
				/* no row for a statistic the engine never has (inkernel
				 * p50); an unsupported cell gets one SKIP row per metric */
				if (k && (s->it[i].lr.unsupported || isnan(mval(ms->items[j], stats[k]))))
					continue;
				kcidb_row(&w, &s->it[i], origin, ms->items[j], stats[k]);
			}
		}
	}
	jw_array_end(&w);
	jw_object_end(&w);
	return jw_finish(&w) ? EXIT_FAIL : EXIT_OK;
}

/* ---- gnuplot data and tables ---- */

struct sel {
	const char *metric;	/* "map+unmap" unless --metric */
	uint64_t size;		/* --size; 0: the kind's default */
	unsigned int threads;	/* --threads; 0: the kind's default */
};

/* One line of a plot: same engine, mode and sg entries. */
static int same_series(const struct item *a, const struct item *b)
{
	return !strcmp(a->lr.engine, b->lr.engine) && !strcmp(a->lr.mode, b->lr.mode) &&
	       a->lr.cell.nents == b->lr.cell.nents;
}

static void series_title(const struct item *it, char *buf, size_t len)
{
	if (it->lr.cell.nents)
		snprintf(buf, len, "%s n%u", it->lr.mode, it->lr.cell.nents);
	else
		snprintf(buf, len, "%s", it->lr.mode);
}

/* gnuplot's missing value is "?" (set datafile missing "?") */
static void plot_num(double v)
{
	char buf[40];

	if (isnan(v)) {
		fputs(" ?", stdout);
		return;
	}
	fmt_num(buf, sizeof(buf), v);
	printf(" %s", buf);
}

/* A cell that measured the metric. */
static const struct jval *usable(const struct item *it, const char *metric)
{
	return it->lr.unsupported ? NULL : metric_obj(it, metric);
}

/*
 * KIND size: x = bytes per map at --threads (1); KIND threads: x = threads
 * at --size (4K).  One block per series: x p50 p99 mean stddev.
 */
static int plot_xy(const struct set *s, const struct sel *sel, int by_threads)
{
	const struct item *prev = NULL;
	char title[64];
	size_t i, rows = 0;

	for (i = 0; i < s->n; i++) {
		const struct item *it = &s->it[i];
		const struct jval *m = usable(it, sel->metric);

		if (!m || (by_threads ? it->lr.size != sel->size : it->lr.threads != sel->threads))
			continue;
		if (!prev || !same_series(prev, it)) {
			series_title(it, title, sizeof(title));
			printf("%s\"%s\" %s p50 p99 mean stddev\n", prev ? "\n\n" : "", title,
			       by_threads ? "threads" : "bytes");
		}
		printf("%llu", by_threads ? (unsigned long long)it->lr.threads :
		       (unsigned long long)it->lr.size);
		plot_num(mval(m, "p50"));
		plot_num(mval(m, "p99"));
		plot_num(mval(m, "mean"));
		plot_num(mval(m, "stddev"));
		putchar('\n');
		prev = it;
		rows++;
	}
	return rows ? EXIT_OK : -1;
}

static int get_count(const struct jval *v, unsigned long long *out)
{
	if (!v || v->type != J_NUMBER || !v->is_int || v->inum < 0)
		return -1;
	*out = (unsigned long long)v->inum;
	return 0;
}

/*
 * The CDF of one cell's merged histogram: a first row at the low end of
 * the lowest non-empty bucket with fraction 0, then per non-empty bucket its
 * reported value (the midpoint, as hist_percentile) and the fraction of
 * samples at or below the bucket.  -1 (message printed) for a histogram
 * that contradicts its layout.
 */
static int print_cdf(const struct item *it, const struct jval *h)
{
	const struct jval *b = json_get_array(h, "buckets");
	unsigned long long sub, max, n, nb, sum = 0, idx = 0, cnt = 0, prev = 0, low, high;
	double x;
	size_t i;

	if (get_count(json_get(h, "sub_bits"), &sub) || get_count(json_get(h, "max_bits"), &max) ||
	    get_count(json_get(h, "n"), &n) || !b ||
	    !dmabench_hist_params_ok((unsigned int)sub, (unsigned int)max))
		goto bad;
	nb = dmabench_hist_nbuckets((unsigned int)sub, (unsigned int)max);
	for (i = 0; i < b->len; i++) {
		const struct jval *p = b->items[i];

		if (p->type != J_ARRAY || p->len != 2 || get_count(p->items[0], &idx) ||
		    get_count(p->items[1], &cnt) || idx >= nb || (i && idx <= prev) || !cnt)
			goto bad;
		prev = idx;
		sum += cnt;
	}
	if (sum != n || !n)
		goto bad;
	/* the curve starts at 0 below the lowest bucket: no sample lies there */
	get_count(b->items[0]->items[0], &idx);
	plot_num((double)dmabench_hist_bucket_low(idx, (unsigned int)sub));
	plot_num(0);
	putchar('\n');
	for (i = 0, sum = 0; i < b->len; i++) {
		get_count(b->items[i]->items[0], &idx);
		get_count(b->items[i]->items[1], &cnt);
		low = dmabench_hist_bucket_low(idx, (unsigned int)sub);
		high = idx + 1 < nb ? dmabench_hist_bucket_low(idx + 1, (unsigned int)sub) : low + 1;
		x = (double)low + (double)(high - low - 1) / 2;
		sum += cnt;
		plot_num(x);
		plot_num((double)sum / (double)n);
		putchar('\n');
	}
	return 0;
bad:
	fprintf(stderr, "dmabench: %s: histogram does not match its layout "
		"(sub_bits, max_bits, sorted non-empty buckets summing to n)\n", it->lr.path);
	return -1;
}

/* KIND cdf: one block per series at --size (4K) and --threads (1): ns fraction. */
static int plot_cdf(const struct set *s, const struct sel *sel)
{
	char title[64];
	size_t i, rows = 0;

	for (i = 0; i < s->n; i++) {
		const struct item *it = &s->it[i];
		const struct jval *h = json_get_object(json_get_object(it->root, "histogram"),
						       sel->metric);

		if (!usable(it, sel->metric) || !h || it->lr.size != sel->size ||
		    it->lr.threads != sel->threads)
			continue;
		series_title(it, title, sizeof(title));
		printf("%s\"%s\" ns fraction\n", rows ? "\n\n" : "", title);
		if (print_cdf(it, h))
			return EXIT_BADINPUT;
		rows++;
	}
	return rows ? EXIT_OK : -1;
}

static const struct item *find_name(const struct set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->it[i].name, name))
			return &s->it[i];
	return NULL;
}

/* The Welch test of one metric's run means, patched against base. */
static int ab_test(const struct item *a, const struct item *b, const char *metric,
		   struct welch *w)
{
	const struct loaded_metric *ma = NULL, *mb = NULL;
	size_t i;

	if (!b || a->lr.unsupported || b->lr.unsupported)
		return -1;
	for (i = 0; i < a->lr.nmetrics; i++)
		if (!strcmp(a->lr.m[i].name, metric))
			ma = &a->lr.m[i];
	for (i = 0; i < b->lr.nmetrics; i++)
		if (!strcmp(b->lr.m[i].name, metric))
			mb = &b->lr.m[i];
	if (!ma || !mb || !ma->nruns || !mb->nruns)
		return -1;
	stats_welch(ma->run_means, ma->nruns, mb->run_means, mb->nruns, w);
	return isnan(w->pct) ? -1 : 0;
}

/* A cell's name without its engine and device: "sg-64K-n8-t1-pci-bidir". */
static void short_label(const struct item *it, char *buf, size_t len)
{
	const char *p = it->name + strlen(it->lr.engine);

	snprintf(buf, len, "%s", *p == '-' ? p + 1 : it->name);
	buf[strcspn(buf, " ")] = '\0';
}

/*
 * KIND ab: one block, a row per matched cell: index "cell" %change lo hi p
 * sig, where sig is 2 for p < 0.01, 1 for p < 0.05, 0 for neither and -1
 * when not testable (compare's marks).
 */
static int plot_ab(const struct set *a, const struct set *b, const struct sel *sel)
{
	char label[160];
	size_t i, rows = 0;
	struct welch w;

	printf("index cell pct ci_lo ci_hi p sig\n");
	for (i = 0; i < a->n; i++) {
		if (!usable(&a->it[i], sel->metric) ||
		    ab_test(&a->it[i], find_name(b, a->it[i].name), sel->metric, &w))
			continue;
		short_label(&a->it[i], label, sizeof(label));
		printf("%zu \"%s\"", rows, label);
		plot_num(w.pct);
		plot_num(w.pct_lo);
		plot_num(w.pct_hi);
		plot_num(w.p);
		printf(" %d\n", !w.testable ? -1 : w.p < 0.01 ? 2 : w.p < 0.05 ? 1 : 0);
		rows++;
	}
	return rows ? EXIT_OK : -1;
}

/*
 * A workload mode names its buffer last ("read-libaio-p2pmem"): the group
 * is the rest plus size and threads, the series the buffer.  A mode
 * without '-' is its own group and series.
 */
static void bar_keys(const struct item *it, char *group, size_t glen, char *series, size_t slen)
{
	const char *dash = strrchr(it->lr.mode, '-');
	char size[32];
	int n = dash ? (int)(dash - it->lr.mode) : (int)strlen(it->lr.mode);
	char jobs[24] = "";

	config_format_size(it->lr.size, size, sizeof(size));
	if (it->lr.threads > 1)
		snprintf(jobs, sizeof(jobs), " x%u", it->lr.threads);
	snprintf(group, glen, "%s %.*s %s%s", it->lr.engine, n, it->lr.mode, size, jobs);
	snprintf(series, slen, "%s", dash ? dash + 1 : it->lr.mode);
}

/*
 * KIND bars: grouped bars of one metric's mean (default bw).  Block 0,
 * headed by the metric's unit and better direction, lists the groups,
 * "index label"; then one block per series (buffer), rows "group-index
 * mean stddev", in the order the series first appear.
 */
static int plot_bars(const struct set *s, const struct sel *sel)
{
	char (*groups)[96] = calloc(s->n + 1, sizeof(*groups));
	char (*series)[32] = calloc(s->n + 1, sizeof(*series));
	char g[96], sr[32];
	size_t ng = 0, ns = 0, i, j, k;

	if (!groups || !series) {
		free(groups);
		free(series);
		fprintf(stderr, "dmabench: out of memory\n");
		return EXIT_FAIL;
	}
	for (i = 0; i < s->n; i++) {
		if (!usable(&s->it[i], sel->metric))
			continue;
		bar_keys(&s->it[i], g, sizeof(g), sr, sizeof(sr));
		for (j = 0; j < ng && strcmp(groups[j], g); j++)
			;
		if (j == ng)
			snprintf(groups[ng++], sizeof(groups[0]), "%s", g);
		for (k = 0; k < ns && strcmp(series[k], sr); k++)
			;
		if (k == ns)
			snprintf(series[ns++], sizeof(series[0]), "%s", sr);
	}
	if (ng) {
		/* the header names the metric's unit and direction, for the axis label */
		for (i = 0; !usable(&s->it[i], sel->metric); i++)
			;
		printf("\"%s\" \"%s\" label\n",
		       json_get_str(metric_obj(&s->it[i], sel->metric), "unit") ?
		       json_get_str(metric_obj(&s->it[i], sel->metric), "unit") : "?",
		       json_get_str(metric_obj(&s->it[i], sel->metric), "better") ?
		       json_get_str(metric_obj(&s->it[i], sel->metric), "better") : "?");
		for (j = 0; j < ng; j++)
			printf("%zu \"%s\"\n", j, groups[j]);
	}
	for (k = 0; k < ns; k++) {
		printf("\n\n\"%s\" group mean stddev\n", series[k]);
		for (i = 0; i < s->n; i++) {
			const struct jval *m = usable(&s->it[i], sel->metric);

			if (!m)
				continue;
			bar_keys(&s->it[i], g, sizeof(g), sr, sizeof(sr));
			if (strcmp(sr, series[k]))
				continue;
			for (j = 0; strcmp(groups[j], g); j++)
				;
			printf("%zu", j);
			plot_num(mval(m, "mean"));
			plot_num(mval(m, "stddev"));
			putchar('\n');
		}
	}
	free(groups);
	free(series);
	return ng ? EXIT_OK : -1;
}

/* Markdown: mean per (size, threads) row and mode column, with the ratio to page. */
static int table_modes(const struct set *s, const struct sel *sel)
{
	const struct item *col[64], *row[256];
	size_t ncol = 0, nrow = 0, i, j, c, r;
	char num[64], ratio[40];

	for (i = 0; i < s->n; i++) {
		const struct item *it = &s->it[i];

		for (c = 0; c < ncol && !same_series(col[c], it); c++)
			;
		if (c == ncol && ncol < 64)
			col[ncol++] = it;
		for (r = 0; r < nrow && (row[r]->lr.size != it->lr.size ||
					 row[r]->lr.threads != it->lr.threads); r++)
			;
		if (r == nrow && nrow < 256)
			row[nrow++] = it;
	}
	if (!s->n)
		return -1;
	/* rows by threads, then size */
	for (i = 1; i < nrow; i++)
		for (j = i; j > 0 && (row[j - 1]->lr.threads > row[j]->lr.threads ||
				      (row[j - 1]->lr.threads == row[j]->lr.threads &&
				       row[j - 1]->lr.size > row[j]->lr.size)); j--) {
			const struct item *t = row[j];

			row[j] = row[j - 1];
			row[j - 1] = t;
		}
	printf("| size | threads |");
	for (c = 0; c < ncol; c++) {
		series_title(col[c], num, sizeof(num));
		printf(" %s |", num);
	}
	printf("\n|---:|---:|");
	for (c = 0; c < ncol; c++)
		printf("---:|");
	putchar('\n');
	for (r = 0; r < nrow; r++) {
		const struct item *page = NULL;
		const struct jval *pm;

		for (i = 0; i < s->n; i++)
			if (!strcmp(s->it[i].lr.mode, "page") && !s->it[i].lr.cell.nents &&
			    s->it[i].lr.size == row[r]->lr.size &&
			    s->it[i].lr.threads == row[r]->lr.threads)
				page = &s->it[i];
		pm = page ? usable(page, sel->metric) : NULL;
		config_format_size(row[r]->lr.size, num, sizeof(num));
		printf("| %s | %u |", num, row[r]->lr.threads);
		for (c = 0; c < ncol; c++) {
			const struct item *it = NULL;
			const struct jval *m;
			double v, pv;

			for (i = 0; i < s->n && !it; i++)
				if (same_series(&s->it[i], col[c]) &&
				    s->it[i].lr.size == row[r]->lr.size &&
				    s->it[i].lr.threads == row[r]->lr.threads)
					it = &s->it[i];
			if (!it) {
				printf(" - |");
				continue;
			}
			if (it->lr.unsupported) {
				printf(" unsupported |");
				continue;
			}
			m = metric_obj(it, sel->metric);
			v = mval(m, "mean");
			pv = mval(pm, "mean");
			if (isnan(v)) {
				printf(" - |");
				continue;
			}
			stats_format_value(num, sizeof(num), v);
			ratio[0] = '\0';
			if (!isnan(pv) && pv > 0 && it != page)
				snprintf(ratio, sizeof(ratio), " (%.2f×)", v / pv);
			printf(" %s%s |", num, ratio);
		}
		putchar('\n');
	}
	return EXIT_OK;
}

/* Length of s without its trailing blanks. */
static size_t rtrim_len(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/* Plain text, at most 72 columns, for the cover letter: one row per cell at --threads. */
static int table_ab(const struct set *a, const struct set *b, const struct sel *sel)
{
	char series[64], size[32], va[40], vb[40], ci[48], line[320];
	size_t i, rows = 0, nmin[2] = { 0, 0 }, nmax[2] = { 0, 0 };
	struct welch w;

	printf("%-14s %5s %10s %10s %8s  %-15s %s\n", "mode", "size", "base", "patched",
	       "%change", "95% CI", "sig");
	for (i = 0; i < a->n; i++) {
		const struct item *it = &a->it[i];

		if (it->lr.threads != sel->threads || !usable(it, sel->metric) ||
		    ab_test(it, find_name(b, it->name), sel->metric, &w))
			continue;
		series_title(it, series, sizeof(series));
		config_format_size(it->lr.size, size, sizeof(size));
		stats_format_value(va, sizeof(va), w.mean_a);
		stats_format_value(vb, sizeof(vb), w.mean_b);
		if (isnan(w.pct_lo))
			snprintf(ci, sizeof(ci), "-");
		else
			/* whole percents from 100 up keep the line within 72 columns */
			snprintf(ci, sizeof(ci), "[%+.*f, %+.*f]", fabs(w.pct_lo) < 99.95 ? 1 : 0,
				 w.pct_lo, fabs(w.pct_hi) < 99.95 ? 1 : 0, w.pct_hi);
		snprintf(line, sizeof(line), "%-14s %5s %10s %10s %+7.*f%%  %-15s %s", series, size,
			 va, vb, fabs(w.pct) < 9999.95 ? 1 : 0, w.pct, ci, stats_sig_mark(&w));
		line[rtrim_len(line)] = '\0';
		puts(line);
		nmin[0] = !rows || w.n_a < nmin[0] ? w.n_a : nmin[0];
		nmax[0] = w.n_a > nmax[0] ? w.n_a : nmax[0];
		nmin[1] = !rows || w.n_b < nmin[1] ? w.n_b : nmin[1];
		nmax[1] = w.n_b > nmax[1] ? w.n_b : nmax[1];
		rows++;
	}
	if (!rows)
		return -1;
	/* n: the runs behind each mean, so a reader can weigh the marks */
	if (nmin[0] == nmax[0] && nmin[1] == nmax[1] && nmin[0] == nmin[1])
		printf("n = %zu runs per cell and kernel\n", nmin[0]);
	else
		printf("n = %zu..%zu runs per cell (base), %zu..%zu (patched)\n", nmin[0], nmax[0],
		       nmin[1], nmax[1]);
	return EXIT_OK;
}

static void export_usage(void)
{
	fputs("usage: dmabench export --csv PATH...\n"
	      "       dmabench export --kcidb [--origin NAME] PATH...\n"
	      "       dmabench export --plot size|threads|cdf|bars [SELECT] PATH\n"
	      "       dmabench export --plot ab [SELECT] BASE PATCHED\n"
	      "       dmabench export --table modes [SELECT] PATH\n"
	      "       dmabench export --table ab [SELECT] BASE PATCHED\n"
	      "SELECT: --metric NAME [map+unmap; bars: bw]  --size SIZE [4K]  --threads N [1]\n",
	      stderr);
}

int cmd_export(int argc, char **argv)
{
	struct set a = { 0 }, b = { 0 };
	static const char metric_default[] = "map+unmap";
	struct sel sel = { metric_default, 4096, 1 };
	const char *fmt = NULL, *kind = "", *origin = "dmabench", *v, *paths[256];
	int npaths = 0, i, r, rc = EXIT_BADINPUT, want;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--csv") || !strcmp(argv[i], "--kcidb")) {
			if (fmt)
				goto twice;
			fmt = argv[i] + 2;
			continue;
		}
		r = option_value(argc, argv, &i, "--plot", &v);
		if (r == 0 && (r = option_value(argc, argv, &i, "--table", &v)) > 0)
			r = 2;
		if (r) {
			if (r < 0)
				return EXIT_BADINPUT;
			if (fmt)
				goto twice;
			fmt = r == 1 ? "plot" : "table";
			kind = v;
			continue;
		}
		if ((r = option_value(argc, argv, &i, "--origin", &origin)) ||
		    (r = option_value(argc, argv, &i, "--metric", &sel.metric))) {
			if (r < 0)
				return EXIT_BADINPUT;
			continue;
		}
		if ((r = option_value(argc, argv, &i, "--size", &v))) {
			if (r < 0)
				return EXIT_BADINPUT;
			if (config_parse_size(v, &sel.size) || !sel.size) {
				fprintf(stderr, "dmabench: --size %s: want bytes with an optional K/M/G suffix\n", v);
				return EXIT_BADINPUT;
			}
			continue;
		}
		if ((r = option_value(argc, argv, &i, "--threads", &v))) {
			char *end;
			unsigned long t;

			if (r < 0)
				return EXIT_BADINPUT;
			errno = 0;
			t = strtoul(v, &end, 10);
			if (end == v || *end || errno || t < 1 || t > 1024 || *v == '-') {
				fprintf(stderr, "dmabench: --threads %s: want 1..1024\n", v);
				return EXIT_BADINPUT;
			}
			sel.threads = (unsigned int)t;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "dmabench: export: unknown argument '%s'\n", argv[i]);
			export_usage();
			return EXIT_BADINPUT;
		}
		if (npaths == (int)(sizeof(paths) / sizeof(paths[0]))) {
			fprintf(stderr, "dmabench: export: too many paths\n");
			return EXIT_BADINPUT;
		}
		paths[npaths++] = argv[i];
	}
	if (!fmt) {
		fprintf(stderr, "dmabench: export needs --csv, --kcidb, --plot KIND or --table KIND\n");
		export_usage();
		return EXIT_BADINPUT;
	}
	for (v = origin; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') || *v == '_'))
			break;
	if (*v || !*origin) {
		fprintf(stderr, "dmabench: --origin %s: want [a-z0-9_]+ (a KCIDB origin)\n", origin);
		return EXIT_BADINPUT;
	}
	want = -1;	/* any number of paths, at least one */
	if (!strcmp(fmt, "plot") || !strcmp(fmt, "table")) {
		if (!strcmp(kind, "ab"))
			want = 2;
		else if ((!strcmp(fmt, "plot") && (!strcmp(kind, "size") || !strcmp(kind, "threads") ||
						   !strcmp(kind, "cdf") || !strcmp(kind, "bars"))) ||
			 (!strcmp(fmt, "table") && !strcmp(kind, "modes")))
			want = 1;
		else {
			fprintf(stderr, "dmabench: --%s %s: unknown kind (--plot size|threads|cdf|bars|ab, "
				"--table modes|ab)\n", fmt, kind);
			return EXIT_BADINPUT;
		}
	}
	if (npaths == 0 || (want > 0 && npaths != want)) {
		fprintf(stderr, "dmabench: export --%s%s%s needs %s\n", fmt, *kind ? " " : "", kind,
			want == 2 ? "BASE and PATCHED (dirs or files)" :
			want == 1 ? "exactly one result dir or file" : "result dirs or files");
		return EXIT_BADINPUT;
	}
	if (want == 2) {
		if (add_path(&a, paths[0]) || add_path(&b, paths[1]))
			goto out;
	} else {
		for (i = 0; i < npaths; i++)
			if (add_path(&a, paths[i]))
				goto out;
	}
	if (strcmp(fmt, "csv") && strcmp(fmt, "kcidb"))
		qsort(a.it, a.n, sizeof(*a.it), cmp_item);
	if (!strcmp(kind, "bars") && sel.metric == metric_default)
		sel.metric = "bw";	/* the workloads' bandwidth */

	if (!strcmp(fmt, "csv"))
		rc = export_csv(&a);
	else if (!strcmp(fmt, "kcidb"))
		rc = export_kcidb(&a, origin);
	else if (!strcmp(kind, "size"))
		rc = plot_xy(&a, &sel, 0);
	else if (!strcmp(kind, "threads"))
		rc = plot_xy(&a, &sel, 1);
	else if (!strcmp(kind, "bars"))
		rc = plot_bars(&a, &sel);
	else if (!strcmp(kind, "cdf"))
		rc = plot_cdf(&a, &sel);
	else if (!strcmp(fmt, "plot"))
		rc = plot_ab(&a, &b, &sel);
	else if (!strcmp(kind, "modes"))
		rc = table_modes(&a, &sel);
	else
		rc = table_ab(&a, &b, &sel);
	if (rc < 0) {
		/* valid input that holds nothing to draw: the caller skips with this reason */
		fprintf(stderr, "dmabench: no data: no measured cell in %s%s%s has metric %s%s\n",
			paths[0], want == 2 ? " with a match in " : "", want == 2 ? paths[1] : "",
			sel.metric, !strcmp(kind, "cdf") ? " with a histogram at the selected size "
			"and threads" : strcmp(kind, "modes") && *kind ? " at the selected size or threads" : "");
		rc = EXIT_FAIL;
	}
out:
	free_set(&a);
	free_set(&b);
	return rc;
twice:
	fprintf(stderr, "dmabench: export: give one of --csv, --kcidb, --plot, --table\n");
	return EXIT_BADINPUT;
}
