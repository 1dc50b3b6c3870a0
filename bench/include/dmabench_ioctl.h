/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * dmabench_ioctl.h - uAPI of the dmabench DMA map/unmap latency module.
 *
 * The single definition shared by the module (microbench-kmod/) and user
 * space (bench/): both include this file, so it uses only the fixed-width
 * __u32/__u64 types and <linux/ioctl.h>. Every struct has the same layout
 * on 32-bit and 64-bit user space (explicit padding, 8-byte aligned), so
 * the module needs no compat translation.
 *
 * Rules the module enforces, so that a caller gets a clear error instead of
 * a silently different experiment:
 *  - every ioctl needs CAP_SYS_ADMIN (EPERM), even on a node made world
 *    accessible: the node is created 0600, and mappings of a device's BAR
 *    are privileged whatever the file mode says;
 *  - size must equal sizeof() of the struct and version must equal
 *    DMABENCH_UAPI_VERSION (EINVAL);
 *  - unknown flags or attrs bits, non-zero reserved or padding fields, and
 *    values outside the documented ranges give EINVAL;
 *  - a known mode this build or this kernel cannot run gives EOPNOTSUPP:
 *    user space reports the cell as "unsupported", not as a failure.
 *  - a RAM mapping larger than the target can take in this boot (above
 *    dma_max_mapping_size(), as under swiotlb=force) gives E2BIG: user
 *    space reports that cell as not runnable here, too.
 *  - with the series, an MMIO mode under swiotlb=force gives EREMOTEIO: MMIO
 *    is never bounced, so the kernel refuses every such mapping.
 */
#ifndef DMABENCH_IOCTL_H
#define DMABENCH_IOCTL_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#include "dmabench_hist_layout.h"

#define DMABENCH_UAPI_VERSION		1
#define DMABENCH_DEV_NAME		"dmabench"	/* /dev/dmabench */

/* Mapping modes. The values are uAPI: never renumber, only append. */
enum dmabench_mode {
	DMABENCH_MODE_SINGLE = 1,	/* dma_map_single */
	DMABENCH_MODE_PAGE = 2,		/* dma_map_page */
	DMABENCH_MODE_SG = 3,		/* dma_map_sg with nents entries */
	DMABENCH_MODE_PHYS = 4,		/* dma_map_phys on RAM */
	DMABENCH_MODE_PHYS_MMIO = 5,	/* dma_map_phys + DMA_ATTR_MMIO, BAR */
	DMABENCH_MODE_RESOURCE = 6,	/* dma_map_resource, same BAR */
	DMABENCH_MODE_P2P_PGMAP = 7,	/* dma_map_sg of p2pmem pages */
	DMABENCH_MODE_P2P_PROVIDER = 8,	/* BAR through struct p2pdma_provider */
	DMABENCH_MODE_IOVA_LINK = 9,	/* dma_iova_link, two-step API */
	DMABENCH_MODE_DMABUF_ATTACH = 10,	/* dma_buf_dynamic_attach + detach */
	DMABENCH_MODE_DMABUF_SG = 11,	/* dma_buf_map_attachment: sg_table */
	DMABENCH_MODE_DMABUF_PHYS = 12,	/* the exporter's phys list, mapped by us */
	DMABENCH_MODE_NR		/* one past the last mode */
};

/*
 * The mode names the CLI, the result files and the module's log use: here,
 * so there is one list. NULL for a value that is not a mode.
 */
static inline const char *dmabench_mode_name(__u32 mode)
{
	switch (mode) {
	case DMABENCH_MODE_SINGLE:		return "single";
	case DMABENCH_MODE_PAGE:		return "page";
	case DMABENCH_MODE_SG:			return "sg";
	case DMABENCH_MODE_PHYS:		return "phys";
	case DMABENCH_MODE_PHYS_MMIO:		return "phys-mmio";
	case DMABENCH_MODE_RESOURCE:		return "resource";
	case DMABENCH_MODE_P2P_PGMAP:		return "p2p-pgmap";
	case DMABENCH_MODE_P2P_PROVIDER:	return "p2p-provider";
	case DMABENCH_MODE_IOVA_LINK:		return "iova-link";
	case DMABENCH_MODE_DMABUF_ATTACH:	return "dmabuf-attach";
	case DMABENCH_MODE_DMABUF_SG:		return "dmabuf-sg";
	case DMABENCH_MODE_DMABUF_PHYS:		return "dmabuf-phys";
	}
	return (const char *)0;
}

