/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the dmabench module. The uAPI lives in
 * bench/include/dmabench_ioctl.h, shared with user space.
 */
#ifndef _DMABENCH_H
#define _DMABENCH_H

#include <linux/completion.h>
#include <linux/dma-direction.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "dmabench_ioctl.h"

#define DMABENCH_VERSION_MAJOR	0
#define DMABENCH_VERSION_MINOR	1

struct device;
struct dma_buf;
struct dma_buf_attachment;
struct pci_dev;
struct p2pdma_provider;
struct task_struct;
struct dmabench_thread;
struct dmabench_ctx;

/*
 * One buffer a thread maps and unmaps once per sample. Modes use the
 * fields they need: RAM modes cpu_addr/page/phys, MMIO modes phys, sg modes
 * sgt. All of it is set up before the first timestamp.
 */
struct dmabench_slot {
	void *cpu_addr;
	struct page *page;
	phys_addr_t phys;
	dma_addr_t dma;
	struct sg_table sgt;
	/* dmabuf modes: the table the exporter made, or the attachment */
	struct sg_table *dmabuf_sgt;
	struct dma_buf_attachment *attach;
};

/*
 * struct dmabench_mode_ops - one benchmark mode (kernel/dma/ style ops)
 * @flags:	DMABENCH_MF_*
 * @prepare:	optional, run-wide setup in the ioctl context (find a BAR or
 *		a p2pmem provider); undone by @release
 * @release:	optional
 * @setup:	per-thread setup in the thread (so buffers are node local):
 *		allocate, touch and describe every slot
 * @teardown:	undo @setup; must cope with a partly done @setup
 * @map:	map slots 0..batch-1 and return how many were mapped; on a short
 *		count, t->err holds the errno. Only DMA API calls and their
 *		error checks belong here: this is the timed region.
 * @unmap:	unmap slots 0..nr-1 (timed as well)
 *
 * A mode the kernel tree lacks leaves @map NULL and is reported as
 * unsupported.
 */
struct dmabench_mode_ops {
	unsigned int flags;
	int (*prepare)(struct dmabench_ctx *ctx);
	void (*release)(struct dmabench_ctx *ctx);
	int (*setup)(struct dmabench_thread *t);
	void (*teardown)(struct dmabench_thread *t);
	unsigned int (*map)(struct dmabench_thread *t);
	void (*unmap)(struct dmabench_thread *t, unsigned int nr);
	void (*hold)(struct dmabench_thread *t);
};

#define DMABENCH_MF_SG		BIT(0)	/* takes nents > 1 */
#define DMABENCH_MF_MMIO	BIT(1)	/* maps a BAR range: bar_* fields */
#define DMABENCH_MF_P2P		BIT(2)	/* maps p2pmem pages: never bounced */
#define DMABENCH_MF_DMABUF	BIT(3)	/* imports the dma-buf of dmabuf_fd */
#define DMABENCH_MF_HOLD	BIT(4)	/* takes DMABENCH_RUN_HOLD */

/* Per-phase accumulator of one thread; merged into dmabench_phase_stats */
struct dmabench_acc {
	u64 n;
	u64 min;
	u64 max;
	u64 sum;
	u64 sq_lo;
	u64 sq_hi;
	u64 *hist;	/* DMABENCH_HIST_NBUCKETS counters */
};

/* Validated, kernel-typed copy of struct dmabench_run */
struct dmabench_params {
	u32 mode;
	const struct dmabench_mode_ops *ops;
	size_t size;
	unsigned int nents;
	enum dma_data_direction dir;
	unsigned int threads;
	int node;
	u64 iterations;
	u64 duration_ns;
	unsigned int batch;
	unsigned int dma_bits;
	unsigned long attrs;
	u32 target;
	u32 domain;
	u32 bdf;
	u32 bar_dev;
	u32 bar;
	u64 bar_offset;
	int dmabuf_fd;
	bool hold;			/* DMABENCH_RUN_HOLD */
	void __user *results;
};

/* A PCI device bound to the module through driver_override */
struct dmabench_pci {
	struct list_head node;
	struct pci_dev *pdev;
	struct dmabench_ctx *ctx;	/* the run using it, under dmabench_lock */
	struct completion idle;		/* completed when that run lets go */
};

struct dmabench_thread {
	struct dmabench_ctx *ctx;
	struct task_struct *task;
	struct device *dev;
	unsigned int id;
	unsigned int cpu;
	int node;
	/* copies of the parameters the timed loop reads, kept together */
	size_t size;
	unsigned int nents;
	unsigned int batch;
	enum dma_data_direction dir;
	unsigned long attrs;
	struct dmabench_slot *slots;
	int err;
	/*
	 * dmabuf modes: this thread's attachment, and for dmabuf-phys the
	 * range and provider the exporter gave it
	 */
	struct dma_buf_attachment *attach;
	struct p2pdma_provider *dmabuf_provider;
	phys_addr_t dmabuf_phys;
	bool revoked;		/* under the dma-buf's reservation lock */
	/* DMABENCH_RUN_HOLD: the mapping held, under the same lock */
	bool holding;
	struct sg_table *held_sgt;
	dma_addr_t held_dma;
	u64 ops;
	u64 start_ns;
	u64 end_ns;
	struct dmabench_acc acc[DMABENCH_NR_PHASES];
};

