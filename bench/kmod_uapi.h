/*
 * The dmabench module's uAPI (include/dmabench_ioctl.h) as user space
 * models it: which modes take sg entries or a BAR, the module's default
 * batch, and the static acceptance rules of DMABENCH_IOC_RUN, each with a
 * reason. One model for the kmod engine (which refuses a cell before the
 * module would), the ioctl fuzzer (which predicts every errno) and the
 * test stand-in for /dev/dmabench.
 */
#ifndef DMABENCH_KMOD_UAPI_H
#define DMABENCH_KMOD_UAPI_H

#include <stddef.h>
#include <stdint.h>

#include "dmabench_ioctl.h"

#define KMOD_DEV_PATH	"/dev/" DMABENCH_DEV_NAME

/* uAPI mode number of a name ("sg"); 0 if unknown. */
unsigned int kmod_mode_from_name(const char *name);
/*
 * Modes that take nents > 1 (sg p2p-pgmap iova-link) and modes that map a
 * BAR range named by bar_dev/bar/bar_offset (phys-mmio resource
 * p2p-provider); every other mode needs nents 1 and all bar fields 0.
 */
int kmod_mode_takes_nents(unsigned int mode);
int kmod_mode_maps_bar(unsigned int mode);
/* dmabuf-attach, -sg, -phys: they import the dma-buf of dmabuf_fd */
int kmod_mode_imports_dmabuf(unsigned int mode);

/*
 * The batch the module uses for r: r->batch, or for 0 the default halved
 * until threads * nents * buf_size * batch fits DMABENCH_MAX_TOTAL_BYTES.
 * Only meaningful once threads, nents and buf_size are in range.
 */
unsigned int kmod_effective_batch(const struct dmabench_run *r);

/* What the static checks may know about the system (0: unknown, unchecked). */
struct kmod_limits {
	long page_size;			/* bar_offset alignment; 0: 4096 */
	unsigned int nr_cpus;		/* online CPUs */
	uint64_t online_nodes;		/* bit n: NUMA node n is online */
	unsigned int node_cpus[64];	/* online CPUs of node n */
};

/*
 * Fills lim from this system: the page size, nr_cpus as given (the module's
 * count from DMABENCH_IOC_INFO; 0: sysconf), and the online NUMA nodes and
 * their online CPUs from /sys (sysfs_root, normally "/sys"; without
 * /sys/devices/system/node: one node 0 with every CPU).
 */
void kmod_read_limits(struct kmod_limits *lim, unsigned int nr_cpus, const char *sysfs_root);

/*
 * The module's checks of a struct dmabench_run before it touches anything:
 * 0 if they pass, else EINVAL with the first broken rule in why. Does not
 * cover what needs the running system: access_ok of results_ptr (EFAULT),
 * a mode this build cannot run (EOPNOTSUPP), the target and BAR lookup.
 */
int kmod_check_run(const struct dmabench_run *r, const struct kmod_limits *lim,
		   char *why, size_t len);

/* "none" "dma" "dma-fq" "identity" "blocked" "other"; NULL if unknown. */
const char *kmod_iommu_name(uint32_t type);

#endif
