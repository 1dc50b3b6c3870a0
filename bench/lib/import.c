#define _GNU_SOURCE	/* memmem */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmabench_hist_layout.h"

static const char *const format_names[IMPORT_NFORMATS] = { "fio", "perftest", "rdma-dmabuf" };

int import_format_from_name(const char *name)
{
	int i;

	for (i = 0; i < IMPORT_NFORMATS; i++)
		if (!strcmp(format_names[i], name))
			return i;
	return -1;
}

const char *import_format_name(enum import_format f)
{
	return f < IMPORT_NFORMATS ? format_names[f] : "?";
}

/* Metrics every workload result has, in this order; lat only where measured. */
enum { M_BW, M_IOPS, M_LAT };

static void describe(struct result *r, int with_lat, const char *lat_name)
{
	static const char *const names[] = { "bw", "iops", NULL };
	size_t i;

	r->nmetrics = with_lat ? 3 : 2;
	for (i = 0; i < r->nmetrics; i++) {
		snprintf(r->names[i], sizeof(r->names[i]), "%s", names[i] ? names[i] : lat_name);
		r->units[i] = i == M_BW ? "GB/s" : i == M_IOPS ? "IO/s" : "ns";
		r->betters[i] = i == M_LAT ? "lower" : "higher";
	}
	r->unit = "ns";
	r->better = "lower";
	r->resolution_ns = NAN;
}

static void run_clear(struct run_record *run)
{
	size_t i;

	memset(run, 0, sizeof(*run));
	for (i = 0; i < RESULT_MAX_METRICS; i++) {
		run->m[i].mean = run->m[i].op_stddev = run->m[i].n = NAN;
		run->m[i].min = run->m[i].max = run->m[i].ops_per_s = NAN;
	}
}

static void add_raw(struct run_record *run, const char *key, unsigned long long v)
{
	if (run->nraw < RESULT_MAX_KV) {
		run->raw[run->nraw].key = key;
		run->raw[run->nraw].val = v;
		run->nraw++;
	}
}

static void cell_init(struct cell *c, enum import_format f)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->engine, sizeof(c->engine), "%s", format_names[f]);
	c->threads = 1;
	c->node = -1;
	c->repeat = 1;
	c->dir = CFG_DIR_BIDIRECTIONAL;
	c->overhead_share = NAN;
}

/* "4k", "128K", "1m", "4096", "1MiB": fio's sizes, k = 1024 (kb_base=1024). */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': v <<= 10; end++; break;
	case 'm': v <<= 20; end++; break;
	case 'g': v <<= 30; end++; break;
	default: break;
	}
	if (tolower((unsigned char)*end) == 'i')
		end++;
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end || v == 0)
		return -1;
	*out = v;
	return 0;
}

/* ---- fio --output-format=json+ ---- */

/* A job option: the job's own value, else the global one; NULL if unset. */
static const char *fio_opt(const struct jval *root, const struct jval *job, const char *key)
{
	const char *s = json_get_str(json_get_object(job, "job options"), key);

	return s ? s : json_get_str(json_get_object(root, "global options"), key);
}

static int num(const struct jval *o, const char *key, double *v)
{
	return json_get_num(o, key, v) == 1 ? 0 : -1;
}

/* A non-negative integer that fits exactly into a double. */
static int count(const struct jval *o, const char *key, unsigned long long *v)
{
	const struct jval *x = json_get(o, key);

	if (!x || x->type != J_NUMBER || !x->is_int || x->inum < 0)
		return -1;
	*v = (unsigned long long)x->inum;
	return 0;
}