/* dmabench_run.dir; the values of the in-tree dma_map_benchmark */
#define DMABENCH_DIR_BIDIRECTIONAL	0
#define DMABENCH_DIR_TO_DEVICE		1
#define DMABENCH_DIR_FROM_DEVICE	2

/* dmabench_run.attrs: the only DMA attributes a caller may add */
#define DMABENCH_ATTR_SKIP_CPU_SYNC	_BITUL(0)	/* DMA_ATTR_SKIP_CPU_SYNC */
#define DMABENCH_ATTR_WEAK_ORDERING	_BITUL(1)	/* DMA_ATTR_WEAK_ORDERING */
#define DMABENCH_ATTR_ALL		(DMABENCH_ATTR_SKIP_CPU_SYNC | \
					 DMABENCH_ATTR_WEAK_ORDERING)

/*
 * dmabench_run.flags
 *
 * DMABENCH_RUN_HOLD (dmabuf-sg and dmabuf-phys, one thread, a time limit):
 * instead of timing map/unmap pairs, map the buffer once and hold the
 * mapping, without holding any lock, until the exporter revokes it or the
 * time is up. The module unmaps inside its move_notify, as an importer
 * must, and results.revoked_ns tells when that was done; the run then ends
 * with status -ENODEV. No samples are taken.
 */
#define DMABENCH_RUN_HOLD		_BITUL(0)
#define DMABENCH_RUN_FLAGS_ALL		DMABENCH_RUN_HOLD

/* dmabench_run.target */
#define DMABENCH_TARGET_PCI	1	/* a PCI device bound to the module */
#define DMABENCH_TARGET_DIRECT	2	/* the module's device-less dma-direct device */

/* PCI address of a device: bus in bits 15:8, devfn in bits 7:0 */
#define DMABENCH_PCI_BDF(bus, dev, fn) \
	((((bus) & 0xff) << 8) | (((dev) & 0x1f) << 3) | ((fn) & 0x7))

/*
 * dmabench_run.bar_dev: whose BAR the MMIO modes (phys-mmio, resource) map.
 * User space names a BAR, never an address: the module resolves it.
 */
#define DMABENCH_BAR_NONE	0	/* not an MMIO mode: bar fields all zero */
#define DMABENCH_BAR_TARGET	1	/* a memory BAR of the target device */
#define DMABENCH_BAR_P2PMEM	2	/* a BAR of the p2pmem provider that
					 * pci_p2pmem_find() picks for the target
					 */
#define DMABENCH_BAR_DMABUF	3	/* the dmabuf modes: the dma-buf whose fd
					 * is dmabuf_fd, as exported by vfio-pci
					 * (VFIO_DEVICE_FEATURE_DMA_BUF); bar and
					 * bar_offset 0, buf_size its size
					 */
#define DMABENCH_NR_BARS	6

/* Limits, checked by the module and useful to CLIs and fuzzers. */
#define DMABENCH_MIN_SIZE	4096ULL		/* bytes per mapping or sg entry */
#define DMABENCH_MAX_SIZE	(4ULL << 20)
#define DMABENCH_MAX_NENTS	256		/* sg entries per mapping */
#define DMABENCH_MAX_THREADS	64		/* and at most the node's CPUs */
#define DMABENCH_MAX_BATCH	256		/* operations per timestamp pair */
#define DMABENCH_DEFAULT_BATCH	32		/* batch 0: this, halved until
						 * the buffers fit the cap below
						 */
#define DMABENCH_MAX_ITERATIONS	100000000ULL	/* samples per thread */
#define DMABENCH_MAX_SECONDS	600
#define DMABENCH_MIN_DMA_BITS	32
#define DMABENCH_MAX_DMA_BITS	64		/* also the default (dma_bits 0) */
/* threads * batch * nents * size, all buffers of one run */
#define DMABENCH_MAX_TOTAL_BYTES	(256ULL << 20)

/*
 * struct dmabench_run - one benchmark cell (DMABENCH_IOC_RUN)
 *
 * Each thread owns batch slots, each a pre-allocated, pre-touched buffer
 * (or sg table of nents buffers, or BAR range) of size bytes. One sample is
 * t0, batch maps, t1, batch unmaps, t2; the module records
 * (t1 - t0 - overhead) / batch as map, (t2 - t1 - overhead) / batch as unmap
 * and their sum as map+unmap, all in ns per operation.
 *
 * Exactly one of iterations (samples per thread) and seconds (time limit)
 * is non-zero.
 *
 * The ioctl returns 0 once a run has happened and its results were copied
 * to results_ptr; results.status then tells whether every sample
 * succeeded. A negative return means no run happened (nothing written).
 */
