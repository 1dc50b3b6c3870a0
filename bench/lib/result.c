#include "result.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmabench_hist_layout.h"
#include "stats.h"

/*
 * 1 if every run knows the run_metric field at byte offset off (a double,
 * given as offsetof(struct run_metric, field)) of metric mi.
 */
static int all_known(const struct result *r, size_t mi, size_t off)
{
	size_t i;

	for (i = 0; i < r->nruns; i++)
		if (isnan(*(const double *)((const char *)&r->runs[i].m[mi] + off)))
			return 0;
	return r->nruns > 0;
}

/* Field of metric mi in run i of the result r in scope. */
#define RUN_FIELD(i, mi, field) (r->runs[i].m[mi].field)

static void aggregate_metric(struct result *r, size_t mi)
{
	struct metric *m = &r->metrics[mi];
	double means[RESULT_MAX_RUNS];
	size_t i;

	for (i = 0; i < r->nruns; i++)
		means[i] = RUN_FIELD(i, mi, mean);
	m->mean = stats_mean(means, r->nruns);
	m->stddev = stats_stddev(means, r->nruns);
	m->n = m->op_stddev = m->min = m->max = m->ops_per_s = NAN;
	m->p50 = m->p90 = m->p99 = m->p999 = NAN;

	if (r->nruns == 1)
		m->op_stddev = RUN_FIELD(0, mi, op_stddev);
	if (all_known(r, mi, offsetof(struct run_metric, n))) {
		long double total = 0, wmean = 0, ss = 0;

		for (i = 0; i < r->nruns; i++)
			total += RUN_FIELD(i, mi, n);
		m->n = (double)total;
		if (r->nruns > 1 && all_known(r, mi, offsetof(struct run_metric, op_stddev)) &&
		    total > 1) {
			/* pooled variance of all operations from per-run n, mean, sd */
			for (i = 0; i < r->nruns; i++)
				wmean += RUN_FIELD(i, mi, n) * RUN_FIELD(i, mi, mean);
			wmean /= total;
			for (i = 0; i < r->nruns; i++) {
				long double d = RUN_FIELD(i, mi, mean) - wmean;
				long double sd = RUN_FIELD(i, mi, op_stddev);

				ss += (RUN_FIELD(i, mi, n) - 1) * sd * sd + RUN_FIELD(i, mi, n) * d * d;
			}
			m->op_stddev = (double)sqrtl(ss / (total - 1));
		}
	}
	if (all_known(r, mi, offsetof(struct run_metric, min))) {
		m->min = RUN_FIELD(0, mi, min);
		for (i = 1; i < r->nruns; i++)
			m->min = fmin(m->min, RUN_FIELD(i, mi, min));
	}
	if (all_known(r, mi, offsetof(struct run_metric, max))) {
		m->max = RUN_FIELD(0, mi, max);
		for (i = 1; i < r->nruns; i++)
			m->max = fmax(m->max, RUN_FIELD(i, mi, max));
	}
	if (all_known(r, mi, offsetof(struct run_metric, ops_per_s))) {
		double v[RESULT_MAX_RUNS];

		for (i = 0; i < r->nruns; i++)
			v[i] = RUN_FIELD(i, mi, ops_per_s);
		m->ops_per_s = stats_mean(v, r->nruns);
	}
	if (r->hist[mi] && r->hist[mi]->n > 0 && !isnan(m->n) && (double)r->hist[mi]->n == m->n)
		m->op_stddev = hist_stddev(r->hist[mi]);	/* exact: summed moments */
	if (r->hist[mi] && r->hist[mi]->n > 0) {
		m->p50 = hist_percentile(r->hist[mi], 50);
		m->p90 = hist_percentile(r->hist[mi], 90);
		m->p99 = hist_percentile(r->hist[mi], 99);
		m->p999 = hist_percentile(r->hist[mi], 99.9);
	}
}

void result_aggregate(struct result *r)
{
	size_t mi;

	for (mi = 0; mi < r->nmetrics; mi++)
		aggregate_metric(r, mi);
}

struct hist *result_hist_new(unsigned int sub_bits, unsigned int max_bits)
{
	struct hist *h = malloc(sizeof(*h));

