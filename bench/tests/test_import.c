/*
 * Tests for lib/import.c on stored outputs of the real tools
 * (tests/data/import/): fio 3.33 json+, perftest 4.5 ib_write_bw /
 * ib_read_bw, and workloads/rdma-dmabuf, including their failure reports.
 */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "import.h"
#include "result.h"

#define DATA "tests/data/import/"

static char *load(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), DATA "%s", name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		printf("# cannot read %s\n", path);
		exit(1);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		printf("# cannot read %s\n", path);
		exit(1);
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Imports one stored file as run number r->nruns; returns import_run's code. */
static int import_file(enum import_format fmt, const char *name, struct result *r,
		       struct cell *cell, char *err, size_t errlen)
{
	size_t len;
	char *text = load(name, &len);
	int rc = import_run(fmt, text, len, cell, &r->runs[r->nruns], r, err, errlen);

	free(text);
	if (rc == 0)
		r->nruns++;
	return rc;
}

/* Imports text given inline (edited copies of the samples). */
static int import_text(enum import_format fmt, const char *text, struct result *r, char *err,
		       size_t errlen)
{
	struct cell cell;
	int rc = import_run(fmt, text, strlen(text), &cell, &r->runs[r->nruns], r, err, errlen);

	if (rc == 0)
		result_hist_delete(r->runs[r->nruns].hist[2]);
	r->runs[r->nruns].hist[2] = NULL;
	return rc;
}

/* The sample with "from" replaced by "to" (once); the caller frees it. */
static char *edited(const char *name, const char *from, const char *to)
{
	size_t len;
	char *text = load(name, &len), *at = strstr(text, from), *out;

	if (!at) {
		printf("# %s does not hold \"%s\"\n", name, from);
		exit(1);
	}
	out = malloc(len + strlen(to) + 1);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	free(text);
	return out;
}

static void test_fio_write(void)
{
	struct result *r = calloc(1, sizeof(*r));
	struct cell cell;
	char err[512], name[128];

	CHECK_INT(import_file(IMPORT_FIO, "fio-write-libaio-host-128K.json", r, &cell, err,
			      sizeof(err)), 0, "fio: a verified write job imports");
	result_cell_name(&cell, name, sizeof(name));
	CHECK_STR(name, "fio-write-libaio-host-128K-t1", "fio: cell name from the job's own options");
	CHECK_STR(cell.tool, "fio-3.33", "fio: tool is fio's version string");
	CHECK_INT(cell.dir, CFG_DIR_TO_DEVICE, "fio: a write job is to_device");
	CHECK_INT(cell.params[0].val, 4, "fio: iodepth recorded");
	CHECK_INT(r->nmetrics, 3, "fio: three metrics");
	CHECK_STR(r->names[0], "bw", "fio: metric 0 is bw");
	CHECK_STR(r->units[0], "GB/s", "fio: bw in GB/s");
	CHECK_STR(r->betters[0], "higher", "fio: higher bw is better");
	CHECK_STR(r->units[1], "IO/s", "fio: iops in IO/s");
	CHECK_STR(r->names[2], "clat", "fio: metric 2 is clat");
	CHECK_STR(r->betters[2], "lower", "fio: lower clat is better");
	/* the write block, not the verify phase's read block */
	CHECK_DBL(r->runs[0].m[0].mean, 270600258 / 1e9, 1e-15, "fio: bw from write.bw_bytes");
	CHECK_DBL(r->runs[0].m[1].mean, 2064.516129, 1e-9, "fio: iops from write.iops");
	CHECK_DBL(r->runs[0].m[1].n, 64, 0, "fio: iops n is write.total_ios");
	CHECK(r->runs[0].hist[2] && r->runs[0].hist[2]->n == 64,
	      "fio: clat histogram from json+ bins holds every I/O");
	result_free_hists(r);
	free(r);
}

static void test_fio_p2pmem(void)
{
	struct result *r = calloc(1, sizeof(*r));
	struct cell cell;
	char err[512], name[128];

	CHECK_INT(import_file(IMPORT_FIO, "fio-read-libaio-p2pmem-128K-guest.json", r, &cell, err,
			      sizeof(err)), 0, "fio: a CMB (p2pmem) read from the guest imports");
	result_cell_name(&cell, name, sizeof(name));
	CHECK_STR(name, "fio-read-libaio-p2pmem-128K-t1",
		  "fio: mem=mmapshared:.../p2pmem/allocate is buffer p2pmem");
	CHECK(r->runs[0].m[0].mean > 0, "fio: p2pmem bandwidth is positive");
	result_free_hists(r);
	free(r);
}

