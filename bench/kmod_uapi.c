#include "kmod_uapi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned int kmod_mode_from_name(const char *name)
{
	unsigned int m;

	for (m = 1; m < DMABENCH_MODE_NR; m++)
		if (!strcmp(dmabench_mode_name(m), name))
			return m;
	return 0;
}

int kmod_mode_takes_nents(unsigned int mode)
{
	/*
	 * The header's comment on nents names sg and p2p-pgmap; the module
	 * also gives iova-link entries (DMABENCH_MF_SG): it links n ranges.
	 */
	return mode == DMABENCH_MODE_SG || mode == DMABENCH_MODE_P2P_PGMAP ||
	       mode == DMABENCH_MODE_IOVA_LINK;
}

int kmod_mode_maps_bar(unsigned int mode)
{
	/* p2p-provider maps BAR ranges through the provider (DMABENCH_MF_MMIO) */
	return mode == DMABENCH_MODE_PHYS_MMIO || mode == DMABENCH_MODE_RESOURCE ||
	       mode == DMABENCH_MODE_P2P_PROVIDER;
}

int kmod_mode_imports_dmabuf(unsigned int mode)
{
	return mode == DMABENCH_MODE_DMABUF_ATTACH || mode == DMABENCH_MODE_DMABUF_SG ||
	       mode == DMABENCH_MODE_DMABUF_PHYS;
}

unsigned int kmod_effective_batch(const struct dmabench_run *r)
{
	uint64_t per_batch = (uint64_t)r->threads * r->nents * r->buf_size;
	unsigned int batch = r->batch;

	if (batch)
		return batch;
	batch = DMABENCH_DEFAULT_BATCH;
	while (batch > 1 && per_batch * batch > DMABENCH_MAX_TOTAL_BYTES)
		batch /= 2;
	return batch;
}

#define WHY(...) (snprintf(why, len, __VA_ARGS__), EINVAL)

static int check_bar(const struct dmabench_run *r, long page_size, char *why, size_t len)
{
	/* a dma-buf is named by its fd alone */
	if (kmod_mode_imports_dmabuf(r->mode)) {
		if (r->bar_dev != DMABENCH_BAR_DMABUF || r->bar || r->bar_offset)
			return WHY("mode %s takes bar_dev DMABENCH_BAR_DMABUF, bar and bar_offset 0",
				   dmabench_mode_name(r->mode));
		if (r->dmabuf_fd < 0)
			return WHY("dmabuf_fd %d is negative", r->dmabuf_fd);
		return 0;
	}
	if (r->dmabuf_fd)
		return WHY("dmabuf_fd must be 0 for mode %s", dmabench_mode_name(r->mode));
	if (!kmod_mode_maps_bar(r->mode)) {
		if (r->bar_dev || r->bar || r->bar_offset)
			return WHY("bar_dev, bar and bar_offset must be 0 for mode %s",
				   dmabench_mode_name(r->mode));
		return 0;
	}
	if (r->bar_dev != DMABENCH_BAR_TARGET && r->bar_dev != DMABENCH_BAR_P2PMEM)
		return WHY("bar_dev %u is not DMABENCH_BAR_TARGET or _P2PMEM (mode %s maps a BAR)",
			   r->bar_dev, dmabench_mode_name(r->mode));
	if (r->bar >= DMABENCH_NR_BARS)
		return WHY("bar %u is not 0..%d", r->bar, DMABENCH_NR_BARS - 1);
	if (r->bar_offset % (uint64_t)page_size)
		return WHY("bar_offset %llu is not page-aligned",
			   (unsigned long long)r->bar_offset);
	return 0;
}

static int check_target(const struct dmabench_run *r, char *why, size_t len)
{
	switch (r->target) {
	case DMABENCH_TARGET_PCI:
		if (r->target_bdf > 0xffff)
			return WHY("target_bdf 0x%x is above 0xffff", r->target_bdf);
		return 0;
	case DMABENCH_TARGET_DIRECT:
		if (r->target_domain || r->target_bdf)
			return WHY("target_domain and target_bdf must be 0 for the direct target");
		return 0;
	}
	return WHY("target %u is not DMABENCH_TARGET_PCI or _DIRECT", r->target);
}