	if (h && hist_init(h, sub_bits, max_bits)) {
		free(h);
		h = NULL;
	}
	return h;
}

void result_hist_delete(struct hist *h)
{
	if (h) {
		hist_free(h);
		free(h);
	}
}

int result_merge_hists(struct result *r)
{
	size_t mi, i;

	for (mi = 0; mi < r->nmetrics; mi++) {
		struct hist *h;

		for (i = 0; i < r->nruns && r->runs[i].hist[mi]; i++)
			;
		if (r->nruns == 0 || i < r->nruns)
			continue;
		h = result_hist_new(r->runs[0].hist[mi]->sub_bits, r->runs[0].hist[mi]->max_bits);
		if (!h)
			return -1;
		for (i = 0; i < r->nruns; i++) {
			if (hist_merge(h, r->runs[i].hist[mi])) {
				result_hist_delete(h);
				return -1;
			}
		}
		r->hist[mi] = h;
		r->owns_hist = 1;
	}
	return 0;
}

void result_free_hists(struct result *r)
{
	size_t mi, i;

	for (mi = 0; mi < RESULT_MAX_METRICS; mi++) {
		for (i = 0; i < r->nruns; i++) {
			result_hist_delete(r->runs[i].hist[mi]);
			r->runs[i].hist[mi] = NULL;
		}
		if (r->owns_hist)
			result_hist_delete(r->hist[mi]);
		r->hist[mi] = NULL;
	}
	r->owns_hist = 0;
}

static const char *dir_short(int dir)
{
	return dir == CFG_DIR_TO_DEVICE ? "to" : dir == CFG_DIR_FROM_DEVICE ? "from" : "bidir";
}

void result_cell_name(const struct cell *c, char *buf, size_t len)
{
	char size[32], bar[32];
	unsigned int bit;
	size_t n;

	config_format_size(c->size, size, sizeof(size));
	if (!c->extended) {
		snprintf(buf, len, "%s-%s-%s-t%u", c->engine, c->mode, size, c->threads);
		return;
	}
	n = (size_t)snprintf(buf, len, "%s-%s-%s", c->engine, c->mode, size);
	if (n < len && c->nents)
		n += (size_t)snprintf(buf + n, len - n, "-n%u", c->nents);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "-t%u-%s-%s", c->threads,
				      c->target == CFG_TARGET_DIRECT ? "direct" : "pci",
				      dir_short(c->dir));
	if (n < len && c->dma_bits != 64)
		n += (size_t)snprintf(buf + n, len - n, "-bits%u", c->dma_bits);
	if (n < len && c->node != -1)
		n += (size_t)snprintf(buf + n, len - n, "-node%d", c->node);
	if (n < len && c->bar_dev != CFG_BAR_NONE) {
		config_format_bar(c->bar_dev, c->bar, bar, sizeof(bar));
		*strchr(bar, ':') = '\0';
		n += (size_t)snprintf(buf + n, len - n, "-%s-bar%u", bar, c->bar);
	}
	for (bit = 1; bit & CFG_ATTR_ALL; bit <<= 1)
		if (n < len && (c->attrs & bit))
			n += (size_t)snprintf(buf + n, len - n, "-%s", config_attr_name(bit));
}

void result_file_name(const struct cell *c, char *buf, size_t len)
{
	size_t n;

	result_cell_name(c, buf, len);
	n = strlen(buf);
	snprintf(buf + n, len - n, ".json");
}

static void write_kv_object(struct jw *w, const struct result_kv *kv, size_t n)
{
	size_t i;

	jw_object_begin(w);
	for (i = 0; i < n; i++) {
		jw_key(w, kv[i].key);
		jw_uint(w, kv[i].val);
	}
	jw_object_end(w);
}

