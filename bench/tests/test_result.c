/* Tests for lib/result.c: aggregation rules, histogram output, read errors. */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "result.h"

static struct run_metric rm(double mean, double sd, double n, double min, double max)
{
	struct run_metric m = { mean, sd, n, min, max, NAN };

	return m;
}

static void test_aggregate(void)
{
	struct result *r = calloc(1, sizeof(*r));
	struct hist h;
	uint64_t v;

	r->nmetrics = 1;
	strcpy(r->names[0], "map");
	r->nruns = 2;
	r->runs[0].m[0] = rm(100, 10, 10, 80, 130);
	r->runs[1].m[0] = rm(200, 20, 30, 150, 260);
	result_aggregate(r);
	CHECK_DBL(r->metrics[0].mean, 150, 0, "mean is the mean of run means");
	CHECK_DBL(r->metrics[0].stddev, sqrt(5000.0), 1e-12, "stddev is run-to-run (n-1)");
	/* pooled: weighted mean 175, SS = 9*100 + 10*75^2 + 29*400 + 30*25^2 = 87500 */
	CHECK_DBL(r->metrics[0].op_stddev, sqrt(87500.0 / 39.0), 1e-12,
		  "op_stddev pooled over all operations when n is known");
	CHECK_DBL(r->metrics[0].n, 40, 0, "n is the total operation count");
	CHECK_DBL(r->metrics[0].min, 80, 0, "min over runs");
	CHECK_DBL(r->metrics[0].max, 260, 0, "max over runs");
	CHECK(isnan(r->metrics[0].ops_per_s) && isnan(r->metrics[0].p50),
	      "ops/s and percentiles stay null when unknown");

	r->runs[1].m[0].n = NAN;
	result_aggregate(r);
	CHECK(isnan(r->metrics[0].n) && isnan(r->metrics[0].op_stddev),
	      "one run without n: total n and pooled op_stddev are null");

	r->nruns = 1;
	result_aggregate(r);
	CHECK_DBL(r->metrics[0].op_stddev, 10, 0, "one run: op_stddev is that run's");
	CHECK(isnan(r->metrics[0].stddev), "one run: run-to-run stddev is null");

	hist_init(&h, 5, 40);
	for (v = 1; v <= 50; v++)
		hist_add(&h, v);
	r->hist[0] = &h;
	result_aggregate(r);
	CHECK(r->metrics[0].p50 == 25 && r->metrics[0].p90 == 45 && r->metrics[0].p99 == 50 &&
	      r->metrics[0].p999 == 50, "percentiles come from the histogram");
	CHECK_DBL(r->metrics[0].op_stddev, 10, 0,
		  "histogram n (50) is not the runs' n (10): op_stddev stays the run's");
	r->runs[0].m[0].n = 50;
	result_aggregate(r);
	/* 1..50: sample variance 50 * 51 / 12 */
	CHECK_DBL(r->metrics[0].op_stddev, sqrt(50.0 * 51.0 / 12.0), 1e-12,
		  "histogram with the runs' n: op_stddev exact from its moments");
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct env env;
		struct jval *doc;
		const struct jval *hm, *b;
		char err[200];

		memset(&env, 0, sizeof(env));
		strcpy(r->cell.engine, "kmod");
		strcpy(r->cell.mode, "phys");
		r->cell.size = 4096;
		r->unit = "ns";
		r->better = "lower";
		r->resolution_ns = 1;
		result_write(f, &env, r);
		fclose(f);
		doc = json_parse(buf, len, err, sizeof(err));
		hm = json_get_object(json_get_object(doc, "histogram"), "map");
		b = json_get_array(hm, "buckets");
		CHECK(doc && !strcmp(json_get_str(json_get_object(doc, "histogram"), "layout"),
				     "dmabench-log-linear"), "histogram block with its layout name");
		CHECK(hm && b && b->len == 50 && b->items[0]->items[0]->inum == 1 &&
		      b->items[0]->items[1]->inum == 1 && b->items[49]->items[0]->inum == 50,
		      "sparse buckets [index, count] for non-empty buckets only");
		CHECK(json_get(hm, "sub_bits")->inum == 5 && json_get(hm, "max_bits")->inum == 40 &&
		      json_get(hm, "n")->inum == 50, "histogram parameters and n");
		json_free(doc);
		free(buf);
	}
	hist_free(&h);
	free(r);
}

static void test_file_name(void)
{
	struct cell c;
	char buf[128];

	memset(&c, 0, sizeof(c));
	strcpy(c.engine, "inkernel");
	strcpy(c.mode, "single");
	c.size = 1 << 20;
	c.threads = 16;
	result_file_name(&c, buf, sizeof(buf));
	CHECK_STR(buf, "inkernel-single-1M-t16.json", "file name engine-mode-size-tN.json");
	c.nents = 4;	/* ignored unless the engine marks the cell extended */
	c.dir = CFG_DIR_TO_DEVICE;
	result_cell_name(&c, buf, sizeof(buf));
	CHECK_STR(buf, "inkernel-single-1M-t16", "cell name of a plain cell");
	strcpy(c.engine, "kmod");
	strcpy(c.mode, "sg");
	c.extended = 1;
	c.target = CFG_TARGET_PCI;
	result_file_name(&c, buf, sizeof(buf));
	CHECK_STR(buf, "kmod-sg-1M-n4-t16-pci-to-bits0-node0.json",
		  "extended cell: nents, target, dir, and non-default mask and node");
}