/* clat_ns.bins of json+: {"<ns>": count, ...} into a fresh histogram. */
static int fio_bins(const struct jval *clat, struct run_record *run, char *err, size_t errlen)
{
	const struct jval *bins = json_get_object(clat, "bins");
	struct hist *h;
	size_t i;

	if (!bins) {
		snprintf(err, errlen, "clat_ns has no \"bins\": run fio with --output-format=json+");
		return IMPORT_BADINPUT;
	}
	h = result_hist_new(DMABENCH_HIST_SUB_BITS, DMABENCH_HIST_MAX_BITS);
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return IMPORT_FAILED;
	}
	for (i = 0; i < bins->len; i++) {
		const struct jmember *m = &bins->members[i];
		unsigned long long ns, c, k;
		char *end;

		errno = 0;
		ns = strtoull(m->key, &end, 10);
		if (errno || *end || end == m->key || m->val->type != J_NUMBER || !m->val->is_int ||
		    m->val->inum < 0) {
			snprintf(err, errlen, "clat_ns.bins: \"%s\" is not a latency with a count", m->key);
			result_hist_delete(h);
			return IMPORT_BADINPUT;
		}
		c = (unsigned long long)m->val->inum;
		for (k = 0; k < c; k++)
			hist_add(h, ns);
	}
	run->hist[M_LAT] = h;
	return 0;
}

static int import_fio(const char *text, size_t len, struct cell *cell, struct run_record *run,
		      struct result *r, char *err, size_t errlen)
{
	const struct jval *jobs, *job, *st, *clat;
	const char *rw, *bs, *ioengine, *mem, *ver, *buf, *s;
	unsigned long long io_bytes, total_ios, runtime_ms, bw_bytes, nclat;
	uint64_t depth = 1, njobs = 1;
	double iops, cmean, csd, cmin, cmax;
	long long jerr;
	struct jval *root;
	char membuf[32];
	int rc = IMPORT_BADINPUT, write;

	/* fio writes error notes ("fio: pid=..., err=84/...") before the JSON */
	while (*text && *text != '{') {
		const char *nl = strchr(text, '\n');

		if (!nl)
			break;
		len -= (size_t)(nl + 1 - text);
		text = nl + 1;
	}
	root = json_parse(text, len, err, errlen);
	if (!root)
		return IMPORT_BADINPUT;
	ver = json_get_str(root, "fio version");
	jobs = json_get_array(root, "jobs");
	if (!ver || !jobs) {
		snprintf(err, errlen, "not fio JSON output (no \"fio version\" and \"jobs\")");
		goto out;
	}
	if (jobs->len != 1) {
		snprintf(err, errlen, "%zu jobs: one job per run (use group_reporting for numjobs)",
			 jobs->len);
		goto out;
	}
	job = jobs->items[0];
	rw = fio_opt(root, job, "rw");
	bs = fio_opt(root, job, "bs");
	ioengine = fio_opt(root, job, "ioengine");
	mem = fio_opt(root, job, "mem");
	if (!rw || (strcmp(rw, "read") && strcmp(rw, "write") && strcmp(rw, "randread") &&
		    strcmp(rw, "randwrite"))) {
		snprintf(err, errlen, "rw=%s: only read, write, randread and randwrite jobs are imported",
			 rw ? rw : "(unset)");
		goto out;
	}
	if (!bs || parse_size(bs, &cell->size)) {
		snprintf(err, errlen, "bs=%s: want one block size such as 4k", bs ? bs : "(unset)");
		goto out;
	}
	if (!ioengine)
		ioengine = "psync";	/* fio's default */
	if ((s = fio_opt(root, job, "iodepth")) && (parse_size(s, &depth) || depth > 65536)) {
		snprintf(err, errlen, "iodepth=%s is not a number", s);
		goto out;
	}
	if ((s = fio_opt(root, job, "numjobs")) && (parse_size(s, &njobs) || njobs > 4096)) {
		snprintf(err, errlen, "numjobs=%s is not a number", s);
		goto out;
	}
	/* The buffer source: p2pmem (a CMB), host memory (malloc) or fio's other kinds. */
	if (mem && strstr(mem, "/p2pmem/"))
		buf = "p2pmem";
	else if (!mem || !strcmp(mem, "malloc"))
		buf = "host";
	else {
		snprintf(membuf, sizeof(membuf), "%.*s", (int)strcspn(mem, ":"), mem);
		buf = membuf;
	}
	if ((size_t)snprintf(cell->mode, sizeof(cell->mode), "%s-%s-%s", rw, ioengine, buf) >=
	    sizeof(cell->mode)) {
		snprintf(err, errlen, "mode %s-%s-%s is too long", rw, ioengine, buf);
		goto out;
	}
	snprintf(cell->tool, sizeof(cell->tool), "%s", ver);
	cell->threads = (unsigned int)njobs;
	write = strstr(rw, "write") != NULL;
	/* the DMA direction of the buffer: a read fills it from the device */
	cell->dir = write ? CFG_DIR_TO_DEVICE : CFG_DIR_FROM_DEVICE;
	cell->params[0].key = "iodepth";
	cell->params[0].val = depth;
	cell->nparams = 1;
	describe(r, 1, "clat");