int kmod_check_run(const struct dmabench_run *r, const struct kmod_limits *lim,
		   char *why, size_t len)
{
	long page_size = lim && lim->page_size > 0 ? lim->page_size : 4096;
	uint64_t bytes;
	size_t i;
	int ret;

	if (r->size != sizeof(*r))
		return WHY("size %u is not sizeof(struct dmabench_run) %zu", r->size, sizeof(*r));
	if (r->version != DMABENCH_UAPI_VERSION)
		return WHY("version %u is not %d", r->version, DMABENCH_UAPI_VERSION);
	if (r->flags & ~DMABENCH_RUN_FLAGS_ALL)
		return WHY("unknown flags 0x%x", r->flags);
	if (r->reserved0)
		return WHY("reserved0 is not 0");
	if (r->reserved1)
		return WHY("reserved1 is not 0");
	for (i = 0; i < sizeof(r->reserved) / sizeof(r->reserved[0]); i++)
		if (r->reserved[i])
			return WHY("reserved[%zu] is not 0", i);
	if (!dmabench_mode_name(r->mode))
		return WHY("mode %u is not a mode", r->mode);
	if (r->buf_size < DMABENCH_MIN_SIZE || r->buf_size > DMABENCH_MAX_SIZE ||
	    (r->buf_size & (r->buf_size - 1)))
		return WHY("buf_size %llu is not a power of two in 4K..4M",
			   (unsigned long long)r->buf_size);
	if (r->nents < 1 || r->nents > DMABENCH_MAX_NENTS)
		return WHY("nents %u is not 1..%d", r->nents, DMABENCH_MAX_NENTS);
	if (r->nents > 1 && !kmod_mode_takes_nents(r->mode))
		return WHY("mode %s takes no sg entries (nents %u)", dmabench_mode_name(r->mode),
			   r->nents);
	if (r->dir > DMABENCH_DIR_FROM_DEVICE)
		return WHY("dir %u is not 0..2", r->dir);
	if (r->node != -1 && (r->node < 0 || (lim && lim->online_nodes &&
			      (r->node >= 64 || !(lim->online_nodes >> r->node & 1)))))
		return WHY("node %d is not -1 or an online node", r->node);
	if (r->threads < 1 || r->threads > DMABENCH_MAX_THREADS)
		return WHY("threads %u is not 1..%d", r->threads, DMABENCH_MAX_THREADS);
	if (lim && r->node == -1 && lim->nr_cpus && r->threads > lim->nr_cpus)
		return WHY("threads %u is more than the %u online CPUs", r->threads, lim->nr_cpus);
	if (lim && r->node >= 0 && r->node < 64 && lim->online_nodes &&
	    r->threads > lim->node_cpus[r->node])
		return WHY("threads %u is more than the %u CPUs of node %d", r->threads,
			   lim->node_cpus[r->node], r->node);
	if (!r->iterations == !r->seconds)
		return WHY("exactly one of iterations and seconds must be set");
	if (r->iterations > DMABENCH_MAX_ITERATIONS)
		return WHY("iterations %llu is above %llu", (unsigned long long)r->iterations,
			   DMABENCH_MAX_ITERATIONS);
	if (r->seconds > DMABENCH_MAX_SECONDS)
		return WHY("seconds %u is above %d", r->seconds, DMABENCH_MAX_SECONDS);
	if ((r->flags & DMABENCH_RUN_HOLD) &&
	    ((r->mode != DMABENCH_MODE_DMABUF_SG && r->mode != DMABENCH_MODE_DMABUF_PHYS) ||
	     r->threads != 1 || !r->seconds))
		return WHY("DMABENCH_RUN_HOLD needs dmabuf-sg or dmabuf-phys, 1 thread and seconds");
	if (r->batch > DMABENCH_MAX_BATCH)
		return WHY("batch %u is above %d", r->batch, DMABENCH_MAX_BATCH);
	if (r->dma_bits && (r->dma_bits < DMABENCH_MIN_DMA_BITS ||
			    r->dma_bits > DMABENCH_MAX_DMA_BITS))
		return WHY("dma_bits %u is not 0 or %d..%d", r->dma_bits, DMABENCH_MIN_DMA_BITS,
			   DMABENCH_MAX_DMA_BITS);
	if (r->attrs & ~DMABENCH_ATTR_ALL)
		return WHY("unknown attrs 0x%x", r->attrs);
	if ((ret = check_target(r, why, len)) || (ret = check_bar(r, page_size, why, len)))
		return ret;
	/* bounded by the checks above: at most 2^6 * 2^8 * 2^22 * 2^8 */
	bytes = (uint64_t)r->threads * r->nents * r->buf_size * kmod_effective_batch(r);
	if (bytes > DMABENCH_MAX_TOTAL_BYTES)
		return WHY("threads x nents x buf_size x batch = %llu bytes is above %llu",
			   (unsigned long long)bytes, DMABENCH_MAX_TOTAL_BYTES);
	if (!r->results_ptr)
		return WHY("results_ptr is NULL");
	if (r->results_size < sizeof(struct dmabench_results))
		return WHY("results_size %llu is below sizeof(struct dmabench_results) %zu",
			   (unsigned long long)r->results_size, sizeof(struct dmabench_results));
	return 0;
}

