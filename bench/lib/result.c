#include "result.h"

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

void result_file_name(const struct cell *c, char *buf, size_t len)
{
	char size[32];

	config_format_size(c->size, size, sizeof(size));
	snprintf(buf, len, "%s-%s-%s-t%u.json", c->engine, c->mode, size, c->threads);
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
	jw_uint(w, c->dma_bits);
	jw_key(w, "node");
	jw_int(w, c->node);
	jw_key(w, "seconds");
	jw_uint(w, c->seconds);
	jw_key(w, "repeat");
	jw_uint(w, c->repeat);
	jw_key(w, "trans_ns");
	jw_uint(w, c->trans_ns);
	jw_key(w, "engine_params");
	write_kv_object(w, c->params, c->nparams);
	jw_object_end(w);
}

static void write_metric(struct jw *w, const struct result *r, size_t mi)
{
	const struct metric *m = &r->metrics[mi];

	jw_object_begin(w);
	jw_key(w, "name");
	jw_string(w, r->names[mi]);
	jw_key(w, "unit");
	jw_string(w, r->unit);
	jw_key(w, "better");
	jw_string(w, r->better);
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
	if (get_uint(cell, "dma_bits", 64, &v))
		return snprintf(what, wl, "cell.dma_bits must be an integer 0..64"), -1;
	lr->dma_bits = (unsigned int)v;
	return 0;
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
		}
	}
	lr->nmetrics = ms->len;
	return 0;
}

int result_read(const char *path, struct loaded_result *lr, char *err, size_t errlen)
{
	struct jval *root;
	const struct jval *env;
	const char *schema;
	char what[200];
	double ver;
	int k;

	memset(lr, 0, sizeof(*lr));
	snprintf(lr->path, sizeof(lr->path), "%s", path);
	root = json_parse_file(path, err, errlen);
	if (!root)
		return -1;
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
