// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench-smoke: a minimal client of /dev/dmabench for the guest smoke
 * test and the cross-check against the in-tree dma_map_benchmark. The real
 * user-space engine is the dmabench CLI in bench/; this only exercises the
 * uAPI in bench/include/dmabench_ioctl.h.
 *
 *   dmabench-smoke info
 *   dmabench-smoke run MODE [key=value...]   one cell, printed and checked
 *                  (DMABENCH_SMOKE_MAKE_IT_FAIL=1: under fault injection)
 *   dmabench-smoke reject                    invalid structs: EINVAL etc.
 *   dmabench-smoke eperm                     expects EPERM (run unprivileged)
 *   dmabench-smoke inkernel SECONDS          in-tree dma_map_benchmark
 *   dmabench-smoke wait-busy BDF [SECONDS]   until a run holds BDF
 *
 * run keys: size nents dir threads node iters secs batch bits attrs
 *           target=direct|DDDD:BB:DD.F bardev=target|p2pmem bar off
 *           dmabuf modes: vfio=DDDD:BB:DD.F (a device bound to vfio-pci whose
 *           BAR bar, from off, size bytes, is exported as the dma-buf) and
 *           revoke_ms=N (turn its memory decode off N ms into the run, which
 *           must end the run with ENODEV; prints the revoke latency), and
 *           hold=1 (map once and hold the mapping until the revoke),
 *           revoke_by=reset|decode (VFIO_DEVICE_RESET or, by default, memory
 *           decode off)
 * Exit status of run: 0 ok, 1 failed check or error, 3 unsupported.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dmabench_ioctl.h"
#include "vfio-export.h"

#define EXIT_UNSUPPORTED 3

/* dmabuf modes: the exporting device, and when to revoke */
static const char *vfio_bdf;
static long revoke_ms = -1;
static int revoke_by_reset;		/* revoke_by=reset: VFIO_DEVICE_RESET */

static int open_dev(void)
{
	int fd = open("/dev/" DMABENCH_DEV_NAME, O_RDWR);

	if (fd < 0) {
		perror("open /dev/" DMABENCH_DEV_NAME);
		exit(1);
	}
	return fd;
}

