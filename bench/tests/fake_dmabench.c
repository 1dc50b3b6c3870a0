/*
 * LD_PRELOAD stand-in for /dev/dmabench (microbench-kmod/), so that the
 * kmod engine's run path and the ioctl fuzzer can be tested on a machine
 * without the module. Its checks are a transcription of the module's
 * (main.c dispatch, params.c dmabench_params_from_user in order, bind.c
 * target lookup, bar.c BAR lookup, copy_from/to_user faults), written
 * independently of bench/kmod_uapi.c, so the fuzzer's model is checked
 * against it. It answers at once with made-up, deterministic figures.
 *
 * The system it pretends to be: the CPUs and NUMA nodes of this machine;
 * one PCI device 0000:00:03.0 bound (FAKE_KMOD_DEVICES=0|1|2; the second is
 * 0000:00:04.0) with memory BARs 0 (1 MiB) and 2 (64 MiB), a p2pmem
 * provider 0000:00:05.0 with BAR 4 (64 MiB); the modes p2p-provider and
 * iova-link unsupported (EOPNOTSUPP).
 *
 * Each run of n samples per thread (iterations, or 100 per second asked)
 * has samples j = 0..7 in turn: map M + 3j, unmap U + 2j, map+unmap their
 * sum, with M = 200 + 10 * mode + 2 * size / 4K + 50 * (nents - 1) +
 * 20 * (run number % 2) (+ FAKE_KMOD_EXTRA_NS) and U = M / 2.
 *
 * FAKE_KMOD_EPERM=1    every ioctl fails with EPERM (unprivileged caller)
 * FAKE_KMOD_FAIL_AT=N  the N-th RUN (1-based) fails with EIO
 * FAKE_KMOD_STATUS_AT=N the N-th RUN returns 0 with results.status -ENOMEM
 * FAKE_KMOD_BUG=reserved  accept non-zero reserved fields (a module bug
 *                      the fuzzer must report)
 * FAKE_KMOD_EXTRA_NS=N add N ns to M (a slower kernel, for compare tests)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dmabench_ioctl.h"
#include "kmod_uapi.h"	/* kmod_read_limits only: the system's CPUs and nodes */

#define FAKE_PATH	"/dev/dmabench"
#define USER_TOP	0x00007ffffffff000ull	/* x86-64 TASK_SIZE_MAX, 4-level paging */
#define MiB		(1ull << 20)

static int fake_fd = -1;
static int run_calls;

static const struct fake_dev {
	uint32_t domain, bdf;
	uint64_t bar_len[DMABENCH_NR_BARS];
} devs[] = {
	{ 0, DMABENCH_PCI_BDF(0, 3, 0), { 1 * MiB, 0, 64 * MiB, 0, 0, 0 } },
	{ 0, DMABENCH_PCI_BDF(0, 4, 0), { 1 * MiB, 0, 0, 0, 0, 0 } },
};
static const struct fake_dev p2p = { 0, DMABENCH_PCI_BDF(0, 5, 0), { 0, 0, 0, 0, 64 * MiB, 0 } };

static unsigned int nr_devs(void)
{
	const char *s = getenv("FAKE_KMOD_DEVICES");
	int n = s ? atoi(s) : 1;

	return n < 0 ? 0 : n > 2 ? 2 : (unsigned int)n;
}

static int env_is(const char *name, int value)
{
	const char *s = getenv(name);

	return s && atoi(s) == value;
}

int access(const char *path, int mode)
{
	int (*real)(const char *, int) = (int (*)(const char *, int))dlsym(RTLD_NEXT, "access");

	if (!strcmp(path, FAKE_PATH))
		return 0;
	return real(path, mode);
}

int open(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) =
		(int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	mode_t mode = 0;
	va_list ap;

	if (!strcmp(path, FAKE_PATH)) {
		fake_fd = real("/dev/null", O_RDWR);
		return fake_fd;
	}
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return real(path, flags, mode);
}

