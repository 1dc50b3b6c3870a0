/*
 * User-space mirror of the in-tree DMA map benchmark ABI
 * (Linux 6.12 include/linux/map_benchmark.h, driven through
 * /sys/kernel/debug/dma_map_benchmark).  The kernel copies exactly
 * sizeof(struct map_benchmark) bytes in and out, so the layout is checked
 * at compile time.
 */
#ifndef DMABENCH_MAP_BENCHMARK_ABI_H
#define DMABENCH_MAP_BENCHMARK_ABI_H

#include <linux/types.h>
#include <sys/ioctl.h>

#define DMA_MAP_BENCHMARK_PATH		"/sys/kernel/debug/dma_map_benchmark"
#define DMA_MAP_BENCHMARK_MAX_THREADS	1024
#define DMA_MAP_BENCHMARK_MAX_SECONDS	300
#define DMA_MAP_BENCHMARK_MAX_TRANS_NS	(10 * 1000 * 1000)	/* 10 ms */
#define DMA_MAP_BENCHMARK_MAX_GRANULE	1024	/* pages per map */
#define DMA_MAP_BENCHMARK_NO_NODE	(-1)	/* NUMA_NO_NODE */

/* dma_dir values (enum dma_data_direction) */
#define DMA_MAP_BIDIRECTIONAL	0
#define DMA_MAP_TO_DEVICE	1
#define DMA_MAP_FROM_DEVICE	2

struct map_benchmark {
	__u64 avg_map_100ns;	/* out: mean map latency, 100 ns units */
	__u64 map_stddev;	/* out: stddev, also 100 ns units */
	__u64 avg_unmap_100ns;	/* out: mean unmap latency, 100 ns units */
	__u64 unmap_stddev;	/* out */
	__u32 threads;		/* in: kthreads mapping concurrently */
	__u32 seconds;		/* in: how long to run */
	__s32 node;		/* in: NUMA node of the kthreads */
	__u32 dma_bits;		/* in: DMA mask width */
	__u32 dma_dir;		/* in: DMA direction */
	__u32 dma_trans_ns;	/* in: simulated transfer time between map and unmap */
	__u32 granule;		/* in: PAGE_SIZE pages per map */
	__u8 expansion[76];	/* reserved, zero */
};

_Static_assert(sizeof(struct map_benchmark) == 136,
	       "struct map_benchmark must match the kernel's 136-byte layout");

#define DMA_MAP_BENCHMARK	_IOWR('d', 1, struct map_benchmark)

#endif
