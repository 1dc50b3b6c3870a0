/*
 * Tests for the inkernel engine without a kernel: the ABI mirror, the
 * ioctl request built from a cell, and the result file written from a
 * fake struct map_benchmark, compared byte for byte.
 */
#include <stddef.h>
#include <stdlib.h>

#include "engine.h"
#include "engine_inkernel.h"
#include "harness.h"

static void test_abi(void)
{
	CHECK_INT(sizeof(struct map_benchmark), 136, "struct map_benchmark is 136 bytes");
	CHECK_INT(offsetof(struct map_benchmark, threads), 32, "threads at offset 32");
	CHECK_INT(offsetof(struct map_benchmark, node), 40, "node at offset 40");
	CHECK_INT(offsetof(struct map_benchmark, granule), 56, "granule at offset 56");
	CHECK_INT(offsetof(struct map_benchmark, expansion), 60, "expansion at offset 60");
	/* _IOWR: dir 3 << 30 | size 136 << 16 | 'd' << 8 | nr 1 */
	CHECK_INT((unsigned long)DMA_MAP_BENCHMARK, 0xc0886401ul, "ioctl number is 0xc0886401");
}

static struct cell make_cell(const char *mode, uint64_t size)
{
	struct cell c;

	memset(&c, 0, sizeof(c));
	strcpy(c.engine, "inkernel");
	strcpy(c.mode, mode);
	c.size = size;
	c.threads = 2;
	c.dir = CFG_DIR_TO_DEVICE;
	c.dma_bits = 64;
	c.node = -1;
	c.seconds = 2;
	c.repeat = 3;
	c.trans_ns = 500;
	return c;
}

static void test_cells(void)
{
	struct cell c;
	struct map_benchmark mb;
	char err[256];

	c = make_cell("page", 4096);
	CHECK(inkernel_check_cell(&c, 4096, err, sizeof(err)) == -1, "mode page is refused");
	CHECK_STR(err, "engine inkernel supports only mode 'single' (the in-tree benchmark times "
		  "dma_map_single), not 'page'", "... with the reason");
	c = make_cell("single", 4096);
	CHECK(inkernel_check_cell(&c, 65536, err, sizeof(err)) == -1 &&
	      !strcmp(err, "size 4096 is not a multiple of the page size 65536"),
	      "4K on a 64K-page kernel is refused");
	c = make_cell("single", 8u << 20);
	CHECK(inkernel_check_cell(&c, 4096, err, sizeof(err)) == -1 &&
	      !strcmp(err, "size 8388608 is 2048 pages; the kernel allows at most 1024"),
	      "more than 1024 pages is refused");
	c = make_cell("single", 65536);
	c.dma_bits = 19;
	CHECK(inkernel_check_cell(&c, 4096, err, sizeof(err)) == -1, "dma_bits 19 is refused");
	c = make_cell("single", 65536);
	CHECK(inkernel_check_cell(&c, 4096, err, sizeof(err)) == 0, "64K cell accepted");
	CHECK(c.nparams == 2 && !strcmp(c.params[0].key, "granule") && c.params[0].val == 16 &&
	      !strcmp(c.params[1].key, "page_size") && c.params[1].val == 4096,
	      "granule 16 pages and page_size recorded");
	memset(&mb, 0xff, sizeof(mb));
	inkernel_fill_request(&c, &mb);
	CHECK(mb.threads == 2 && mb.seconds == 2 && mb.node == -1 && mb.dma_bits == 64 &&
	      mb.dma_dir == 1 && mb.dma_trans_ns == 500 && mb.granule == 16 &&
	      mb.avg_map_100ns == 0 && mb.expansion[75] == 0, "ioctl request fields, rest zeroed");
	CHECK(engine_find("inkernel") == &engine_inkernel && engine_find("fio") == NULL,
	      "engine lookup");
}