static void test_merge(void)
{
	struct result *r = calloc(1, sizeof(*r));
	size_t i;

	r->nmetrics = 2;
	r->nruns = 2;
	for (i = 0; i < 2; i++) {
		r->runs[i].hist[0] = result_hist_new(5, 40);
		hist_add(r->runs[i].hist[0], 10 + i);
	}
	r->runs[0].hist[1] = result_hist_new(5, 40);	/* only one run: not merged */
	CHECK(result_merge_hists(r) == 0 && r->hist[0] && r->hist[0]->n == 2 &&
	      r->hist[0]->min == 10 && r->hist[0]->max == 11 && r->hist[1] == NULL && r->owns_hist,
	      "merge: a metric's histograms when every run has one");
	result_free_hists(r);
	CHECK(r->hist[0] == NULL && r->runs[0].hist[1] == NULL && !r->owns_hist, "merge: freed");
	r->runs[0].hist[0] = result_hist_new(5, 40);
	r->runs[1].hist[0] = result_hist_new(6, 40);
	CHECK(result_merge_hists(r) == -1, "merge: different layouts refused");
	result_free_hists(r);
	CHECK(result_hist_new(0, 40) == NULL, "a histogram outside the layout's bounds");
	free(r);
}

static const char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/dmabench-test-res.XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

#define CELL "\"cell\":{\"engine\":\"inkernel\",\"mode\":\"single\",\"size\":4096," \
	     "\"threads\":1,\"dir\":\"bidirectional\",\"dma_bits\":64}"
/* a kmod cell with the given extra keys */
#define KCELL(extra) "\"cell\":{\"engine\":\"kmod\",\"mode\":\"sg\",\"size\":4096," \
	"\"threads\":1,\"dir\":\"bidirectional\",\"dma_bits\":64,\"node\":-1," extra "}"
#define METRICS "\"metrics\":[{\"name\":\"map\",\"unit\":\"ns\",\"better\":\"lower\"," \
		"\"resolution_ns\":100}]"

static void test_read_errors(void)
{
	static const struct {
		const char *doc;
		const char *err;	/* after "<path>: " */
	} cases[] = {
		{ "{\"schema\":\"other\"}", "not a dmabench result (\"schema\" is \"other\", want \"dmabench-result\")" },
		{ "{}", "not a dmabench result (\"schema\" is missing, want \"dmabench-result\")" },
		{ "{\"schema\":\"dmabench-result\"}", "\"schema_version\" missing or not a number" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":2}",
		  "schema_version 2 is not supported (this dmabench reads 1)" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1}", "no \"cell\" object" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1,\"cell\":{\"engine\":1}}",
		  "cell.engine must be a short string" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1,\"cell\":{\"engine\":\"a\","
		  "\"mode\":\"b\",\"dir\":\"c\",\"size\":-1}}", "cell.size must be a non-negative integer" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL "}", "no \"metrics\" array" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL "," METRICS "}",
		  "no \"runs\" array" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL "," METRICS ",\"runs\":[{}]}",
		  "runs[0].metrics has no \"map\" object" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL "," METRICS
		  ",\"runs\":[{\"metrics\":{\"map\":{\"mean\":\"300\"}}}]}",
		  "runs[0].metrics.map.mean must be a number or null" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL ",\"metrics\":[{\"name\":\"map\"}],\"runs\":[]}",
		  "metrics[0] needs string name and unit" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL ",\"status\":\"broken\"}",
		  "\"status\" must be \"ok\" or \"unsupported\"" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," KCELL("\"target\":\"dma\"") "}",
		  "cell.target must be \"pci\" or \"direct\"" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," KCELL("\"target\":\"pci\",\"batch\":0,"
		  "\"nents\":null,\"iterations\":null,\"device\":\"0:3.0\"") "}",
		  "cell.device must be a PCI address dddd:bb:dd.f or null" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," KCELL("\"target\":\"pci\",\"batch\":0,"
		  "\"nents\":2,\"iterations\":5,\"device\":null,\"bar\":\"bar0\"") "}",
		  "cell.bar must be \"target:N\", \"p2pmem:N\" or null" },
		{ "{\"schema\":\"dmabench-result\",\"schema_version\":1," KCELL("\"target\":\"pci\",\"batch\":0,"
		  "\"nents\":2,\"iterations\":5,\"device\":null,\"bar\":null,\"attrs\":[\"fast\"]") "}",
		  "cell.attrs[0] is not a known attribute" },
	};
	struct loaded_result lr;
	char err[600], want[700], name[300];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = write_tmp(cases[i].doc);

		snprintf(want, sizeof(want), "%s: %s", path, cases[i].err);
		snprintf(name, sizeof(name), "read error: %s", cases[i].err);
		if (result_read(path, &lr, err, sizeof(err)) == 0) {
			result_loaded_free(&lr);
			CHECK(0, name);
		} else {
			CHECK_STR(err, want, name);
		}
		unlink(path);
	}
	{
		const char *path = write_tmp("{\"schema\":\"dmabench-result\",\"schema_version\":1," CELL
					     "," METRICS ",\"runs\":[{\"metrics\":{\"map\":{\"mean\":null}}},"
					     "{\"metrics\":{\"map\":{\"mean\":300}}}]}");

		CHECK(result_read(path, &lr, err, sizeof(err)) == 0 && lr.m[0].nruns == 1 &&
		      lr.m[0].run_means[0] == 300, "a null run mean is skipped, not treated as 0");
		result_loaded_free(&lr);
		unlink(path);
	}
}

int main(void)
{
	test_aggregate();
	test_file_name();
	test_merge();
	test_read_errors();
	return harness_done();
}
