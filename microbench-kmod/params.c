// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of struct dmabench_run. Everything a caller controls is
 * checked here, before any allocation, so a bad struct costs nothing and
 * leaves nothing behind; the rest of the module trusts struct
 * dmabench_params.
 */
#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/topology.h>
#include <linux/uaccess.h>

#include "dmabench.h"

static int dmabench_dir(u32 dir, enum dma_data_direction *out)
{
	/* spelled out: the uAPI values must not leak into the kernel enum */
	switch (dir) {
	case DMABENCH_DIR_BIDIRECTIONAL:
		*out = DMA_BIDIRECTIONAL;
		return 0;
	case DMABENCH_DIR_TO_DEVICE:
		*out = DMA_TO_DEVICE;
		return 0;
	case DMABENCH_DIR_FROM_DEVICE:
		*out = DMA_FROM_DEVICE;
		return 0;
	}
	return -EINVAL;
}

static unsigned long dmabench_attrs(u32 attrs)
{
	unsigned long a = 0;

	if (attrs & DMABENCH_ATTR_SKIP_CPU_SYNC)
		a |= DMA_ATTR_SKIP_CPU_SYNC;
	if (attrs & DMABENCH_ATTR_WEAK_ORDERING)
		a |= DMA_ATTR_WEAK_ORDERING;
	return a;
}

/* CPUs the threads may use: the node's online CPUs, or all online ones */
static unsigned int dmabench_nr_cpus(int node)
{
	if (node == NUMA_NO_NODE)
		return num_online_cpus();
	return cpumask_weight_and(cpumask_of_node(node), cpu_online_mask);
}

static int dmabench_check_bar(const struct dmabench_run *r, unsigned int flags)
{
	/* a dma-buf is named by its fd alone, and has no offset of its own */
	if (flags & DMABENCH_MF_DMABUF)
		return r->bar_dev != DMABENCH_BAR_DMABUF || r->bar ||
		       r->bar_offset || r->dmabuf_fd < 0 ? -EINVAL : 0;
	if (r->dmabuf_fd)
		return -EINVAL;
	if (!(flags & DMABENCH_MF_MMIO))
		return r->bar_dev || r->bar || r->bar_offset ? -EINVAL : 0;
	if (r->bar_dev != DMABENCH_BAR_TARGET &&
	    r->bar_dev != DMABENCH_BAR_P2PMEM)
		return -EINVAL;
	if (r->bar >= DMABENCH_NR_BARS || !PAGE_ALIGNED(r->bar_offset))
		return -EINVAL;
	return 0;
}

int dmabench_params_from_user(const struct dmabench_run *r,
			      struct dmabench_params *p)
{
	const struct dmabench_mode_ops *ops;
	u64 per_batch;
	int ret;

	if (r->size != sizeof(*r) || r->version != DMABENCH_UAPI_VERSION)
		return -EINVAL;
	if (r->flags & ~DMABENCH_RUN_FLAGS_ALL)
		return -EINVAL;
	if (r->reserved0 || r->reserved1 ||
	    memchr_inv(r->reserved, 0, sizeof(r->reserved)))
		return -EINVAL;

	ops = dmabench_mode(r->mode);
	if (!ops)
		return -EINVAL;

	if (r->buf_size < DMABENCH_MIN_SIZE || r->buf_size > DMABENCH_MAX_SIZE ||
	    !is_power_of_2(r->buf_size))
		return -EINVAL;
	if (!r->nents || r->nents > DMABENCH_MAX_NENTS ||
	    (r->nents > 1 && !(ops->flags & DMABENCH_MF_SG)))
		return -EINVAL;
	ret = dmabench_dir(r->dir, &p->dir);
	if (ret)
		return ret;

	if (r->node != NUMA_NO_NODE &&
	    (r->node < 0 || (unsigned int)r->node >= nr_node_ids ||
	     !node_online(r->node)))
		return -EINVAL;
	if (!r->threads || r->threads > DMABENCH_MAX_THREADS ||
	    r->threads > dmabench_nr_cpus(r->node))
		return -EINVAL;

	/* exactly one of the two stop conditions */
	if (!r->iterations == !r->seconds)
		return -EINVAL;
	if (r->iterations > DMABENCH_MAX_ITERATIONS ||
	    r->seconds > DMABENCH_MAX_SECONDS)
		return -EINVAL;

	/* a hold run maps once, in one thread, for at most its time limit */
	if ((r->flags & DMABENCH_RUN_HOLD) &&
	    (!(ops->flags & DMABENCH_MF_HOLD) || r->threads != 1 || !r->seconds))
		return -EINVAL;
	if (r->batch > DMABENCH_MAX_BATCH)
		return -EINVAL;
	if (r->dma_bits && (r->dma_bits < DMABENCH_MIN_DMA_BITS ||
			    r->dma_bits > DMABENCH_MAX_DMA_BITS))
		return -EINVAL;
	if (r->attrs & ~DMABENCH_ATTR_ALL)
		return -EINVAL;

	switch (r->target) {
	case DMABENCH_TARGET_PCI:
		if (r->target_bdf > 0xffff)
			return -EINVAL;
		break;
	case DMABENCH_TARGET_DIRECT:
		if (r->target_domain || r->target_bdf)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	ret = dmabench_check_bar(r, ops->flags);
	if (ret)
		return ret;

	/*
	 * The default batch keeps the timer's share of a sample small for
	 * the fastest modes; it halves until the buffers fit, as large
	 * buffers take long enough per operation not to need it. An
	 * explicit batch is taken as asked, or refused.
	 * Bounded operands: at most 2^6 * 2^8 * 2^8 * 2^22, no overflow.
	 */
	per_batch = (u64)r->threads * r->nents * r->buf_size;
	p->batch = r->batch;
	if (!p->batch) {
		p->batch = DMABENCH_DEFAULT_BATCH;
		while (p->batch > 1 &&
		       per_batch * p->batch > DMABENCH_MAX_TOTAL_BYTES)
			p->batch /= 2;
	}
	if (per_batch * p->batch > DMABENCH_MAX_TOTAL_BYTES)
		return -EINVAL;

	if (!r->results_ptr || r->results_size < sizeof(struct dmabench_results))
		return -EINVAL;
	p->results = u64_to_user_ptr(r->results_ptr);
	if (!access_ok(p->results, sizeof(struct dmabench_results)))
		return -EFAULT;

	/* a valid request for a mode this tree or build cannot run */
	if (!ops->map)
		return -EOPNOTSUPP;

	p->mode = r->mode;
	p->ops = ops;
	p->size = r->buf_size;
	p->nents = r->nents;
	p->threads = r->threads;
	p->node = r->node;
	p->iterations = r->iterations;
	p->duration_ns = (u64)r->seconds * NSEC_PER_SEC;
	p->dma_bits = r->dma_bits ?: DMABENCH_MAX_DMA_BITS;
	p->attrs = dmabench_attrs(r->attrs);
	p->target = r->target;
	p->domain = r->target_domain;
	p->bdf = r->target_bdf;
	p->bar_dev = r->bar_dev;
	p->bar = r->bar;
	p->bar_offset = r->bar_offset;
	p->dmabuf_fd = r->dmabuf_fd;
	p->hold = r->flags & DMABENCH_RUN_HOLD;
	return 0;
}