static void test_fio_runs(void)
{
	static const char *const files[] = {
		"fio-randread-io_uring-host-128K.run1.json",
		"fio-randread-io_uring-host-128K.run2.json",
		"fio-randread-io_uring-host-128K.run3.json",
	};
	static const double bw[] = { 645277538, 645277538, 441505684 };
	struct result *r = calloc(1, sizeof(*r));
	struct loaded_result lr;
	struct cell cell;
	char err[512], path[] = "/tmp/dmabench-import-XXXXXX";
	size_t i;
	int fd, ok = 1;
	FILE *f;
	struct env env;

	for (i = 0; i < 3; i++)
		ok &= import_file(IMPORT_FIO, files[i], r, &cell, err, sizeof(err)) == 0;
	CHECK(ok, "fio: three runs of one cell import");
	r->cell = cell;
	r->cell.repeat = 3;
	CHECK_INT(cell.dir, CFG_DIR_FROM_DEVICE, "fio: a read job is from_device");
	CHECK(!result_merge_hists(r), "fio: run histograms merge");
	result_aggregate(r);
	CHECK_DBL(r->metrics[0].mean, (bw[0] + bw[1] + bw[2]) / 3 / 1e9, 1e-12,
		  "fio: bw mean is the mean of the runs");
	CHECK(!isnan(r->metrics[0].stddev) && r->metrics[0].stddev > 0,
	      "fio: run-to-run spread of bw over 3 runs");
	CHECK(!isnan(r->metrics[2].p50) && !isnan(r->metrics[2].p99) &&
	      r->metrics[2].p50 <= r->metrics[2].p99, "fio: clat p50 <= p99 from the bins");

	/* written and read back as an ordinary result */
	memset(&env, 0, sizeof(env));
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	CHECK(f && result_write(f, &env, r) == 0, "fio: result writes");
	if (f)
		fclose(f);
	CHECK(result_read(path, &lr, err, sizeof(err)) == 0, "fio: result reads back");
	CHECK_STR(lr.m[0].unit, "GB/s", "fio: per-metric unit survives the round trip");
	CHECK_INT(lr.m[0].lower_is_better, 0, "fio: bw reads back as higher-is-better");
	CHECK_INT(lr.m[2].np50, 3, "fio: each run carries its own clat p50");
	CHECK_INT(lr.dma_bits, 0, "fio: dma_bits null reads back as 0 (not set)");
	result_loaded_free(&lr);
	unlink(path);
	result_free_hists(r);
	free(r);
}

static void test_fio_failures(void)
{
	struct result *r = calloc(1, sizeof(*r));
	struct cell cell;
	char err[512], *t;

	CHECK_INT(import_file(IMPORT_FIO, "fio-read-verify-failed.json", r, &cell, err,
			      sizeof(err)), IMPORT_FAILED, "fio: a verify failure fails the run");
	CHECK(strstr(err, "error 84") != NULL, "fio: the failure names fio's error");
	CHECK_INT(import_text(IMPORT_FIO, "not json", r, err, sizeof(err)), IMPORT_BADINPUT,
		  "fio: text that is not JSON is bad input");
	CHECK_INT(import_text(IMPORT_FIO, "{\"jobs\": []}", r, err, sizeof(err)), IMPORT_BADINPUT,
		  "fio: JSON that is not fio's is bad input");
	t = edited("fio-write-libaio-host-128K.json", "\"verify\" : \"crc32c\"",
		   "\"verify\" : \"0\"");
	CHECK_INT(import_text(IMPORT_FIO, t, r, err, sizeof(err)), IMPORT_BADINPUT,
		  "fio: a job without verify is refused");
	free(t);
	t = edited("fio-write-libaio-host-128K.json", "\"rw\" : \"write\"", "\"rw\" : \"randrw\"");
	CHECK_INT(import_text(IMPORT_FIO, t, r, err, sizeof(err)), IMPORT_BADINPUT,
		  "fio: a mixed rw job is refused");
	free(t);
	/* the write block's io_bytes is the second one in the file */
	t = edited("fio-write-libaio-host-128K.json", "\"write\" : {\n        \"io_bytes\" : 8388608",
		   "\"write\" : {\n        \"io_bytes\" : 0");
	CHECK_INT(import_text(IMPORT_FIO, t, r, err, sizeof(err)), IMPORT_FAILED,
		  "fio: a job that moved no bytes fails");
	free(t);
	t = edited("fio-randread-io_uring-host-128K.run1.json", "\"bins\"", "\"nobins\"");
	CHECK_INT(import_text(IMPORT_FIO, t, r, err, sizeof(err)), IMPORT_BADINPUT,
		  "fio: plain json (no bins) is refused: json+ is required");
	free(t);
	free(r);
}