	{
		const struct jval *e = json_get(job, "error");

		if (!e || e->type != J_NUMBER || !e->is_int) {
			snprintf(err, errlen, "job has no \"error\" field");
			goto out;
		}
		jerr = e->inum;
	}
	if (jerr != 0) {
		snprintf(err, errlen, "fio job failed with error %lld (%s): an I/O error or "
			 "data that did not verify", jerr, strerror((int)jerr));
		rc = IMPORT_FAILED;
		goto out;
	}
	st = json_get_object(job, write ? "write" : "read");
	clat = json_get_object(st, "clat_ns");
	if (!st || !clat || count(st, "io_bytes", &io_bytes) || count(st, "total_ios", &total_ios) ||
	    count(st, "runtime", &runtime_ms) || count(st, "bw_bytes", &bw_bytes) ||
	    num(st, "iops", &iops) || count(clat, "N", &nclat) || num(clat, "mean", &cmean) ||
	    num(clat, "stddev", &csd) || num(clat, "min", &cmin) || num(clat, "max", &cmax)) {
		snprintf(err, errlen, "job's \"%s\" block lacks io_bytes, total_ios, runtime, "
			 "bw_bytes, iops or clat_ns figures", write ? "write" : "read");
		goto out;
	}
	if (io_bytes == 0 || total_ios == 0 || runtime_ms == 0) {
		snprintf(err, errlen, "the job moved no data (io_bytes %llu, runtime %llu ms)",
			 io_bytes, runtime_ms);
		rc = IMPORT_FAILED;
		goto out;
	}
	/* verify= must have been on, else a path that moves nothing would pass */
	s = fio_opt(root, job, "verify");
	if (!s || !strcmp(s, "0") || !strcmp(s, "null")) {
		snprintf(err, errlen, "verify is off: workload results must be verified (verify=crc32c)");
		goto out;
	}
	cell->seconds = 0;
	run->m[M_BW].mean = (double)bw_bytes / 1e9;
	run->m[M_IOPS].mean = iops;
	run->m[M_IOPS].n = (double)total_ios;
	run->m[M_LAT].mean = cmean;
	run->m[M_LAT].op_stddev = csd;
	run->m[M_LAT].n = (double)nclat;
	run->m[M_LAT].min = cmin;
	run->m[M_LAT].max = cmax;
	run->m[M_LAT].ops_per_s = iops;
	add_raw(run, "io_bytes", io_bytes);
	add_raw(run, "total_ios", total_ios);
	add_raw(run, "runtime_ms", runtime_ms);
	add_raw(run, "bw_bytes", bw_bytes);
	add_raw(run, "clat_n", nclat);
	rc = fio_bins(clat, run, err, errlen);
out:
	json_free(root);
	return rc;
}

/* ---- perftest ib_write_bw / ib_read_bw / ib_send_bw ---- */

/* The next line of text from *p; NULL at the end. */
static const char *next_line(const char **p, size_t *n)
{
	const char *l = *p, *e;

	if (!*l)
		return NULL;
	e = strchr(l, '\n');
	*n = e ? (size_t)(e - l) : strlen(l);
	*p = e ? e + 1 : l + *n;
	return l;
}