struct dmabench_run {
	__u32 size;		/* sizeof(struct dmabench_run) */
	__u32 version;		/* DMABENCH_UAPI_VERSION */
	__u32 flags;		/* DMABENCH_RUN_*; 0 for a timed run */
	__u32 mode;		/* enum dmabench_mode */
	__u64 buf_size;		/* bytes per mapping/entry: power of 2, 4 KiB..4 MiB */
	__u32 nents;		/* sg entries: 1..DMABENCH_MAX_NENTS (sg, p2p-pgmap), else 1 */
	__u32 dir;		/* DMABENCH_DIR_* */
	__u32 threads;		/* 1..min(DMABENCH_MAX_THREADS, CPUs of node) */
	__s32 node;		/* NUMA node for threads and buffers, or -1 */
	__u64 iterations;	/* samples per thread, 1..DMABENCH_MAX_ITERATIONS */
	__u32 seconds;		/* or a time limit, 1..DMABENCH_MAX_SECONDS */
	__u32 batch;		/* operations per sample, 1..MAX_BATCH; 0: default */
	__u32 dma_bits;		/* DMA mask, 32..64; 0: 64 */
	__u32 attrs;		/* DMABENCH_ATTR_* */
	__u32 target;		/* DMABENCH_TARGET_* */
	__u32 target_domain;	/* PCI target: its PCI domain (segment) */
	__u32 target_bdf;	/* PCI target: DMABENCH_PCI_BDF(); 0 for DIRECT */
	__u32 bar_dev;		/* DMABENCH_BAR_*: MMIO modes only */
	__u32 bar;		/* BAR index 0..5: MMIO modes only */
	__u32 reserved0;	/* padding: must be 0 */
	__u64 bar_offset;	/* page-aligned byte offset into the BAR */
	__u64 results_ptr;	/* user pointer to struct dmabench_results */
	__u64 results_size;	/* bytes at results_ptr, >= sizeof(results) */
	__s32 dmabuf_fd;	/* DMABENCH_BAR_DMABUF: a dma-buf fd; else 0 */
	__u32 reserved1;	/* must be 0 */
	__u64 reserved[7];	/* must be 0 */
};

/* Index of dmabench_results.phase[] */
#define DMABENCH_PHASE_MAP		0
#define DMABENCH_PHASE_UNMAP		1
#define DMABENCH_PHASE_MAP_UNMAP	2
#define DMABENCH_NR_PHASES		3

/* Buckets of one histogram in the layout of dmabench_hist_layout.h */
#define DMABENCH_HIST_NBUCKETS \
	((DMABENCH_HIST_MAX_BITS - DMABENCH_HIST_SUB_BITS + 1) << \
	 DMABENCH_HIST_SUB_BITS)

/*
 * struct dmabench_phase_stats - one phase, all threads merged
 *
 * Samples are ns per operation, after subtracting the timer overhead (and
 * clamped at 0). mean = sum_ns / n; variance from the 128-bit sum of
 * squares. hist[] counts samples in the dmabench_hist_layout.h buckets
 * given by results.hist_sub_bits and results.hist_max_bits.
 */
struct dmabench_phase_stats {
	__u64 n;		/* samples */
	__u64 min_ns;
	__u64 max_ns;
	__u64 sum_ns;
	__u64 sumsq_lo;		/* sum of squares (ns^2), low 64 bits */
	__u64 sumsq_hi;		/* ... high 64 bits */
	__u64 hist[DMABENCH_HIST_NBUCKETS];
};

/* dmabench_results.iommu and dmabench_dev_info.iommu */
#define DMABENCH_IOMMU_NONE		0	/* no IOMMU domain: dma-direct */
#define DMABENCH_IOMMU_DMA		1	/* translated, strict invalidation */
#define DMABENCH_IOMMU_DMA_FQ		2	/* translated, lazy (flush queue) */
#define DMABENCH_IOMMU_IDENTITY		3	/* passthrough */
#define DMABENCH_IOMMU_BLOCKED		4
#define DMABENCH_IOMMU_OTHER		5	/* unmanaged, SVA, ... */