static void test_perftest(void)
{
	struct result *r = calloc(1, sizeof(*r));
	struct cell cell;
	char err[512], name[128], *t;

	CHECK_INT(import_file(IMPORT_PERFTEST, "perftest-ib_write_bw.txt", r, &cell, err,
			      sizeof(err)), 0, "perftest: ib_write_bw client output imports");
	result_cell_name(&cell, name, sizeof(name));
	CHECK_STR(name, "perftest-write-host-64K-t1", "perftest: cell from the title and #bytes");
	CHECK_INT(r->nmetrics, 2, "perftest: bw and iops");
	CHECK(r->runs[0].m[0].mean > 0, "perftest: bandwidth is positive");
	CHECK_INT(import_file(IMPORT_PERFTEST, "perftest-ib_read_bw.txt", r, &cell, err,
			      sizeof(err)), 0, "perftest: ib_read_bw client output imports");
	result_cell_name(&cell, name, sizeof(name));
	CHECK_STR(name, "perftest-read-host-64K-t1", "perftest: ib_read_bw is mode read-host");
	CHECK_INT(cell.dir, CFG_DIR_TO_DEVICE, "perftest: READ drains the responder's buffer");

	/* the average column with perftest's units: MB = 2^20, Gb = 10^9 bits */
	r->nruns = 0;
	CHECK_INT(import_text(IMPORT_PERFTEST,
			      "                    RDMA_Write BW Test\n"
			      " #bytes     #iterations    BW peak[MB/sec]    BW average[MB/sec]   MsgRate[Mpps]\n"
			      "Conflicting CPU frequency values detected: 1.0 != 2.0\n"
			      " 65536      1000             27.53              26.00 \t\t   0.000416\n",
			      r, err, sizeof(err)), 0,
		  "perftest: a warning between header and result line is skipped");
	CHECK_DBL(r->runs[0].m[0].mean, 26.0 * 1048576 / 1e9, 1e-12, "perftest: MB/sec is 2^20 B/s");
	CHECK_DBL(r->runs[0].m[1].mean, 416, 1e-9, "perftest: MsgRate Mpps to IO/s");
	CHECK_INT(import_text(IMPORT_PERFTEST,
			      " RDMA_Read BW Test\n"
			      " #bytes     #iterations    BW peak[Gb/sec]    BW average[Gb/sec]   MsgRate[Mpps]\n"
			      " 65536      1000           357.12             353.53             0.674308\n",
			      r, err, sizeof(err)), 0, "perftest: --report_gbits output imports");
	CHECK_DBL(r->runs[0].m[0].mean, 353.53 / 8, 1e-9, "perftest: Gb/sec is 10^9 bits/s");
	CHECK_INT(import_text(IMPORT_PERFTEST,
			      " RDMA_Write BW Test\n"
			      " #bytes     #iterations    BW peak[MB/sec]    BW average[MB/sec]   MsgRate[Mpps]\n"
			      " 2          1000           0.0                0.05               2.8\n"
			      " 4          1000           0.0                0.09               2.8\n",
			      r, err, sizeof(err)), IMPORT_BADINPUT, "perftest: an -a sweep is refused");
	t = edited("perftest-ib_write_bw.txt", "#bytes", "#bytez");
	CHECK_INT(import_text(IMPORT_PERFTEST, t, r, err, sizeof(err)), IMPORT_BADINPUT,
		  "perftest: output without the result header is bad input");
	free(t);
	/* perftest 4.5's --out_json file: keys unquoted, so not JSON and not read */
	CHECK_INT(import_file(IMPORT_PERFTEST, "perftest-ib_write_bw.out_json", r, &cell, err,
			      sizeof(err)), IMPORT_BADINPUT,
		  "perftest: the --out_json file is not taken for the text report");
	CHECK_INT(import_text(IMPORT_PERFTEST,
			      " RDMA_Write BW Test\n"
			      " #bytes     #iterations    BW peak[MB/sec]    BW average[MB/sec]   MsgRate[Mpps]\n"
			      " Couldn't connect to 127.0.0.1:18516\n",
			      r, err, sizeof(err)), IMPORT_FAILED,
		  "perftest: a run without a result line failed");
	CHECK_INT(import_text(IMPORT_PERFTEST,
			      " RDMA_Write BW Test\n"
			      " #bytes     #iterations    BW peak[MB/sec]    BW average[MB/sec]   MsgRate[Mpps]\n"
			      " 65536      0              0.00               0.00               0.000000\n",
			      r, err, sizeof(err)), IMPORT_FAILED, "perftest: zero bandwidth failed");
	free(r);
}

