// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: DMA map/unmap latency benchmark.
 *
 * /dev/dmabench takes two ioctls (uAPI: bench/include/dmabench_ioctl.h):
 * INFO says what this build can run, RUN runs one cell and returns
 * per-phase statistics and histograms. Modes are entries of an ops table
 * (modes.c); devices come from bind.c; the measurement is run.c.
 *
 * While /dev/dmabench is open the module is pinned (fops.owner), so it
 * cannot be removed under a run; an idle module unloads at any time.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "dmabench.h"

static u64 dmabench_load_toh;

u64 dmabench_load_timer_overhead(void)
{
	return dmabench_load_toh;
}

static long dmabench_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/*
	 * Checked on every call, not at open: the node may have been made
	 * accessible, and a run maps device BARs and pins memory.
	 */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case DMABENCH_IOC_INFO:
		return dmabench_ioctl_info(uarg);
	case DMABENCH_IOC_RUN:
		return dmabench_ioctl_run(uarg);
	}
	return -ENOTTY;
}

static const struct file_operations dmabench_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= dmabench_ioctl,
	/* the uAPI structs have one layout for 32- and 64-bit callers */
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice dmabench_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= DMABENCH_DEV_NAME,
	.fops	= &dmabench_fops,
	.mode	= 0600,
};

static int __init dmabench_init(void)
{
	int ret;

	/* the uAPI promises identical layouts on 32- and 64-bit user space */
	BUILD_BUG_ON(sizeof(struct dmabench_run) % 8);
	BUILD_BUG_ON(sizeof(struct dmabench_results) % 8);
	BUILD_BUG_ON(sizeof(struct dmabench_info) % 8);
	BUILD_BUG_ON(DMABENCH_HIST_NBUCKETS !=
		     dmabench_hist_nbuckets(DMABENCH_HIST_SUB_BITS,
					    DMABENCH_HIST_MAX_BITS));

	dmabench_load_toh = dmabench_timer_overhead();

	ret = dmabench_bind_init();
	if (ret)
		return ret;
	/* last: once the node exists, runs may start */
	ret = misc_register(&dmabench_misc);
	if (ret) {
		dmabench_bind_exit();
		return ret;
	}
	pr_info("dmabench: loaded, modes 0x%llx, timer overhead %llu ns\n",
		dmabench_modes_supported(), dmabench_load_toh);
	return 0;
}

static void __exit dmabench_exit(void)
{
	misc_deregister(&dmabench_misc);
	dmabench_bind_exit();
}

module_init(dmabench_init);
module_exit(dmabench_exit);

MODULE_DESCRIPTION("DMA map/unmap latency benchmark");
MODULE_LICENSE("GPL");
MODULE_VERSION(__stringify(DMABENCH_VERSION_MAJOR) "."
	       __stringify(DMABENCH_VERSION_MINOR));