static const char *iommu_name(unsigned int t)
{
	static const char *const n[] = { "none", "dma", "dma-fq", "identity",
					  "blocked", "other" };

	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

static int cmd_info(void)
{
	struct dmabench_info info = { .size = sizeof(info),
				      .version = DMABENCH_UAPI_VERSION };
	int fd = open_dev();
	unsigned int i, m;

	if (ioctl(fd, DMABENCH_IOC_INFO, &info)) {
		perror("DMABENCH_IOC_INFO");
		return 1;
	}
	printf("module_version=%u.%u features=0x%x timer_overhead_ns=%llu cpus=%u direct_iommu=%s\n",
	       info.module_version >> 16, info.module_version & 0xffff,
	       info.features, (unsigned long long)info.timer_overhead_ns,
	       info.nr_online_cpus, iommu_name(info.direct_iommu));
	printf("modes:");
	for (m = 1; m < DMABENCH_MODE_NR; m++)
		printf(" %s=%s", dmabench_mode_name(m),
		       info.modes_supported & (1ULL << m) ? "yes" : "unsupported");
	printf("\n");
	for (i = 0; i < info.nr_devices && i < DMABENCH_INFO_MAX_DEVS; i++) {
		struct dmabench_dev_info *d = &info.dev[i];

		printf("dev %04x:%02x:%02x.%u %04x:%04x iommu=%s bar0=%llu p2pmem=%s",
		       d->domain, d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7,
		       d->vendor, d->device, iommu_name(d->iommu),
		       (unsigned long long)d->bar_len[0],
		       d->flags & DMABENCH_DEVF_P2PMEM ? "yes" : "no");
		if (d->flags & DMABENCH_DEVF_P2PMEM)
			printf(" provider=%04x:%02x:%02x.%u", d->p2p_domain,
			       d->p2p_bdf >> 8, (d->p2p_bdf >> 3) & 0x1f,
			       d->p2p_bdf & 7);
		if (d->flags & DMABENCH_DEVF_BUSY)
			printf(" busy");
		printf("\n");
	}
	close(fd);
	return 0;
}

static int parse_mode(const char *s)
{
	unsigned int m;

	for (m = 1; m < DMABENCH_MODE_NR; m++)
		if (!strcmp(s, dmabench_mode_name(m)))
			return m;
	fprintf(stderr, "unknown mode %s\n", s);
	exit(2);
}

static void parse_target(struct dmabench_run *r, const char *v)
{
	unsigned int dom, bus, dev, fn;

	if (!strcmp(v, "direct")) {
		r->target = DMABENCH_TARGET_DIRECT;
		return;
	}
	if (sscanf(v, "%x:%x:%x.%u", &dom, &bus, &dev, &fn) != 4) {
		fprintf(stderr, "target: direct or DDDD:BB:DD.F\n");
		exit(2);
	}
	r->target = DMABENCH_TARGET_PCI;
	r->target_domain = dom;
	r->target_bdf = DMABENCH_PCI_BDF(bus, dev, fn);
}

static void run_defaults(struct dmabench_run *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->version = DMABENCH_UAPI_VERSION;
	r->mode = DMABENCH_MODE_SINGLE;
	r->buf_size = 4096;
	r->nents = 1;
	r->threads = 1;
	r->node = -1;
	r->iterations = 1000;
	r->target = DMABENCH_TARGET_DIRECT;
}

static void parse_kv(struct dmabench_run *r, const char *kv)
{
	const char *eq = strchr(kv, '=');
	unsigned long long v;
	const char *val;
	size_t klen;

	if (!eq) {
		fprintf(stderr, "expected key=value, got %s\n", kv);
		exit(2);
	}
	klen = eq - kv;
	val = eq + 1;
#define KEY(k) (klen == strlen(k) && !strncmp(kv, k, klen))
	if (KEY("target")) {
		parse_target(r, val);
		return;
	}
	if (KEY("vfio")) {
		vfio_bdf = val;
		return;
	}
	if (KEY("revoke_ms")) {
		revoke_ms = strtol(val, NULL, 0);
		return;
	}
	if (KEY("revoke_by")) {
		if (strcmp(val, "reset") && strcmp(val, "decode")) {
			fprintf(stderr, "revoke_by: reset or decode\n");
			exit(2);
		}
		revoke_by_reset = !strcmp(val, "reset");
		return;
	}
	if (KEY("hold")) {
		r->flags = strtoul(val, NULL, 0) ? DMABENCH_RUN_HOLD : 0;
		return;
	}
	if (KEY("bardev")) {
		r->bar_dev = !strcmp(val, "p2pmem") ? DMABENCH_BAR_P2PMEM :
							DMABENCH_BAR_TARGET;
		return;
	}
	v = strtoull(val, NULL, 0);
	if (KEY("size"))
		r->buf_size = v;
	else if (KEY("nents"))
		r->nents = v;
	else if (KEY("dir"))
		r->dir = v;
	else if (KEY("threads"))
		r->threads = v;
	else if (KEY("node"))
		r->node = (int)strtol(val, NULL, 0);
	else if (KEY("iters"))
		r->iterations = v, r->seconds = 0;
	else if (KEY("secs"))
		r->seconds = v, r->iterations = 0;
	else if (KEY("batch"))
		r->batch = v;
	else if (KEY("bits"))
		r->dma_bits = v;
	else if (KEY("attrs"))
		r->attrs = v;
	else if (KEY("bar"))
		r->bar = v;
	else if (KEY("off"))
		r->bar_offset = v;
	else {
		fprintf(stderr, "unknown key %.*s\n", (int)klen, kv);
		exit(2);
	}
#undef KEY
}

/* Value at quantile q: the midpoint of the bucket holding rank ceil(q n) */
static double hist_quantile(const struct dmabench_phase_stats *s, double q)
{
	unsigned long long rank = (unsigned long long)(q * s->n + 0.999999);
	unsigned long long seen = 0, i;

	if (!rank)
		rank = 1;
	for (i = 0; i < DMABENCH_HIST_NBUCKETS; i++) {
		seen += s->hist[i];
		if (seen >= rank)
			return dmabench_hist_bucket_low(i, DMABENCH_HIST_SUB_BITS) +
			       (dmabench_hist_bucket_width(i, DMABENCH_HIST_SUB_BITS) - 1) / 2.0;
	}
	return 0;
}

static const char *const phase_name[] = { "map", "unmap", "map+unmap" };

/* Print one phase and return how many sanity checks failed */
static int show_phase(const struct dmabench_phase_stats *s, int ph)
{
	unsigned __int128 sq = ((unsigned __int128)s->sumsq_hi << 64) | s->sumsq_lo;
	double mean = s->n ? (double)s->sum_ns / s->n : 0;
	double var = s->n ? (double)sq / s->n - mean * mean : 0;
	double p50 = hist_quantile(s, 0.50), p90 = hist_quantile(s, 0.90);
	double p99 = hist_quantile(s, 0.99), p999 = hist_quantile(s, 0.999);
	unsigned long long hsum = 0, i;
	int bad = 0;

	for (i = 0; i < DMABENCH_HIST_NBUCKETS; i++)
		hsum += s->hist[i];
	printf("  %-9s n=%llu min=%llu mean=%.1f p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%llu stddev=%.1f ns\n",
	       phase_name[ph], (unsigned long long)s->n,
	       (unsigned long long)s->min_ns, mean, p50, p90, p99, p999,
	       (unsigned long long)s->max_ns, var > 0 ? sqrt(var) : 0);
	if (!s->n)
		bad++, printf("  check: %s n is 0\n", phase_name[ph]);
	if (hsum != s->n)
		bad++, printf("  check: %s histogram total %llu != n\n",
			      phase_name[ph], hsum);
	if (p50 > p99)
		bad++, printf("  check: %s p50 > p99\n", phase_name[ph]);
	if (s->min_ns > mean || mean > s->max_ns)
		bad++, printf("  check: %s not min <= mean <= max\n",
			      phase_name[ph]);
	return bad;
}

/*
 * Fault injection (make test-debug): with DMABENCH_SMOKE_MAKE_IT_FAIL set,
 * the run ioctl alone is marked for failslab and fail_page_alloc with
 * task-filter; the module passes the mark on to its threads. Everything
 * that could allocate in the kernel on our behalf happens before the mark
 * is set: the proc file is opened once, and every page of the process is
 * faulted in and locked (the guest's root is 9p: a text page fault under
 * injection would reach the 9p client instead of the code under test).
 */
static int fail_fd = -1;

/*
 * dmabuf modes: own the exporting device through vfio-pci and hand the
 * module a dma-buf of BAR bar from off, size bytes long.
 */
static int dmabuf_setup(struct dmabench_run *r, struct vfio_owner *o)
{
	int ret, fd;

	if (!vfio_bdf) {
		fprintf(stderr, "the dmabuf modes need vfio=DDDD:BB:DD.F\n");
		exit(2);
	}
	ret = vfio_owner_open(o, vfio_bdf);
	if (ret) {
		printf("vfio %s: %s\n", vfio_bdf, strerror(-ret));
		return ret;
	}
	fd = vfio_export_dma_buf(o, r->bar, r->bar_offset, r->buf_size);
	if (fd < 0) {
		printf("export of BAR %u [%#llx, +%#llx) of %s: %s\n", r->bar,
		       (unsigned long long)r->bar_offset,
		       (unsigned long long)r->buf_size, vfio_bdf, strerror(-fd));
		vfio_owner_close(o);
		return fd;
	}
	r->bar_dev = DMABENCH_BAR_DMABUF;
	r->dmabuf_fd = fd;
	r->bar = 0;
	r->bar_offset = 0;
	return 0;
}

/* The revoke, from a second thread while the run ioctl is in progress */
struct revoker {
	struct vfio_owner *owner;
	long ms;
	unsigned long long at_ns;	/* CLOCK_MONOTONIC, as the module's */
	int err;
};

static void *revoke_fn(void *arg)
{
	struct revoker *rv = arg;
	struct timespec ts;

	usleep((useconds_t)rv->ms * 1000);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	rv->at_ns = (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	rv->err = revoke_by_reset ? vfio_reset(rv->owner) :
				  vfio_set_memory_decode(rv->owner, 0);
	return NULL;
}


static int make_it_fail(int on)
{
	const char *v = on ? "1" : "0";

	if (fail_fd < 0) {
		fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
		if (fail_fd < 0 || mlockall(MCL_CURRENT)) {
			perror("/proc/self/make-it-fail (CONFIG_FAULT_INJECTION), mlockall");
			return -1;
		}
	}
	if (write(fail_fd, v, 1) != 1) {
		perror("write /proc/self/make-it-fail");
		return -1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct dmabench_results *res;
	struct dmabench_run r;
	int fd, i, ph, bad = 0;
	int injecting, ret, saved;
	struct vfio_owner owner = { -1, -1, -1, 0 };
	struct revoker rv = { &owner, -1, 0, 0 };
	pthread_t revoke_thread;
	int dmabuf;

	if (argc < 1) {
		fprintf(stderr, "run MODE [key=value...]\n");
		return 2;
	}
	run_defaults(&r);
	r.mode = parse_mode(argv[0]);
	for (i = 1; i < argc; i++)
		parse_kv(&r, argv[i]);
	if ((r.mode == DMABENCH_MODE_PHYS_MMIO ||
	     r.mode == DMABENCH_MODE_RESOURCE) && !r.bar_dev)
		r.bar_dev = DMABENCH_BAR_TARGET;
	dmabuf = r.mode >= DMABENCH_MODE_DMABUF_ATTACH &&
		 r.mode <= DMABENCH_MODE_DMABUF_PHYS;
	if (dmabuf && dmabuf_setup(&r, &owner))
		return 1;
	rv.ms = dmabuf ? revoke_ms : -1;

	res = calloc(1, sizeof(*res));
	if (!res)
		return 1;
	r.results_ptr = (uintptr_t)res;
	r.results_size = sizeof(*res);

	fd = open_dev();
	injecting = getenv("DMABENCH_SMOKE_MAKE_IT_FAIL") != NULL;
	if (injecting) {
		/* fault in everything first: only the ioctl may see failures */
		memset(res, 0, sizeof(*res));
		if (make_it_fail(1))
			return 1;
	}
	if (rv.ms >= 0 && pthread_create(&revoke_thread, NULL, revoke_fn, &rv))
		return 1;
	ret = ioctl(fd, DMABENCH_IOC_RUN, &r);
	saved = errno;
	if (rv.ms >= 0) {
		pthread_join(revoke_thread, NULL);
		if (!revoke_by_reset)
			vfio_set_memory_decode(&owner, 1);
	}
	if (dmabuf) {
		close(r.dmabuf_fd);
		vfio_owner_close(&owner);
	}
	if (injecting && make_it_fail(0))
		return 1;
	errno = saved;
	if (ret) {
		int err = errno;

		if (err == EOPNOTSUPP) {
			printf("mode=%s unsupported\n", argv[0]);
			return EXIT_UNSUPPORTED;
		}
		printf("mode=%s error=%s (%d)\n", argv[0], strerror(err), err);
		return 1;
	}
	close(fd);

	printf("mode=%s status=%d size=%llu nents=%u threads=%u batch=%u bits=%u iommu=%s ops=%llu elapsed_ns=%llu timer_overhead_ns=%llu\n",
	       argv[0], res->status, (unsigned long long)r.buf_size, r.nents,
	       res->threads, res->batch, res->dma_bits, iommu_name(res->iommu),
	       (unsigned long long)res->ops, (unsigned long long)res->elapsed_ns,
	       (unsigned long long)res->timer_overhead_ns);
	if (res->size != sizeof(*res) || res->version != DMABENCH_UAPI_VERSION ||
	    res->hist_nbuckets != DMABENCH_HIST_NBUCKETS)
		bad++, printf("  check: results header\n");
	if (rv.ms >= 0) {
		/* the revoke must have ended the run, and reached the module */
		if (rv.err || res->status != -ENODEV || res->revoked_ns < rv.at_ns)
			bad++, printf("  check: revoke: err %d status %d revoked_ns %llu\n",
				      rv.err, res->status,
				      (unsigned long long)res->revoked_ns);
		else
			printf("  revoke: %s to importer unmapped %llu ns\n",
			       revoke_by_reset ? "reset" : "decode off",
			       (unsigned long long)res->revoked_ns - rv.at_ns);
	} else if (res->status) {
		bad++, printf("  check: status %s\n", strerror(-res->status));
	}
	/* a hold run takes no samples: its result is the revoke alone */
	for (ph = 0; ph < DMABENCH_NR_PHASES && !(r.flags & DMABENCH_RUN_HOLD); ph++)
		bad += show_phase(&res->phase[ph], ph);
	free(res);
	return bad ? 1 : 0;
}

/* One invalid request and the errno it must get */
struct reject_case {
	const char *name;
	int expect;
	void (*mutate)(struct dmabench_run *r);
};

#define MUT(n, body) static void n(struct dmabench_run *r) { body; }
MUT(m_size, r->size--)
MUT(m_version, r->version = 99)
MUT(m_flags, r->flags = 1)
MUT(m_mode0, r->mode = 0)
MUT(m_mode_hi, r->mode = DMABENCH_MODE_NR)
MUT(m_bufsz_small, r->buf_size = 2048)
MUT(m_bufsz_big, r->buf_size = 8ULL << 20)
MUT(m_bufsz_pow2, r->buf_size = 12288)
MUT(m_nents0, r->nents = 0)
MUT(m_nents_single, r->nents = 2)
MUT(m_nents_big, r->mode = DMABENCH_MODE_SG; r->nents = DMABENCH_MAX_NENTS + 1)
MUT(m_dir, r->dir = 3)
MUT(m_threads0, r->threads = 0)
MUT(m_threads_big, r->threads = 4096)
MUT(m_node, r->node = 1000)
MUT(m_node_neg, r->node = -2)
MUT(m_both_stop, r->seconds = 1)
MUT(m_no_stop, r->iterations = 0)
MUT(m_iters_big, r->iterations = DMABENCH_MAX_ITERATIONS + 1)
MUT(m_secs_big, r->iterations = 0; r->seconds = DMABENCH_MAX_SECONDS + 1)
MUT(m_batch_big, r->batch = DMABENCH_MAX_BATCH + 1)
MUT(m_bits_small, r->dma_bits = 31)
MUT(m_bits_big, r->dma_bits = 65)
MUT(m_attrs, r->attrs = 1U << 7)
MUT(m_target0, r->target = 0)
MUT(m_target_bad, r->target = 77)
MUT(m_direct_bdf, r->target_bdf = 8)
MUT(m_pci_bdf, r->target = DMABENCH_TARGET_PCI; r->target_bdf = 0x10000)
MUT(m_bar_nonmmio, r->bar_dev = DMABENCH_BAR_TARGET)
MUT(m_bar_idx, r->mode = DMABENCH_MODE_RESOURCE; r->bar_dev = 1; r->bar = 6)
MUT(m_bar_dev, r->mode = DMABENCH_MODE_RESOURCE; r->bar_dev = 3)
MUT(m_bar_off, r->mode = DMABENCH_MODE_RESOURCE; r->bar_dev = 1; r->bar_offset = 5)
MUT(m_reserved0, r->reserved0 = 1)
MUT(m_reserved, r->reserved[6] = 1)
MUT(m_reserved1, r->reserved1 = 1)
MUT(m_fd_nondmabuf, r->dmabuf_fd = 3)
MUT(m_dmabuf_bardev, r->mode = DMABENCH_MODE_DMABUF_SG; r->bar_dev = DMABENCH_BAR_TARGET)
MUT(m_dmabuf_off, r->mode = DMABENCH_MODE_DMABUF_SG; r->bar_dev = DMABENCH_BAR_DMABUF; r->bar_offset = 4096)
MUT(m_dmabuf_neg, r->mode = DMABENCH_MODE_DMABUF_SG; r->bar_dev = DMABENCH_BAR_DMABUF; r->dmabuf_fd = -1)
MUT(m_dmabuf_closed, r->mode = DMABENCH_MODE_DMABUF_SG; r->bar_dev = DMABENCH_BAR_DMABUF; r->dmabuf_fd = 9999)
MUT(m_dmabuf_notbuf, r->mode = DMABENCH_MODE_DMABUF_SG; r->bar_dev = DMABENCH_BAR_DMABUF; r->dmabuf_fd = 0)
MUT(m_hold_iters, r->mode = DMABENCH_MODE_DMABUF_SG; r->bar_dev = DMABENCH_BAR_DMABUF; r->flags = DMABENCH_RUN_HOLD)
MUT(m_total, r->mode = DMABENCH_MODE_SG; r->nents = 256; r->buf_size = 4 << 20)
MUT(m_res_null, r->results_ptr = 0)
MUT(m_res_small, r->results_size = 8)
MUT(m_res_fault, r->results_ptr = 0xffffffffffff0000ULL)
MUT(m_pci_absent, r->target = DMABENCH_TARGET_PCI; r->target_domain = 0xfff0)
MUT(m_provider, r->mode = DMABENCH_MODE_P2P_PROVIDER; r->bar_dev = 1)
MUT(m_iova, r->mode = DMABENCH_MODE_IOVA_LINK)
MUT(m_p2p_direct, r->mode = DMABENCH_MODE_P2P_PGMAP)
#undef MUT

static const struct reject_case reject_cases[] = {
	{ "size", EINVAL, m_size }, { "version", EINVAL, m_version },
	{ "flags", EINVAL, m_flags }, { "mode-0", EINVAL, m_mode0 },
	{ "mode-nr", EINVAL, m_mode_hi },
	{ "bufsize-small", EINVAL, m_bufsz_small },
	{ "bufsize-big", EINVAL, m_bufsz_big },
	{ "bufsize-pow2", EINVAL, m_bufsz_pow2 },
	{ "nents-0", EINVAL, m_nents0 },
	{ "nents-on-single", EINVAL, m_nents_single },
	{ "nents-big", EINVAL, m_nents_big }, { "dir", EINVAL, m_dir },
	{ "threads-0", EINVAL, m_threads0 },
	{ "threads-big", EINVAL, m_threads_big },
	{ "node-big", EINVAL, m_node }, { "node-neg", EINVAL, m_node_neg },
	{ "iters-and-secs", EINVAL, m_both_stop },
	{ "no-stop", EINVAL, m_no_stop }, { "iters-big", EINVAL, m_iters_big },
	{ "secs-big", EINVAL, m_secs_big }, { "batch-big", EINVAL, m_batch_big },
	{ "bits-31", EINVAL, m_bits_small }, { "bits-65", EINVAL, m_bits_big },
	{ "attrs-unknown", EINVAL, m_attrs }, { "target-0", EINVAL, m_target0 },
	{ "target-bad", EINVAL, m_target_bad },
	{ "direct-with-bdf", EINVAL, m_direct_bdf },
	{ "pci-bdf-range", EINVAL, m_pci_bdf },
	{ "bar-on-nonmmio", EINVAL, m_bar_nonmmio },
	{ "bar-index", EINVAL, m_bar_idx }, { "bar-dev", EINVAL, m_bar_dev },
	{ "bar-offset", EINVAL, m_bar_off },
	{ "reserved0", EINVAL, m_reserved0 },
	{ "reserved", EINVAL, m_reserved }, { "total-bytes", EINVAL, m_total },
	{ "reserved1", EINVAL, m_reserved1 },
	{ "dmabuf-fd-on-single", EINVAL, m_fd_nondmabuf },
	{ "dmabuf-bar-dev", EINVAL, m_dmabuf_bardev },
	{ "dmabuf-bar-offset", EINVAL, m_dmabuf_off },
	{ "dmabuf-fd-negative", EINVAL, m_dmabuf_neg },
	{ "dmabuf-fd-closed", EBADF, m_dmabuf_closed },
	{ "dmabuf-fd-not-a-dma-buf", EINVAL, m_dmabuf_notbuf },
	{ "hold-without-seconds", EINVAL, m_hold_iters },
	{ "results-null", EINVAL, m_res_null },
	{ "results-small", EINVAL, m_res_small },
	{ "results-fault", EFAULT, m_res_fault },
	{ "pci-not-bound", ENODEV, m_pci_absent },
	{ "iova-link-unsupported", EOPNOTSUPP, m_iova },
	{ "p2p-pgmap-no-provider-direct", ENODEV, m_p2p_direct },
};

static int expect(const char *name, int ret, int want)
{
	int got = ret ? errno : 0;

	printf("%s %s errno=%s want=%s\n", got == want ? "ok" : "FAIL", name,
	       got ? strerror(got) : "0", strerror(want));
	return got != want;
}

static int cmd_reject(void)
{
	static struct dmabench_results res;
	struct dmabench_info info;
	struct dmabench_run r;
	int fd = open_dev(), bad = 0;
	size_t i;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.version = DMABENCH_UAPI_VERSION;
	if (ioctl(fd, DMABENCH_IOC_INFO, &info)) {
		perror("DMABENCH_IOC_INFO");
		return 1;
	}
	for (i = 0; i < sizeof(reject_cases) / sizeof(reject_cases[0]); i++) {
		run_defaults(&r);
		r.results_ptr = (uintptr_t)&res;
		r.results_size = sizeof(res);
		reject_cases[i].mutate(&r);
		bad += expect(reject_cases[i].name, ioctl(fd, DMABENCH_IOC_RUN, &r),
			      reject_cases[i].expect);
	}
	/*
	 * p2p-provider asks for a BAR of the direct target, which has none:
	 * EOPNOTSUPP from a kernel without the provider, ENODEV with it.
	 */
	run_defaults(&r);
	r.results_ptr = (uintptr_t)&res;
	r.results_size = sizeof(res);
	m_provider(&r);
	bad += expect("p2p-provider-direct-target", ioctl(fd, DMABENCH_IOC_RUN, &r),
		      info.modes_supported >> DMABENCH_MODE_P2P_PROVIDER & 1 ?
		      ENODEV : EOPNOTSUPP);

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info) - 8;
	info.version = DMABENCH_UAPI_VERSION;
	bad += expect("info-size", ioctl(fd, DMABENCH_IOC_INFO, &info), EINVAL);
	info.size = sizeof(info);
	info.version = 0;
	bad += expect("info-version", ioctl(fd, DMABENCH_IOC_INFO, &info), EINVAL);
	bad += expect("info-fault", ioctl(fd, DMABENCH_IOC_INFO, (void *)8), EFAULT);
	bad += expect("unknown-cmd", ioctl(fd, _IO(DMABENCH_IOC_MAGIC, 0x4f)), ENOTTY);
	close(fd);
	return bad ? 1 : 0;
}

static int cmd_eperm(void)
{
	struct dmabench_info info = { .size = sizeof(info),
				      .version = DMABENCH_UAPI_VERSION };
	static struct dmabench_results res;
	struct dmabench_run r;
	int fd = open_dev(), bad = 0;

	run_defaults(&r);
	r.results_ptr = (uintptr_t)&res;
	r.results_size = sizeof(res);
	bad += expect("unpriv-info", ioctl(fd, DMABENCH_IOC_INFO, &info), EPERM);
	bad += expect("unpriv-run", ioctl(fd, DMABENCH_IOC_RUN, &r), EPERM);
	close(fd);
	return bad ? 1 : 0;
}

/*
 * The in-tree kernel/dma/map_benchmark ioctl. Its header is not uAPI in
 * 6.12, so the layout is restated here from include/linux/map_benchmark.h.
 */
struct map_benchmark {
	uint64_t avg_map_100ns;
	uint64_t map_stddev;
	uint64_t avg_unmap_100ns;
	uint64_t unmap_stddev;
	uint32_t threads;
	uint32_t seconds;
	int32_t node;
	uint32_t dma_bits;
	uint32_t dma_dir;
	uint32_t dma_trans_ns;
	uint32_t granule;
	uint8_t expansion[76];
};

#define DMA_MAP_BENCHMARK _IOWR('d', 1, struct map_benchmark)

static int cmd_inkernel(int argc, char **argv)
{
	struct map_benchmark mb = {
		.threads = 1, .seconds = argc ? atoi(argv[0]) : 10, .node = -1,
		.dma_bits = 64, .dma_dir = 0, .granule = 1,
	};
	int fd = open("/sys/kernel/debug/dma_map_benchmark", O_RDWR);

	if (fd < 0 || ioctl(fd, DMA_MAP_BENCHMARK, &mb)) {
		perror("dma_map_benchmark");
		return 1;
	}
	close(fd);
	printf("inkernel threads=1 granule=1 bits=64 seconds=%u map_mean_us=%.1f map_stddev_us=%.1f unmap_mean_us=%.1f unmap_stddev_us=%.1f\n",
	       mb.seconds, mb.avg_map_100ns / 10.0, mb.map_stddev / 10.0,
	       mb.avg_unmap_100ns / 10.0, mb.unmap_stddev / 10.0);
	return 0;
}

/*
 * wait-busy BDF [SECONDS]: poll INFO every 10 ms until a run holds BDF.
 * The lifetime tests act on a device while a run uses it; polling from
 * the shell costs a process per look, which a slow debug guest cannot
 * afford within a short run. Exit 0 when busy, 1 on timeout.
 */
static int cmd_wait_busy(int argc, char **argv)
{
	struct dmabench_run want;
	long polls;
	int fd;

	if (argc < 1)
		goto usage;
	run_defaults(&want);
	parse_target(&want, argv[0]);
	if (want.target != DMABENCH_TARGET_PCI)
		goto usage;
	polls = (argc > 1 ? atol(argv[1]) : 60) * 100;
	if (polls <= 0)
		goto usage;
	fd = open_dev();
	while (polls-- > 0) {
		struct dmabench_info info = { .size = sizeof(info),
					      .version = DMABENCH_UAPI_VERSION };
		unsigned int i;

		if (ioctl(fd, DMABENCH_IOC_INFO, &info)) {
			perror("DMABENCH_IOC_INFO");
			return 1;
		}
		for (i = 0; i < info.nr_devices && i < DMABENCH_INFO_MAX_DEVS; i++)
			if (info.dev[i].domain == want.target_domain &&
			    info.dev[i].bdf == want.target_bdf &&
			    (info.dev[i].flags & DMABENCH_DEVF_BUSY))
				return 0;
		usleep(10000);
	}
	fprintf(stderr, "wait-busy %s: no run within the time limit\n", argv[0]);
	return 1;
usage:
	fprintf(stderr, "wait-busy DDDD:BB:DD.F [SECONDS > 0]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "info"))
		return cmd_info();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "reject"))
		return cmd_reject();
	if (!strcmp(argv[1], "eperm"))
		return cmd_eperm();
	if (!strcmp(argv[1], "inkernel"))
		return cmd_inkernel(argc - 2, argv + 2);
	if (!strcmp(argv[1], "wait-busy"))
		return cmd_wait_busy(argc - 2, argv + 2);
usage:
	fprintf(stderr, "usage: %s info|run MODE [k=v...]|reject|eperm|inkernel [SECONDS]|\n"
		"       wait-busy BDF [SECONDS]\n",
		argv[0]);
	return 2;
}