static void test_rdma_dmabuf(void)
{
	struct result *r = calloc(1, sizeof(*r));
	struct cell cell;
	char err[512], name[128];

	CHECK_INT(import_file(IMPORT_RDMA_DMABUF, "rdma-dmabuf-write-host.txt", r, &cell, err,
			      sizeof(err)), 0, "rdma-dmabuf: a host-memory run imports");
	result_cell_name(&cell, name, sizeof(name));
	CHECK_STR(name, "rdma-dmabuf-write-host-64K-t1", "rdma-dmabuf: cell name");
	CHECK(r->runs[0].m[0].mean > 0 && r->runs[0].hist[2] && r->runs[0].hist[2]->n > 0,
	      "rdma-dmabuf: bandwidth and latency samples");
	result_free_hists(r);
	r->nruns = 0;
	CHECK_INT(import_file(IMPORT_RDMA_DMABUF, "rdma-dmabuf-write-udmabuf-rxe.txt", r, &cell,
			      err, sizeof(err)), IMPORT_UNSUPPORTED,
		  "rdma-dmabuf: rxe's EOPNOTSUPP is an unsupported run, not a failure");
	CHECK(strstr(err, "unsupported on this device") && strstr(err, "errno 95"),
	      "rdma-dmabuf: unsupported detail carries the errno");
	CHECK_INT(import_text(IMPORT_RDMA_DMABUF,
			      "format=rdma-dmabuf 1\ndevice=x\nbuffer=host\nop=write\nsize=4096\n"
			      "status=error\ndetail=data check failed\n", r, err, sizeof(err)),
		  IMPORT_FAILED, "rdma-dmabuf: a failed data check fails the run");
	CHECK_INT(import_text(IMPORT_RDMA_DMABUF,
			      "format=rdma-dmabuf 1\nbuffer=host\nop=write\nsize=4096\nverified=0\n"
			      "ops=10\nbytes=40960\nelapsed_ns=1000\nlat=5\nstatus=ok\n", r, err,
			      sizeof(err)),
		  IMPORT_FAILED, "rdma-dmabuf: an unverified run fails");
	CHECK_INT(import_text(IMPORT_RDMA_DMABUF, "hello\n", r, err, sizeof(err)), IMPORT_BADINPUT,
		  "rdma-dmabuf: other text is bad input");
	CHECK_INT(import_text(IMPORT_RDMA_DMABUF,
			      "format=rdma-dmabuf 1\nbuffer=host\nop=write\nsize=4096\nlat=x\n", r,
			      err, sizeof(err)), IMPORT_BADINPUT,
		  "rdma-dmabuf: a non-numeric sample is bad input");
	free(r);
}

int main(void)
{
	CHECK_INT(import_format_from_name("fio"), IMPORT_FIO, "format names: fio");
	CHECK_INT(import_format_from_name("nope"), -1, "format names: unknown is -1");
	test_fio_write();
	test_fio_p2pmem();
	test_fio_runs();
	test_fio_failures();
	test_perftest();
	test_rdma_dmabuf();
	return harness_done();
}