/* The kmod keys; null where a key does not apply to the cell. */
static void write_cell_extended(struct jw *w, const struct cell *c)
{
	char buf[32];
	unsigned int bit;

	jw_key(w, "nents");
	if (c->nents)
		jw_uint(w, c->nents);
	else
		jw_null(w);
	jw_key(w, "iterations");
	if (c->iterations)
		jw_uint(w, c->iterations);
	else
		jw_null(w);
	jw_key(w, "batch");
	jw_uint(w, c->batch);
	jw_key(w, "target");
	jw_string(w, config_target_name(c->target));
	jw_key(w, "device");
	if (c->has_device) {
		config_format_pci(c->domain, c->bdf, buf, sizeof(buf));
		jw_string(w, buf);
	} else {
		jw_null(w);
	}
	jw_key(w, "bar");
	if (c->bar_dev != CFG_BAR_NONE) {
		config_format_bar(c->bar_dev, c->bar, buf, sizeof(buf));
		jw_string(w, buf);
	} else {
		jw_null(w);
	}
	jw_key(w, "attrs");
	jw_array_begin(w);
	for (bit = 1; bit & CFG_ATTR_ALL; bit <<= 1)
		if (c->attrs & bit)
			jw_string(w, config_attr_name(bit));
	jw_array_end(w);
}

static void write_cell(struct jw *w, const struct cell *c)
{
	jw_object_begin(w);
	jw_key(w, "engine");
	jw_string(w, c->engine);
	jw_key(w, "mode");
	jw_string(w, c->mode);
	jw_key(w, "size");
	jw_uint(w, c->size);
	jw_key(w, "threads");
	jw_uint(w, c->threads);
	jw_key(w, "dir");
	jw_string(w, config_dir_name(c->dir));
	jw_key(w, "dma_bits");
	if (c->tool[0] && !c->dma_bits)
		jw_null(w);	/* a workload sets no DMA mask */
	else
		jw_uint(w, c->dma_bits);
	jw_key(w, "node");
	jw_int(w, c->node);
	jw_key(w, "seconds");
	if ((c->extended && c->iterations) || (c->tool[0] && !c->seconds))
		jw_null(w);	/* not used: the run counts iterations or bytes */
	else
		jw_uint(w, c->seconds);
	jw_key(w, "repeat");
	jw_uint(w, c->repeat);
	jw_key(w, "trans_ns");
	jw_uint(w, c->trans_ns);
	if (c->tool[0]) {
		jw_key(w, "tool");
		jw_string(w, c->tool);
	}
	if (c->extended)
		write_cell_extended(w, c);
	jw_key(w, "engine_params");
	write_kv_object(w, c->params, c->nparams);
	if (c->extended) {
		jw_key(w, "iommu_domain");
		jw_string(w, c->iommu_domain);
		jw_key(w, "timer_overhead_share");
		jw_double(w, c->overhead_share);
	}
	jw_object_end(w);
}

static void write_metric(struct jw *w, const struct result *r, size_t mi)
{
	const struct metric *m = &r->metrics[mi];

	jw_object_begin(w);
	jw_key(w, "name");
	jw_string(w, r->names[mi]);
	jw_key(w, "unit");
	jw_string(w, r->units[mi] ? r->units[mi] : r->unit);
	jw_key(w, "better");
	jw_string(w, r->betters[mi] ? r->betters[mi] : r->better);
	jw_key(w, "n");
	jw_double(w, m->n);
	jw_key(w, "runs");
	jw_uint(w, r->nruns);
	jw_key(w, "mean");
	jw_double(w, m->mean);
	jw_key(w, "stddev");
	jw_double(w, m->stddev);
	jw_key(w, "op_stddev");
	jw_double(w, m->op_stddev);
	jw_key(w, "p50");
	jw_double(w, m->p50);
	jw_key(w, "p90");
	jw_double(w, m->p90);
	jw_key(w, "p99");
	jw_double(w, m->p99);
	jw_key(w, "p999");
	jw_double(w, m->p999);
	jw_key(w, "min");
	jw_double(w, m->min);
	jw_key(w, "max");
	jw_double(w, m->max);
	jw_key(w, "ops_per_s");
	jw_double(w, m->ops_per_s);
	jw_key(w, "resolution_ns");
	jw_double(w, r->resolution_ns);
	jw_object_end(w);
}