static void test_convert(void)
{
	struct map_benchmark mb = { 0 };
	struct run_record run;

	mb.avg_map_100ns = 3;
	mb.map_stddev = 1;
	mb.avg_unmap_100ns = 2;
	mb.unmap_stddev = 0;
	inkernel_to_run(&mb, &run);
	CHECK_DBL(run.m[INKERNEL_MAP].mean, 300, 0, "map mean 3 x 100 ns = 300 ns");
	CHECK_DBL(run.m[INKERNEL_MAP].op_stddev, 100, 0, "map stddev 1 x 100 ns");
	CHECK_DBL(run.m[INKERNEL_UNMAP].mean, 200, 0, "unmap mean 200 ns");
	CHECK_DBL(run.m[INKERNEL_UNMAP].op_stddev, 0, 0, "unmap stddev 0 is a value, not null");
	CHECK_DBL(run.m[INKERNEL_MAP_UNMAP].mean, 500, 0, "map+unmap = sum of means");
	CHECK(isnan(run.m[INKERNEL_MAP_UNMAP].op_stddev), "map+unmap stddev unknown (covariance)");
	CHECK(isnan(run.m[INKERNEL_MAP].n) && isnan(run.m[INKERNEL_MAP].min) &&
	      isnan(run.m[INKERNEL_MAP].max) && isnan(run.m[INKERNEL_MAP].ops_per_s),
	      "op count, min, max, ops/s are not invented");
	CHECK(run.nraw == 4 && !strcmp(run.raw[0].key, "avg_map_100ns") && run.raw[0].val == 3 &&
	      !strcmp(run.raw[3].key, "unmap_stddev"), "raw kernel fields kept verbatim");
}

static const char expected_json[] =
	"{\n"
	"  \"schema\": \"dmabench-result\",\n"
	"  \"schema_version\": 1,\n"
	"  \"env\": {\n"
	"    \"kernel\": \"6.12.117\",\n"
	"    \"base_version\": null,\n"
	"    \"series_hash\": null,\n"
	"    \"series_patches\": null,\n"
	"    \"series_head\": null,\n"
	"    \"config_hash\": null,\n"
	"    \"cmdline\": null,\n"
	"    \"cpu\": null,\n"
	"    \"iommu_mode\": \"strict\",\n"
	"    \"swiotlb_force\": null,\n"
	"    \"platform\": null,\n"
	"    \"qemu\": null,\n"
	"    \"accel\": null,\n"
	"    \"icount\": null,\n"
	"    \"date\": null,\n"
	"    \"command\": null,\n"
	"    \"tree\": \"base\"\n"
	"  },\n"
	"  \"cell\": {\n"
	"    \"engine\": \"inkernel\",\n"
	"    \"mode\": \"single\",\n"
	"    \"size\": 65536,\n"
	"    \"threads\": 2,\n"
	"    \"dir\": \"to_device\",\n"
	"    \"dma_bits\": 64,\n"
	"    \"node\": -1,\n"
	"    \"seconds\": 2,\n"
	"    \"repeat\": 3,\n"
	"    \"trans_ns\": 500,\n"
	"    \"engine_params\": {\n"
	"      \"granule\": 16,\n"
	"      \"page_size\": 4096\n"
	"    }\n"
	"  },\n"
	"  \"status\": \"ok\",\n"
	"  \"status_detail\": null,\n"
	"  \"metrics\": [\n"
	"    {\n"
	"      \"name\": \"map\",\n"
	"      \"unit\": \"ns\",\n"
	"      \"better\": \"lower\",\n"
	"      \"n\": null,\n"
	"      \"runs\": 3,\n"
	"      \"mean\": 400,\n"
	"      \"stddev\": 100,\n"
	"      \"op_stddev\": null,\n"
	"      \"p50\": null,\n"
	"      \"p90\": null,\n"
	"      \"p99\": null,\n"
	"      \"p999\": null,\n"
	"      \"min\": null,\n"
	"      \"max\": null,\n"
	"      \"ops_per_s\": null,\n"
	"      \"resolution_ns\": 100\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"unmap\",\n"
	"      \"unit\": \"ns\",\n"
	"      \"better\": \"lower\",\n"
	"      \"n\": null,\n"
	"      \"runs\": 3,\n"
	"      \"mean\": 200,\n"
	"      \"stddev\": 0,\n"
	"      \"op_stddev\": null,\n"
	"      \"p50\": null,\n"
	"      \"p90\": null,\n"
	"      \"p99\": null,\n"
	"      \"p999\": null,\n"
	"      \"min\": null,\n"
	"      \"max\": null,\n"
	"      \"ops_per_s\": null,\n"
	"      \"resolution_ns\": 100\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"map+unmap\",\n"
	"      \"unit\": \"ns\",\n"
	"      \"better\": \"lower\",\n"
	"      \"n\": null,\n"
	"      \"runs\": 3,\n"
	"      \"mean\": 600,\n"
	"      \"stddev\": 100,\n"
	"      \"op_stddev\": null,\n"
	"      \"p50\": null,\n"
	"      \"p90\": null,\n"
	"      \"p99\": null,\n"
	"      \"p999\": null,\n"
	"      \"min\": null,\n"
	"      \"max\": null,\n"
	"      \"ops_per_s\": null,\n"
	"      \"resolution_ns\": 100\n"
	"    }\n"
	"  ],\n"
	"  \"runs\": [\n"
	"%s%s%s"
	"  ]\n"
	"}\n";