/* copy_from_user / copy_to_user: EFAULT for memory the caller cannot give */
static int copy_from(void *dst, uint64_t src, size_t len)
{
	struct iovec l = { dst, len }, r = { (void *)(uintptr_t)src, len };

	return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int copy_to(uint64_t dst, const void *src, size_t len)
{
	struct iovec l = { (void *)src, len }, r = { (void *)(uintptr_t)dst, len };

	return process_vm_writev(getpid(), &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int do_info(uint64_t arg)
{
	struct dmabench_info info;
	struct kmod_limits lim;
	uint32_t hdr[2];
	unsigned int i, m;

	if (copy_from(hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr[0] != sizeof(info) || hdr[1] != DMABENCH_UAPI_VERSION)
		return -EINVAL;
	kmod_read_limits(&lim, 0, "/sys");
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.version = DMABENCH_UAPI_VERSION;
	info.module_version = 1 << 16;
	info.features = DMABENCH_FEAT_MAP_PHYS | DMABENCH_FEAT_ATTR_MMIO | DMABENCH_FEAT_P2PDMA;
	for (m = 1; m < DMABENCH_MODE_NR; m++)
		if (m != DMABENCH_MODE_P2P_PROVIDER && m != DMABENCH_MODE_IOVA_LINK)
			info.modes_supported |= 1ull << m;
	info.timer_overhead_ns = 25;
	info.nr_online_cpus = lim.nr_cpus;
	info.direct_iommu = DMABENCH_IOMMU_NONE;
	info.nr_devices = nr_devs();
	for (i = 0; i < info.nr_devices; i++) {
		info.dev[i].domain = devs[i].domain;
		info.dev[i].bdf = devs[i].bdf;
		info.dev[i].vendor = 0x1234;
		info.dev[i].device = 0x11e8;
		info.dev[i].iommu = DMABENCH_IOMMU_DMA_FQ;
		info.dev[i].flags = i == 0 ? DMABENCH_DEVF_P2PMEM : 0;
		info.dev[i].p2p_domain = p2p.domain;
		info.dev[i].p2p_bdf = i == 0 ? p2p.bdf : 0;
		memcpy(info.dev[i].bar_len, devs[i].bar_len, sizeof(info.dev[i].bar_len));
	}
	return copy_to(arg, &info, sizeof(info));
}

static int pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* params.c, dmabench_params_from_user, in the module's order */
static int check_params(const struct dmabench_run *r, unsigned int *batch_out)
{
	static const uint64_t zero[sizeof(((struct dmabench_run *)0)->reserved) / 8];
	int sg = r->mode == DMABENCH_MODE_SG || r->mode == DMABENCH_MODE_P2P_PGMAP ||
		 r->mode == DMABENCH_MODE_IOVA_LINK;
	int mmio = r->mode == DMABENCH_MODE_PHYS_MMIO || r->mode == DMABENCH_MODE_RESOURCE ||
		   r->mode == DMABENCH_MODE_P2P_PROVIDER;
	int dmabuf = r->mode >= DMABENCH_MODE_DMABUF_ATTACH && r->mode <= DMABENCH_MODE_DMABUF_PHYS;
	const char *bug = getenv("FAKE_KMOD_BUG");
	struct kmod_limits lim;
	unsigned int cpus, batch;
	uint64_t per_batch;

	kmod_read_limits(&lim, 0, "/sys");
	if (r->size != sizeof(*r) || r->version != DMABENCH_UAPI_VERSION)
		return -EINVAL;
	if (r->flags & ~DMABENCH_RUN_FLAGS_ALL)
		return -EINVAL;
	if (!(bug && !strcmp(bug, "reserved")) &&
	    (r->reserved0 || r->reserved1 ||
	     memcmp(r->reserved, zero, sizeof(zero))))
		return -EINVAL;
	if (r->mode < 1 || r->mode >= DMABENCH_MODE_NR)
		return -EINVAL;
	if (r->buf_size < 4096 || r->buf_size > 4 * MiB || !pow2(r->buf_size))
		return -EINVAL;
	if (!r->nents || r->nents > 256 || (r->nents > 1 && !sg))
		return -EINVAL;
	if (r->dir > 2)
		return -EINVAL;
	if (r->node != -1 && (r->node < 0 || r->node >= 64 || !(lim.online_nodes >> r->node & 1)))
		return -EINVAL;
	cpus = r->node == -1 ? lim.nr_cpus : lim.node_cpus[r->node];
	if (!r->threads || r->threads > 64 || r->threads > cpus)
		return -EINVAL;
	if (!r->iterations == !r->seconds)
		return -EINVAL;
	if (r->iterations > 100000000ull || r->seconds > 600)
		return -EINVAL;
	if ((r->flags & DMABENCH_RUN_HOLD) &&
	    ((r->mode != DMABENCH_MODE_DMABUF_SG && r->mode != DMABENCH_MODE_DMABUF_PHYS) ||
	     r->threads != 1 || !r->seconds))
		return -EINVAL;
	if (r->batch > 256)
		return -EINVAL;
	if (r->dma_bits && (r->dma_bits < 32 || r->dma_bits > 64))
		return -EINVAL;
	if (r->attrs & ~3u)
		return -EINVAL;
	if (r->target == DMABENCH_TARGET_PCI) {
		if (r->target_bdf > 0xffff)
			return -EINVAL;
	} else if (r->target == DMABENCH_TARGET_DIRECT) {
		if (r->target_domain || r->target_bdf)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (dmabuf) {
		if (r->bar_dev != DMABENCH_BAR_DMABUF || r->bar || r->bar_offset ||
		    r->dmabuf_fd < 0)
			return -EINVAL;
	} else if (r->dmabuf_fd) {
		return -EINVAL;
	} else if (!mmio && (r->bar_dev || r->bar || r->bar_offset)) {
		return -EINVAL;
	}
	if (mmio && ((r->bar_dev != 1 && r->bar_dev != 2) || r->bar >= 6 ||
		     r->bar_offset % (uint64_t)sysconf(_SC_PAGESIZE)))
		return -EINVAL;
	per_batch = (uint64_t)r->threads * r->nents * r->buf_size;
	batch = r->batch;
	if (!batch)
		for (batch = 32; batch > 1 && per_batch * batch > 256 * MiB; batch /= 2)
			;
	if (per_batch * batch > 256 * MiB)
		return -EINVAL;
	if (!r->results_ptr || r->results_size < sizeof(struct dmabench_results))
		return -EINVAL;
	if (r->results_ptr > USER_TOP || USER_TOP - r->results_ptr < sizeof(struct dmabench_results))
		return -EFAULT;	/* access_ok */
	if (r->mode == DMABENCH_MODE_P2P_PROVIDER || r->mode == DMABENCH_MODE_IOVA_LINK)
		return -EOPNOTSUPP;
	*batch_out = batch;
	return 0;
}

/* bind.c target lookup, then the mode's prepare (bar.c, p2p_pgmap.c) */
static int find_target(const struct dmabench_run *r, const struct fake_dev **dev)
{
	unsigned int i;

	*dev = NULL;
	if (r->target == DMABENCH_TARGET_PCI) {
		for (i = 0; i < nr_devs(); i++)
			if (devs[i].domain == r->target_domain && devs[i].bdf == r->target_bdf)
				*dev = &devs[i];
		if (!*dev)
			return -ENODEV;
	}
	/* modes/dmabuf.c: dma_buf_get() of an fd that is no dma-buf */
	if (r->bar_dev == DMABENCH_BAR_DMABUF)
		return fcntl(r->dmabuf_fd, F_GETFD) < 0 ? -EBADF : -EINVAL;
	if (r->bar_dev) {
		const struct fake_dev *owner = r->bar_dev == DMABENCH_BAR_TARGET ? *dev :
					       *dev == &devs[0] ? &p2p : NULL;
		uint64_t len;

		if (!owner)
			return -ENODEV;
		len = owner->bar_len[r->bar];
		if (!len || r->bar_offset >= len || len - r->bar_offset < r->buf_size)
			return -EINVAL;
	}
	if (r->mode == DMABENCH_MODE_P2P_PGMAP && *dev != &devs[0])
		return -ENODEV;	/* pci_p2pmem_find finds no provider */
	return 0;
}

static void fill_phase(struct dmabench_phase_stats *p, uint64_t n, uint64_t base,
		       uint64_t step)
{
	unsigned int j;

	memset(p, 0, sizeof(*p));
	p->n = n;
	for (j = 0; j < 8; j++) {
		uint64_t c = n / 8 + (j < n % 8), v = base + step * j;
		unsigned __int128 sq = (unsigned __int128)v * v * c, sum;

		if (!c)
			continue;
		if (p->min_ns == 0 || v < p->min_ns)
			p->min_ns = v;
		if (v > p->max_ns)
			p->max_ns = v;
		p->sum_ns += v * c;
		sum = ((unsigned __int128)p->sumsq_hi << 64 | p->sumsq_lo) + sq;
		p->sumsq_lo = (uint64_t)sum;
		p->sumsq_hi = (uint64_t)(sum >> 64);
		p->hist[dmabench_hist_index(v, DMABENCH_HIST_SUB_BITS, DMABENCH_HIST_MAX_BITS)] += c;
	}
}

static int do_run(uint64_t arg)
{
	static struct dmabench_results res;
	const struct fake_dev *dev;
	struct dmabench_run r;
	unsigned int batch = 0;
	uint64_t per_thread, n, m, u;
	int ret;

	if (copy_from(&r, arg, sizeof(r)))
		return -EFAULT;
	if ((ret = check_params(&r, &batch)))
		return ret;
	if ((ret = find_target(&r, &dev)))
		return ret;
	run_calls++;
	if (env_is("FAKE_KMOD_FAIL_AT", run_calls))
		return -EIO;
	per_thread = r.iterations ? r.iterations : 100ull * r.seconds;
	n = per_thread * r.threads;
	m = 200 + 10 * r.mode + 2 * (r.buf_size / 4096) + 50 * (r.nents - 1) + 20 * (run_calls % 2);
	if (getenv("FAKE_KMOD_EXTRA_NS"))
		m += (uint64_t)atoi(getenv("FAKE_KMOD_EXTRA_NS"));
	u = m / 2;
	memset(&res, 0, sizeof(res));
	res.size = sizeof(res);
	res.version = DMABENCH_UAPI_VERSION;
	res.status = env_is("FAKE_KMOD_STATUS_AT", run_calls) ? -ENOMEM : 0;
	res.mode = r.mode;
	res.threads = r.threads;
	res.batch = batch;
	res.dma_bits = r.dma_bits ? r.dma_bits : 64;
	res.iommu = dev ? DMABENCH_IOMMU_DMA_FQ : DMABENCH_IOMMU_NONE;
	res.hist_layout_version = DMABENCH_HIST_LAYOUT_VERSION;
	res.hist_sub_bits = DMABENCH_HIST_SUB_BITS;
	res.hist_max_bits = DMABENCH_HIST_MAX_BITS;
	res.hist_nbuckets = DMABENCH_HIST_NBUCKETS;
	res.timer_overhead_ns = 25 + (uint64_t)(run_calls % 2);
	res.ops = n * batch;
	res.elapsed_ns = per_thread * batch * (m + u + 10);
	fill_phase(&res.phase[DMABENCH_PHASE_MAP], n, m, 3);
	fill_phase(&res.phase[DMABENCH_PHASE_UNMAP], n, u, 2);
	fill_phase(&res.phase[DMABENCH_PHASE_MAP_UNMAP], n, m + u, 5);
	return copy_to(r.results_ptr, &res, sizeof(res));
}

int ioctl(int fd, unsigned long req, ...)
{
	int (*real)(int, unsigned long, ...) =
		(int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	uint64_t arg;
	va_list ap;
	int ret;

	va_start(ap, req);
	arg = (uint64_t)(uintptr_t)va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_fd || fd < 0)
		return real(fd, req, (void *)(uintptr_t)arg);
	if (env_is("FAKE_KMOD_EPERM", 1))
		ret = -EPERM;	/* main.c: capable() first, for every command */
	else if (req == DMABENCH_IOC_INFO)
		ret = do_info(arg);
	else if (req == DMABENCH_IOC_RUN)
		ret = do_run(arg);
	else
		ret = -ENOTTY;
	if (ret) {
		errno = -ret;
		return -1;
	}
	return 0;
}