/* One run: lives for the duration of DMABENCH_IOC_RUN */
struct dmabench_ctx {
	struct dmabench_params p;
	struct device *dev;		/* the target's struct device */
	struct dmabench_pci *bound;	/* NULL for the direct target */
	/* MMIO modes: the BAR range, resolved by dmabench_bar_get() */
	struct pci_dev *bar_pdev;
	phys_addr_t bar_phys;
	unsigned long bar_nr_slots;	/* size-byte ranges that fit */
	/* p2p-pgmap: the provider pci_p2pmem_find() picked */
	struct pci_dev *p2p_pdev;
	/* p2p-provider: the BAR's provider, and a p2pmem page that pins it */
	struct p2pdma_provider *provider;
	void *provider_pin;
	/* dmabuf modes: the buffer, and when a revoke reached the module */
	struct dma_buf *dmabuf;
	u64 revoked_ns;
	u64 timer_overhead;
	u32 map_delay_ns;		/* test_map_delay_ns at run start (inject.c) */
	u64 deadline_ns;
	bool stop;			/* READ_ONCE/WRITE_ONCE: end early */
	int stop_reason;		/* why, as -errno */
	/* start barrier: every thread set up before any thread times */
	atomic_t pending;
	struct completion all_ready;
	wait_queue_head_t go_wq;
	bool go;
	bool abort;			/* a setup failed: skip the timed loop */
	atomic_t running;
	struct completion all_done;
	struct dmabench_thread *threads;
};

/* modes.c */
const struct dmabench_mode_ops *dmabench_mode(u32 mode);
bool dmabench_mode_supported(u32 mode);
u64 dmabench_modes_supported(void);

/* params.c */
int dmabench_params_from_user(const struct dmabench_run *r,
			      struct dmabench_params *p);

/* info.c */
long dmabench_ioctl_info(void __user *uarg);
u32 dmabench_iommu_type(struct device *dev);

/* bind.c */
int dmabench_bind_init(void);
void dmabench_bind_exit(void);
int dmabench_target_get(struct dmabench_ctx *ctx);
void dmabench_target_put(struct dmabench_ctx *ctx);
struct device *dmabench_direct_dev(void);
unsigned int dmabench_pci_list(struct dmabench_dev_info *out, unsigned int max);

/* run.c */
long dmabench_ioctl_run(void __user *uarg);

/* stats.c */
u64 dmabench_timer_overhead(void);
u64 dmabench_load_timer_overhead(void);

/* inject.c: the test-only slowdown behind test_map_delay_ns */
u32 dmabench_test_map_delay(void);
void dmabench_inject_map_delay(u32 ns, unsigned int ops);
void dmabench_inherit_fault_injection(struct task_struct *task);
int dmabench_acc_init(struct dmabench_acc *acc, int node);
void dmabench_acc_free(struct dmabench_acc *acc);
void dmabench_acc_add(struct dmabench_acc *acc, u64 v);
void dmabench_acc_merge(struct dmabench_phase_stats *out,
			const struct dmabench_acc *acc);
void dmabench_phase_init(struct dmabench_phase_stats *out);

/* buffers.c: RAM buffers shared by the RAM modes */
int dmabench_ram_setup(struct dmabench_thread *t);
void dmabench_ram_teardown(struct dmabench_thread *t);
int dmabench_sg_setup(struct dmabench_thread *t,
		      void *(*alloc)(struct dmabench_thread *t),
		      void (*free)(struct dmabench_thread *t, void *va));
void dmabench_sg_teardown(struct dmabench_thread *t,
			  void (*free)(struct dmabench_thread *t, void *va));
/* modes/sg.c: map and unmap the batch of sg_tables (sg, p2p-pgmap) */
unsigned int dmabench_sgtable_map(struct dmabench_thread *t);
void dmabench_sgtable_unmap(struct dmabench_thread *t, unsigned int nr);
void *dmabench_ram_alloc(struct dmabench_thread *t);
void dmabench_ram_free(struct dmabench_thread *t, void *va);

/* bar.c: BAR ranges for the MMIO modes */
int dmabench_bar_get(struct dmabench_ctx *ctx);
void dmabench_bar_put(struct dmabench_ctx *ctx);
int dmabench_bar_setup(struct dmabench_thread *t);

/* the modes, one file each under modes/ */
extern const struct dmabench_mode_ops dmabench_single_ops;
extern const struct dmabench_mode_ops dmabench_page_ops;
extern const struct dmabench_mode_ops dmabench_sg_ops;
extern const struct dmabench_mode_ops dmabench_phys_ops;
extern const struct dmabench_mode_ops dmabench_phys_mmio_ops;
extern const struct dmabench_mode_ops dmabench_resource_ops;
extern const struct dmabench_mode_ops dmabench_p2p_pgmap_ops;
extern const struct dmabench_mode_ops dmabench_p2p_provider_ops;
extern const struct dmabench_mode_ops dmabench_iova_link_ops;
extern const struct dmabench_mode_ops dmabench_dmabuf_attach_ops;
extern const struct dmabench_mode_ops dmabench_dmabuf_sg_ops;
extern const struct dmabench_mode_ops dmabench_dmabuf_phys_ops;

#endif /* _DMABENCH_H */