static const char run_fmt[] =
	"    {\n"
	"      \"metrics\": {\n"
	"        \"map\": {\n"
	"          \"mean\": %d,\n"
	"          \"op_stddev\": %d,\n"
	"          \"n\": null\n"
	"        },\n"
	"        \"unmap\": {\n"
	"          \"mean\": 200,\n"
	"          \"op_stddev\": 100,\n"
	"          \"n\": null\n"
	"        },\n"
	"        \"map+unmap\": {\n"
	"          \"mean\": %d,\n"
	"          \"op_stddev\": null,\n"
	"          \"n\": null\n"
	"        }\n"
	"      },\n"
	"      \"raw\": {\n"
	"        \"avg_map_100ns\": %d,\n"
	"        \"map_stddev\": %d,\n"
	"        \"avg_unmap_100ns\": 2,\n"
	"        \"unmap_stddev\": 1\n"
	"      }\n"
	"    }%s\n";

static void test_result_file(void)
{
	static const unsigned int map100[] = { 3, 4, 5 }, mapsd[] = { 1, 1, 2 };
	struct result *r = calloc(1, sizeof(*r));
	struct env env;
	struct loaded_result lr;
	char *buf = NULL, runs[3][1024], *want, path[] = "/tmp/dmabench-test-ink.XXXXXX";
	size_t len = 0, i;
	char err[256];
	FILE *f;
	int fd;

	memset(&env, 0, sizeof(env));
	env.val[ENV_KERNEL] = "6.12.117";
	env.val[ENV_IOMMU_MODE] = "strict";
	env.val[ENV_TREE] = "base";

	r->cell = make_cell("single", 65536);
	inkernel_check_cell(&r->cell, 4096, err, sizeof(err));
	engine_inkernel.describe(r);
	for (i = 0; i < 3; i++) {
		struct map_benchmark mb = { 0 };

		mb.avg_map_100ns = map100[i];
		mb.map_stddev = mapsd[i];
		mb.avg_unmap_100ns = 2;
		mb.unmap_stddev = 1;
		inkernel_to_run(&mb, &r->runs[r->nruns++]);
		snprintf(runs[i], sizeof(runs[i]), run_fmt, map100[i] * 100, mapsd[i] * 100,
			 map100[i] * 100 + 200, map100[i], mapsd[i], i < 2 ? "," : "");
	}
	result_aggregate(r);
	f = open_memstream(&buf, &len);
	CHECK(result_write(f, &env, r) == 0, "result_write succeeds");
	fclose(f);
	want = malloc(sizeof(expected_json) + 3 * 1024);
	sprintf(want, expected_json, runs[0], runs[1], runs[2]);
	CHECK_STR(buf, want, "result JSON from fake kernel answers is exactly as specified");

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(buf, f);
	fclose(f);
	CHECK(result_read(path, &lr, err, sizeof(err)) == 0, "the written file reads back");
	CHECK(!strcmp(lr.engine, "inkernel") && !strcmp(lr.mode, "single") && lr.size == 65536 &&
	      lr.threads == 2 && !strcmp(lr.dir, "to_device") && lr.dma_bits == 64,
	      "read back: cell key");
	CHECK(lr.nmetrics == 3 && lr.m[0].nruns == 3 && lr.m[0].run_means[2] == 500 &&
	      lr.m[2].run_means[0] == 500 && lr.m[0].lower_is_better == 1 &&
	      lr.m[0].resolution_ns == 100, "read back: per-run means for the t-test");
	CHECK_STR(lr.env[ENV_TREE], "base", "read back: env");
	result_loaded_free(&lr);
	remove(path);
	free(want);
	free(buf);
	free(r);
}

int main(void)
{
	test_abi();
	test_cells();
	test_convert();
	test_result_file();
	return harness_done();
}