/* struct dmabench_results - written by DMABENCH_IOC_RUN */
struct dmabench_results {
	__u32 size;		/* bytes the module wrote */
	__u32 version;		/* DMABENCH_UAPI_VERSION */
	__s32 status;		/* 0, or -errno that stopped the run early:
				 * ENOMEM from a failed map (dma_mapping_error),
				 * EREMOTEIO from P2P refused, ENODEV if the
				 * device was unbound during the run
				 */
	__u32 mode;		/* echo of the run */
	__u32 threads;
	__u32 batch;		/* the batch used (default applied) */
	__u32 dma_bits;		/* the mask used (default applied) */
	__u32 iommu;		/* DMABENCH_IOMMU_* of the target during the run */
	__u32 hist_layout_version;	/* DMABENCH_HIST_LAYOUT_VERSION */
	__u32 hist_sub_bits;
	__u32 hist_max_bits;
	__u32 hist_nbuckets;	/* DMABENCH_HIST_NBUCKETS */
	__u64 timer_overhead_ns;	/* one ktime_get_ns() pair, subtracted */
	__u64 ops;		/* map/unmap pairs timed, all threads */
	__u64 elapsed_ns;	/* first t0 to last t2, all threads */
	/* TEST ONLY: ns of busy wait the module added after every map (its
	 * parameter test_map_delay_ns); 0 in every real measurement
	 */
	__u64 injected_map_delay_ns;
	/* dmabuf modes: CLOCK_MONOTONIC ns at which the exporter's revoke
	 * reached the module and it held no mapping any more; 0 if none came
	 */
	__u64 revoked_ns;
	__u64 reserved[3];	/* 0 */
	struct dmabench_phase_stats phase[DMABENCH_NR_PHASES];
};

/* dmabench_info.features: what the kernel tree the module was built on has */
#define DMABENCH_FEAT_MAP_PHYS		_BITUL(0)	/* dma_map_phys() */
#define DMABENCH_FEAT_ATTR_MMIO		_BITUL(1)	/* DMA_ATTR_MMIO */
#define DMABENCH_FEAT_P2P_PROVIDER	_BITUL(2)	/* struct p2pdma_provider */
#define DMABENCH_FEAT_IOVA_LINK		_BITUL(3)	/* dma_iova_link() */
#define DMABENCH_FEAT_P2PDMA		_BITUL(4)	/* CONFIG_PCI_P2PDMA */

/* dmabench_dev_info.flags */
#define DMABENCH_DEVF_P2PMEM	_BITUL(0)	/* a p2pmem provider is reachable */
#define DMABENCH_DEVF_BUSY	_BITUL(1)	/* a run is using the device */

#define DMABENCH_INFO_MAX_DEVS	8

/* struct dmabench_dev_info - a PCI device bound to the module */
struct dmabench_dev_info {
	__u32 domain;
	__u32 bdf;		/* DMABENCH_PCI_BDF() */
	__u16 vendor;
	__u16 device;
	__u32 iommu;		/* DMABENCH_IOMMU_* */
	__u32 flags;		/* DMABENCH_DEVF_* */
	__u32 p2p_domain;	/* the provider pci_p2pmem_find() picks */
	__u32 p2p_bdf;
	__u32 reserved0;
	__u64 bar_len[DMABENCH_NR_BARS];	/* memory BARs; 0: not usable */
};

/* struct dmabench_info - DMABENCH_IOC_INFO; caller sets size and version */
struct dmabench_info {
	__u32 size;		/* sizeof(struct dmabench_info) */
	__u32 version;		/* DMABENCH_UAPI_VERSION */
	__u32 module_version;	/* major << 16 | minor */
	__u32 features;		/* DMABENCH_FEAT_* */
	__u64 modes_supported;	/* bit m set: this module can run mode m */
	__u64 timer_overhead_ns;	/* one ktime_get_ns() pair, at load */
	__u32 nr_online_cpus;
	__u32 nr_devices;	/* PCI devices bound; the first few in dev[] */
	__u32 direct_iommu;	/* DMABENCH_IOMMU_* of the device-less target */
	__u32 reserved0;
	__u64 reserved[4];
	struct dmabench_dev_info dev[DMABENCH_INFO_MAX_DEVS];
};

/* 0xDB 00-0F is mwave's (ioctl-number.rst): dmabench uses 0x40-0x4F */
#define DMABENCH_IOC_MAGIC	0xDB
#define DMABENCH_IOC_INFO	_IOWR(DMABENCH_IOC_MAGIC, 0x40, struct dmabench_info)
#define DMABENCH_IOC_RUN	_IOW(DMABENCH_IOC_MAGIC, 0x41, struct dmabench_run)

#endif /* DMABENCH_IOCTL_H */