const char *kmod_iommu_name(uint32_t type)
{
	static const char *const names[] = {
		[DMABENCH_IOMMU_NONE] = "none",
		[DMABENCH_IOMMU_DMA] = "dma",
		[DMABENCH_IOMMU_DMA_FQ] = "dma-fq",
		[DMABENCH_IOMMU_IDENTITY] = "identity",
		[DMABENCH_IOMMU_BLOCKED] = "blocked",
		[DMABENCH_IOMMU_OTHER] = "other",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

#define KMOD_MAX_CPUS 4096

/* Parses a sysfs list ("0-3,8") into bits; -1 if unreadable or malformed. */
static int read_list(const char *path, uint64_t *bits, size_t nwords)
{
	char buf[4096], *p, *end;
	FILE *f = fopen(path, "r");
	size_t got;

	if (!f)
		return -1;
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	memset(bits, 0, nwords * sizeof(*bits));
	for (p = buf; *p && *p != '\n'; p = end + (*end == ',')) {
		unsigned long lo = strtoul(p, &end, 10), hi = lo, i;

		if (end == p)
			return -1;
		if (*end == '-') {
			p = end + 1;
			hi = strtoul(p, &end, 10);
			if (end == p || hi < lo)
				return -1;
		}
		for (i = lo; i <= hi && i < nwords * 64; i++)
			bits[i / 64] |= 1ull << (i % 64);
	}
	return 0;
}

void kmod_read_limits(struct kmod_limits *lim, unsigned int nr_cpus, const char *sysfs_root)
{
	uint64_t online[KMOD_MAX_CPUS / 64], node[KMOD_MAX_CPUS / 64], nodes;
	char path[512];
	unsigned int n;
	size_t i;

	memset(lim, 0, sizeof(*lim));
	lim->page_size = sysconf(_SC_PAGESIZE);
	lim->nr_cpus = nr_cpus ? nr_cpus : (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(path, sizeof(path), "%s/devices/system/node/online", sysfs_root);
	if (read_list(path, &nodes, 1)) {
		lim->online_nodes = 1;	/* !CONFIG_NUMA: node 0 has every CPU */
		lim->node_cpus[0] = lim->nr_cpus;
		return;
	}
	snprintf(path, sizeof(path), "%s/devices/system/cpu/online", sysfs_root);
	if (read_list(path, online, KMOD_MAX_CPUS / 64))
		memset(online, 0xff, sizeof(online));
	lim->online_nodes = nodes;
	for (n = 0; n < 64; n++) {
		if (!(nodes >> n & 1))
			continue;
		snprintf(path, sizeof(path), "%s/devices/system/node/node%u/cpulist", sysfs_root, n);
		if (read_list(path, node, KMOD_MAX_CPUS / 64))
			continue;
		for (i = 0; i < KMOD_MAX_CPUS / 64; i++)
			lim->node_cpus[n] += (unsigned int)__builtin_popcountll(node[i] & online[i]);
	}
}