static void write_run(struct jw *w, const struct result *r, size_t ri)
{
	const struct run_record *run = &r->runs[ri];
	size_t mi;

	jw_object_begin(w);
	jw_key(w, "metrics");
	jw_object_begin(w);
	for (mi = 0; mi < r->nmetrics; mi++) {
		jw_key(w, r->names[mi]);
		jw_object_begin(w);
		jw_key(w, "mean");
		jw_double(w, run->m[mi].mean);
		jw_key(w, "op_stddev");
		jw_double(w, run->m[mi].op_stddev);
		jw_key(w, "n");
		jw_double(w, run->m[mi].n);
		if (run->hist[mi]) {
			/* this run's own percentiles: compare tests them across runs */
			jw_key(w, "p50");
			jw_double(w, hist_percentile(run->hist[mi], 50));
			jw_key(w, "p90");
			jw_double(w, hist_percentile(run->hist[mi], 90));
			jw_key(w, "p99");
			jw_double(w, hist_percentile(run->hist[mi], 99));
			jw_key(w, "p999");
			jw_double(w, hist_percentile(run->hist[mi], 99.9));
		}
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_key(w, "raw");
	write_kv_object(w, run->raw, run->nraw);
	jw_object_end(w);
}

/* Sparse: [[bucket index, count], ...] for non-empty buckets only. */
static void write_histograms(struct jw *w, const struct result *r)
{
	size_t mi, i;

	jw_object_begin(w);
	jw_key(w, "layout");
	jw_string(w, "dmabench-log-linear");
	jw_key(w, "layout_version");
	jw_int(w, DMABENCH_HIST_LAYOUT_VERSION);
	for (mi = 0; mi < r->nmetrics; mi++) {
		const struct hist *h = r->hist[mi];

		if (!h)
			continue;
		jw_key(w, r->names[mi]);
		jw_object_begin(w);
		jw_key(w, "sub_bits");
		jw_uint(w, h->sub_bits);
		jw_key(w, "max_bits");
		jw_uint(w, h->max_bits);
		jw_key(w, "n");
		jw_uint(w, h->n);
		jw_key(w, "buckets");
		jw_array_begin(w);
		for (i = 0; i < h->nbuckets; i++) {
			if (!h->counts[i])
				continue;
			jw_array_begin(w);
			jw_uint(w, i);
			jw_uint(w, h->counts[i]);
			jw_array_end(w);
		}
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_object_end(w);
}

int result_write(FILE *f, const struct env *e, const struct result *r)
{
	struct jw w;
	size_t i;
	int any_hist = 0;

	jw_init(&w, f);
	jw_object_begin(&w);
	jw_key(&w, "schema");
	jw_string(&w, RESULT_SCHEMA);
	jw_key(&w, "schema_version");
	jw_int(&w, RESULT_SCHEMA_VERSION);
	jw_key(&w, "env");
	env_write_json(&w, e);
	jw_key(&w, "cell");
	write_cell(&w, &r->cell);
	jw_key(&w, "status");
	jw_string(&w, r->status == RESULT_UNSUPPORTED ? "unsupported" : "ok");
	jw_key(&w, "status_detail");
	jw_string(&w, r->status_detail[0] ? r->status_detail : NULL);
	jw_key(&w, "metrics");
	jw_array_begin(&w);
	for (i = 0; i < r->nmetrics; i++)
		write_metric(&w, r, i);
	jw_array_end(&w);
	jw_key(&w, "runs");
	jw_array_begin(&w);
	for (i = 0; i < r->nruns; i++)
		write_run(&w, r, i);
	jw_array_end(&w);
	for (i = 0; i < r->nmetrics; i++)
		any_hist |= r->hist[i] != NULL;
	if (any_hist) {
		jw_key(&w, "histogram");
		write_histograms(&w, r);
	}
	jw_object_end(&w);
	return jw_finish(&w);
}

/* ---- reading ---- */

static int get_uint(const struct jval *o, const char *key, uint64_t max, uint64_t *out)
{
	const struct jval *v = json_get(o, key);

	if (!v || v->type != J_NUMBER || !v->is_int || v->inum < 0 || (uint64_t)v->inum > max)
		return -1;
	*out = (uint64_t)v->inum;
	return 0;
}

static int copy_str(const struct jval *o, const char *key, char *dst, size_t len)
{
	const char *s = json_get_str(o, key);

	if (!s || strlen(s) >= len)
		return -1;
	strcpy(dst, s);
	return 0;
}

/* 1 and *out for a number, 0 for null, -1 for anything else (or absent) */
static int get_uint_or_null(const struct jval *o, const char *key, uint64_t max, uint64_t *out)
{
	const struct jval *v = json_get(o, key);

	if (v && v->type == J_NULL)
		return 0;
	return get_uint(o, key, max, out) ? -1 : 1;
}

/* The kmod keys (all present when "target" is), into lr->cell. */
static int read_cell_extended(const struct jval *cell, struct cell *c, char *what, size_t wl)
{
	const struct jval *v, *attrs;
	const char *s;
	uint64_t u;
	size_t i;
	int r;

	c->extended = 1;
	s = json_get_str(cell, "target");
	c->target = !s ? -1 : !strcmp(s, "pci") ? CFG_TARGET_PCI :
		    !strcmp(s, "direct") ? CFG_TARGET_DIRECT : -1;
	if (c->target < 0)
		return snprintf(what, wl, "cell.target must be \"pci\" or \"direct\""), -1;
	if ((r = get_uint_or_null(cell, "nents", 1u << 20, &u)) < 0)
		return snprintf(what, wl, "cell.nents must be a non-negative integer or null"), -1;
	c->nents = r ? (unsigned int)u : 0;
	if ((r = get_uint_or_null(cell, "iterations", UINT64_MAX, &u)) < 0)
		return snprintf(what, wl, "cell.iterations must be a non-negative integer or null"), -1;
	c->iterations = r ? u : 0;
	if (get_uint(cell, "batch", 1u << 20, &u))
		return snprintf(what, wl, "cell.batch must be a non-negative integer"), -1;
	c->batch = (unsigned int)u;
	v = json_get(cell, "device");
	s = json_get_str(cell, "device");
	if (!v || (v->type != J_NULL && (!s || config_parse_pci(s, &c->domain, &c->bdf))))
		return snprintf(what, wl, "cell.device must be a PCI address dddd:bb:dd.f or null"), -1;
	c->has_device = s != NULL;
	v = json_get(cell, "bar");
	s = json_get_str(cell, "bar");
	if (!v || (v->type != J_NULL && (!s || config_parse_bar(s, &c->bar_dev, &c->bar))))
		return snprintf(what, wl, "cell.bar must be \"target:N\", \"p2pmem:N\" or null"), -1;
	attrs = json_get_array(cell, "attrs");
	if (!attrs)
		return snprintf(what, wl, "cell.attrs must be an array"), -1;
	for (i = 0; i < attrs->len; i++) {
		unsigned int bit;

		for (bit = 1; bit & CFG_ATTR_ALL; bit <<= 1)
			if (attrs->items[i]->type == J_STRING &&
			    !strcmp(attrs->items[i]->str, config_attr_name(bit)))
				break;
		if (!(bit & CFG_ATTR_ALL))
			return snprintf(what, wl, "cell.attrs[%zu] is not a known attribute", i), -1;
		c->attrs |= bit;
	}
	return 0;
}

/* Fills lr->cell with the cell's identity (names, numbers, kmod keys). */
static int read_cell_identity(const struct jval *cell, struct loaded_result *lr,
			      char *what, size_t wl)
{
	struct cell *c = &lr->cell;
	const struct jval *node = json_get(cell, "node");

	snprintf(c->engine, sizeof(c->engine), "%s", lr->engine);
	snprintf(c->mode, sizeof(c->mode), "%s", lr->mode);
	c->size = lr->size;
	c->threads = lr->threads;
	c->dir = config_dir_from_name(lr->dir);
	c->dma_bits = lr->dma_bits;
	c->node = INT_MIN;
	if (node && node->type == J_NUMBER && node->is_int && node->inum >= -1 &&
	    node->inum <= INT_MAX)
		c->node = (int)node->inum;
	else if (node)
		return snprintf(what, wl, "cell.node must be an integer >= -1"), -1;
	c->overhead_share = NAN;
	if (json_get(cell, "target"))
		return read_cell_extended(cell, c, what, wl);
	return 0;
}

static int read_cell(const struct jval *cell, struct loaded_result *lr, char *what, size_t wl)
{
	uint64_t v;

	if (!cell)
		return snprintf(what, wl, "no \"cell\" object"), -1;
	if (copy_str(cell, "engine", lr->engine, sizeof(lr->engine)))
		return snprintf(what, wl, "cell.engine must be a short string"), -1;
	if (copy_str(cell, "mode", lr->mode, sizeof(lr->mode)))
		return snprintf(what, wl, "cell.mode must be a short string"), -1;
	if (copy_str(cell, "dir", lr->dir, sizeof(lr->dir)))
		return snprintf(what, wl, "cell.dir must be a short string"), -1;
	if (get_uint(cell, "size", UINT64_MAX, &lr->size))
		return snprintf(what, wl, "cell.size must be a non-negative integer"), -1;
	if (get_uint(cell, "threads", 1u << 20, &v))
		return snprintf(what, wl, "cell.threads must be a non-negative integer"), -1;
	lr->threads = (unsigned int)v;
	if (get_uint_or_null(cell, "dma_bits", 64, &v) < 0)
		return snprintf(what, wl, "cell.dma_bits must be an integer 0..64 or null"), -1;
	lr->dma_bits = json_get(cell, "dma_bits")->type == J_NULL ? 0 : (unsigned int)v;
	return read_cell_identity(cell, lr, what, wl);
}

static int read_metrics(const struct jval *root, struct loaded_result *lr, char *what, size_t wl)
{
	const struct jval *ms = json_get_array(root, "metrics");
	const struct jval *runs = json_get_array(root, "runs");
	size_t i, j;

	if (!ms)
		return snprintf(what, wl, "no \"metrics\" array"), -1;
	if (!runs)
		return snprintf(what, wl, "no \"runs\" array"), -1;
	if (ms->len > RESULT_MAX_METRICS || runs->len > RESULT_MAX_RUNS)
		return snprintf(what, wl, "more than %d metrics or %d runs", RESULT_MAX_METRICS,
				RESULT_MAX_RUNS), -1;
	for (i = 0; i < ms->len; i++) {
		const struct jval *m = ms->items[i];
		struct loaded_metric *lm = &lr->m[i];
		const char *better;
		double res;

		if (copy_str(m, "name", lm->name, sizeof(lm->name)) ||
		    copy_str(m, "unit", lm->unit, sizeof(lm->unit)))
			return snprintf(what, wl, "metrics[%zu] needs string name and unit", i), -1;
		for (j = 0; j < i; j++)
			if (!strcmp(lr->m[j].name, lm->name))
				return snprintf(what, wl, "metric \"%s\" appears twice", lm->name), -1;
		better = json_get_str(m, "better");
		lm->lower_is_better = !better ? -1 : !strcmp(better, "lower") ? 1 :
				      !strcmp(better, "higher") ? 0 : -1;
		lm->resolution_ns = NAN;
		if (json_get_num(m, "resolution_ns", &res) < 0)
			return snprintf(what, wl, "metrics[%zu].resolution_ns must be a number", i), -1;
		if (json_get_num(m, "resolution_ns", &res) > 0)
			lm->resolution_ns = res;
		for (j = 0; j < runs->len; j++) {
			const struct jval *rm = json_get_object(json_get_object(runs->items[j], "metrics"),
								lm->name);
			double mean;
			int got;

			if (!rm)
				return snprintf(what, wl, "runs[%zu].metrics has no \"%s\" object",
						j, lm->name), -1;
			got = json_get_num(rm, "mean", &mean);
			if (got < 0)
				return snprintf(what, wl, "runs[%zu].metrics.%s.mean must be a number or null",
						j, lm->name), -1;
			if (got > 0)
				lm->run_means[lm->nruns++] = mean;
			/* optional per-run percentiles, for compare's p50/p99 tables */
			got = json_get_num(rm, "p50", &mean);
			if (got > 0)
				lm->run_p50[lm->np50++] = mean;
			if (got >= 0)
				got = json_get_num(rm, "p99", &mean);
			if (got > 0)
				lm->run_p99[lm->np99++] = mean;
			if (got < 0)
				return snprintf(what, wl, "runs[%zu].metrics.%s.p50 and p99 must be numbers or null",
						j, lm->name), -1;
		}
	}
	lr->nmetrics = ms->len;
	return 0;
}

/* "status" is optional (files before it was added are "ok") */
static int read_status(const struct jval *root, struct loaded_result *lr, char *what, size_t wl)
{
	const struct jval *v = json_get(root, "status");
	const char *detail = json_get_str(root, "status_detail");

	if (v && (v->type != J_STRING || (strcmp(v->str, "ok") && strcmp(v->str, "unsupported"))))
		return snprintf(what, wl, "\"status\" must be \"ok\" or \"unsupported\""), -1;
	lr->unsupported = v && !strcmp(v->str, "unsupported");
	snprintf(lr->status_detail, sizeof(lr->status_detail), "%s", detail ? detail : "");
	return 0;
}

/* The checks of result_read() and result_parse(), on a parsed file it frees. */
static int result_from_json(struct jval *root, const char *path, struct loaded_result *lr,
			    char *err, size_t errlen)
{
	const struct jval *env;
	const char *schema;
	char what[200];
	double ver;
	int k;

	schema = json_get_str(root, "schema");
	if (!schema || strcmp(schema, RESULT_SCHEMA) != 0) {
		snprintf(err, errlen, "%s: not a dmabench result (\"schema\" is %s%s%s, want \"%s\")",
			 path, schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "",
			 RESULT_SCHEMA);
		goto bad;
	}
	if (json_get_num(root, "schema_version", &ver) != 1) {
		snprintf(err, errlen, "%s: \"schema_version\" missing or not a number", path);
		goto bad;
	}
	if (ver != RESULT_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema_version %g is not supported (this dmabench reads %d)",
			 path, ver, RESULT_SCHEMA_VERSION);
		goto bad;
	}
	if (read_cell(json_get_object(root, "cell"), lr, what, sizeof(what)) ||
	    read_status(root, lr, what, sizeof(what)) ||
	    read_metrics(root, lr, what, sizeof(what))) {
		snprintf(err, errlen, "%s: %s", path, what);
		goto bad;
	}
	env = json_get_object(root, "env");
	for (k = 0; env && k < ENV_NKEYS; k++) {
		const struct jval *v = json_get(env, env_key_name((enum env_key)k));
		char num[32];

		if (!v || v->type == J_NULL)
			continue;
		if (v->type == J_STRING)
			lr->env[k] = strdup(v->str);
		else if (v->type == J_TRUE || v->type == J_FALSE)
			lr->env[k] = strdup(v->type == J_TRUE ? "true" : "false");
		else if (v->type == J_NUMBER) {
			snprintf(num, sizeof(num), "%.17g", v->num);
			lr->env[k] = strdup(num);
		}
	}
	json_free(root);
	return 0;
bad:
	json_free(root);
	return -1;
}

void result_loaded_free(struct loaded_result *lr)
{
	int k;

	for (k = 0; k < ENV_NKEYS; k++) {
		free(lr->env[k]);
		lr->env[k] = NULL;
	}
}

int result_read(const char *path, struct loaded_result *lr, char *err, size_t errlen)
{
	struct jval *root;

	memset(lr, 0, sizeof(*lr));
	snprintf(lr->path, sizeof(lr->path), "%s", path);
	root = json_parse_file(path, err, errlen);
	if (!root)
		return -1;
	return result_from_json(root, path, lr, err, errlen);
}

int result_parse(const char *name, const char *buf, size_t len, struct loaded_result *lr,
		 char *err, size_t errlen)
{
	struct jval *root;

	memset(lr, 0, sizeof(*lr));
	snprintf(lr->path, sizeof(lr->path), "%s", name);
	root = json_parse(buf, len, err, errlen);
	if (!root)
		return -1;
	return result_from_json(root, name, lr, err, errlen);
}