/* 1 if the line holds only numbers and blanks, and at least min numbers. */
static int numeric_line(const char *l, size_t n, int min)
{
	size_t i = 0;
	int k = 0;

	while (i < n) {
		while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
			i++;
		if (i == n)
			break;
		if (!isdigit((unsigned char)l[i]))
			return 0;
		while (i < n && (isdigit((unsigned char)l[i]) || l[i] == '.'))
			i++;
		if (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
			return 0;
		k++;
	}
	return k >= min;
}

/* Columns of the result header "#bytes #iterations BW peak[..] BW average[..] MsgRate[Mpps]". */
struct pt_cols {
	int bytes, iters, avg, rate, ncols;
	double avg_factor;	/* bytes/s per unit of the average column */
};

static int pt_header(const char *l, size_t n, struct pt_cols *c)
{
	char line[512], *tok, *save;
	int col = 0;

	if (n >= sizeof(line))
		return -1;
	memcpy(line, l, n);
	line[n] = '\0';
	c->bytes = c->iters = c->avg = c->rate = -1;
	for (tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (!strcmp(tok, "BW") || !strcmp(tok, "%"))
			continue;	/* the first word of a two-word column name */
		if (!strcmp(tok, "#bytes"))
			c->bytes = col;
		else if (!strcmp(tok, "#iterations"))
			c->iters = col;
		else if (!strncmp(tok, "average[", 8)) {
			c->avg = col;
			if (!strcmp(tok + 8, "MB/sec]"))
				c->avg_factor = 1048576.0;	/* perftest's MB is 2^20 */
			else if (!strcmp(tok + 8, "Gb/sec]"))
				c->avg_factor = 1.25e8;		/* --report_gbits: 10^9 bits */
			else
				return -1;
		} else if (!strcmp(tok, "MsgRate[Mpps]"))
			c->rate = col;
		col++;
	}
	c->ncols = col;
	return c->bytes >= 0 && c->iters >= 0 && c->avg >= 0 && c->rate >= 0 ? 0 : -1;
}

static int import_perftest_text(const char *text, struct cell *cell, struct run_record *run,
				struct result *r, char *err, size_t errlen)
{
	const char *p = text, *l, *test = NULL;
	size_t n, test_n = 0;
	struct pt_cols cols = { -1, -1, -1, -1, 0, 0 };
	double vals[16];
	int have_header = 0, ndata = 0;

	while ((l = next_line(&p, &n))) {
		if (!test && n > 8 && memmem(l, n, " BW Test", 8))
			test = l, test_n = n;
		if (memmem(l, n, "#bytes", 6)) {
			if (pt_header(l, n, &cols)) {
				snprintf(err, errlen, "perftest result header not understood: %.*s",
					 (int)(n > 120 ? 120 : n), l);
				return IMPORT_BADINPUT;
			}
			have_header = 1;
			continue;
		}
		if (have_header && numeric_line(l, n, cols.ncols)) {
			char line[512], *tok, *save;
			int k = 0;

			if (++ndata > 1) {
				snprintf(err, errlen, "more than one message size: run one size per "
					 "run (no -a)");
				return IMPORT_BADINPUT;
			}
			snprintf(line, sizeof(line), "%.*s", (int)n, l);
			for (tok = strtok_r(line, " \t\r", &save); tok && k < 16;
			     tok = strtok_r(NULL, " \t\r", &save))
				vals[k++] = strtod(tok, NULL);
			if (k != cols.ncols) {
				snprintf(err, errlen, "result line has %d fields, the header %d", k,
					 cols.ncols);
				return IMPORT_BADINPUT;
			}
		}
	}
	if (!test || !have_header) {
		snprintf(err, errlen, "not perftest bandwidth output (no \"... BW Test\" title or "
			 "\"#bytes\" header)");
		return IMPORT_BADINPUT;
	}
	if (!ndata) {
		snprintf(err, errlen, "perftest printed no result line: the test did not complete");
		return IMPORT_FAILED;
	}
	/* "RDMA_Write BW Test" -> write, "RDMA_Read BW Test" -> read, "Send BW Test" -> send */
	while (test_n && (*test == ' ' || *test == '\t'))
		test++, test_n--;
	if (!strncmp(test, "RDMA_Write BW", 13))
		snprintf(cell->mode, sizeof(cell->mode), "write-host");
	else if (!strncmp(test, "RDMA_Read BW", 12))
		snprintf(cell->mode, sizeof(cell->mode), "read-host");
	else if (!strncmp(test, "Send BW", 7))
		snprintf(cell->mode, sizeof(cell->mode), "send-host");
	else {
		snprintf(err, errlen, "unknown perftest test: %.*s", (int)(test_n > 60 ? 60 : test_n),
			 test);
		return IMPORT_BADINPUT;
	}
	if (!(vals[cols.bytes] >= 1) || vals[cols.bytes] != floor(vals[cols.bytes]) ||
	    !(vals[cols.iters] >= 0)) {
		snprintf(err, errlen, "bad #bytes or #iterations in the result line");
		return IMPORT_BADINPUT;
	}
	if (!(vals[cols.avg] > 0)) {
		snprintf(err, errlen, "zero bandwidth: the test moved no data");
		return IMPORT_FAILED;
	}
	cell->size = (uint64_t)vals[cols.bytes];
	/* the DMA direction at the responder's buffer: WRITE fills it, READ drains it */
	cell->dir = cell->mode[0] == 'r' ? CFG_DIR_TO_DEVICE : CFG_DIR_FROM_DEVICE;
	snprintf(cell->tool, sizeof(cell->tool), "perftest");
	describe(r, 0, NULL);
	run->m[M_BW].mean = vals[cols.avg] * cols.avg_factor / 1e9;
	run->m[M_IOPS].mean = vals[cols.rate] * 1e6;
	run->m[M_IOPS].n = vals[cols.iters];
	add_raw(run, "bytes", (unsigned long long)vals[cols.bytes]);
	add_raw(run, "iterations", (unsigned long long)vals[cols.iters]);
	return 0;
}

static int import_perftest(const char *text, size_t len, struct cell *cell,
			   struct run_record *run, struct result *r, char *err, size_t errlen)
{
	(void)len;
	return import_perftest_text(text, cell, run, r, err, errlen);
}

/* ---- workloads/rdma-dmabuf key=value output ---- */

static int import_rdma_dmabuf(const char *text, size_t len, struct cell *cell,
			      struct run_record *run, struct result *r, char *err, size_t errlen)
{
	const char *p = text, *l;
	char key[32], val[256], status[32] = "", detail[256] = "", op[16] = "", buffer[64] = "";
	char device[64] = "";
	unsigned long long size = 0, ops = 0, bytes = 0, elapsed = 0, v;
	int format = 0, verified = 0, nlat = 0;
	struct hist *h;
	size_t n;

	(void)len;
	h = result_hist_new(DMABENCH_HIST_SUB_BITS, DMABENCH_HIST_MAX_BITS);
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return IMPORT_FAILED;
	}
	while ((l = next_line(&p, &n))) {
		const char *eq = memchr(l, '=', n);
		size_t kl;
		char *end;

		if (!n)
			continue;
		if (!eq || (kl = (size_t)(eq - l)) >= sizeof(key)) {
			snprintf(err, errlen, "not a key=value line: %.*s", (int)(n > 60 ? 60 : n), l);
			goto bad;
		}
		memcpy(key, l, kl);
		key[kl] = '\0';
		snprintf(val, sizeof(val), "%.*s", (int)(n - kl - 1), eq + 1);
		errno = 0;
		v = strtoull(val, &end, 10);
		if (!strcmp(key, "format"))
			format = !strcmp(val, "rdma-dmabuf 1");
		else if (!strcmp(key, "status"))
			snprintf(status, sizeof(status), "%.31s", val);
		else if (!strcmp(key, "detail"))
			snprintf(detail, sizeof(detail), "%s", val);
		else if (!strcmp(key, "op"))
			snprintf(op, sizeof(op), "%.15s", val);
		else if (!strcmp(key, "buffer"))
			snprintf(buffer, sizeof(buffer), "%.*s", (int)strcspn(val, ":"), val);
		else if (!strcmp(key, "device"))
			snprintf(device, sizeof(device), "%.63s", val);
		else if (!strcmp(key, "verified"))
			verified = !strcmp(val, "1");
		else if (!strcmp(key, "size") || !strcmp(key, "ops") || !strcmp(key, "bytes") ||
			 !strcmp(key, "elapsed_ns") || !strcmp(key, "lat")) {
			if (errno || end == val || *end) {
				snprintf(err, errlen, "%s=%s is not a number", key, val);
				goto bad;
			}
			if (!strcmp(key, "size"))
				size = v;
			else if (!strcmp(key, "ops"))
				ops = v;
			else if (!strcmp(key, "bytes"))
				bytes = v;
			else if (!strcmp(key, "elapsed_ns"))
				elapsed = v;
			else {
				hist_add(h, v);
				nlat++;
			}
		}
	}
	if (!format || !op[0] || !buffer[0] || !size) {
		snprintf(err, errlen, "not rdma-dmabuf output (format, op, buffer and size lines)");
		goto bad;
	}
	if (strcmp(op, "write") && strcmp(op, "read")) {
		snprintf(err, errlen, "op=%s: want write or read", op);
		goto bad;
	}
	snprintf(cell->mode, sizeof(cell->mode), "%s-%s", op, buffer);
	cell->size = size;
	cell->dir = op[0] == 'r' ? CFG_DIR_TO_DEVICE : CFG_DIR_FROM_DEVICE;
	snprintf(cell->tool, sizeof(cell->tool), "rdma-dmabuf 1");
	describe(r, 1, "lat");
	if (!strcmp(status, "unsupported")) {
		snprintf(err, errlen, "%s%s%s", device, device[0] ? ": " : "",
			 detail[0] ? detail : "unsupported");
		result_hist_delete(h);
		return IMPORT_UNSUPPORTED;
	}
	if (strcmp(status, "ok")) {
		snprintf(err, errlen, "the run failed: %s", detail[0] ? detail : "no status=ok line");
		result_hist_delete(h);
		return IMPORT_FAILED;
	}
	if (!verified || !ops || !bytes || !elapsed || !nlat) {
		snprintf(err, errlen, "no verified data: verified=%d ops=%llu bytes=%llu "
			 "elapsed_ns=%llu, %d latency samples", verified, ops, bytes, elapsed, nlat);
		result_hist_delete(h);
		return IMPORT_FAILED;
	}
	run->m[M_BW].mean = (double)bytes / (double)elapsed;	/* bytes/ns = GB/s */
	run->m[M_IOPS].mean = (double)ops * 1e9 / (double)elapsed;
	run->m[M_IOPS].n = (double)ops;
	run->m[M_LAT].mean = hist_mean(h);
	run->m[M_LAT].op_stddev = hist_stddev(h);
	run->m[M_LAT].n = (double)h->n;
	run->m[M_LAT].min = (double)h->min;
	run->m[M_LAT].max = (double)h->max;
	run->hist[M_LAT] = h;
	add_raw(run, "ops", ops);
	add_raw(run, "bytes", bytes);
	add_raw(run, "elapsed_ns", elapsed);
	return 0;
bad:
	result_hist_delete(h);
	return IMPORT_BADINPUT;
}

int import_run(enum import_format f, const char *text, size_t len, struct cell *cell,
	       struct run_record *run, struct result *r, char *err, size_t errlen)
{
	cell_init(cell, f);
	run_clear(run);
	err[0] = '\0';
	if (strlen(text) != len) {
		snprintf(err, errlen, "the output holds a NUL byte: not text");
		return IMPORT_BADINPUT;
	}
	switch (f) {
	case IMPORT_FIO:
		return import_fio(text, len, cell, run, r, err, errlen);
	case IMPORT_PERFTEST:
		return import_perftest(text, len, cell, run, r, err, errlen);
	case IMPORT_RDMA_DMABUF:
		return import_rdma_dmabuf(text, len, cell, run, r, err, errlen);
	default:
		snprintf(err, errlen, "unknown format");
		return IMPORT_BADINPUT;
	}
}
