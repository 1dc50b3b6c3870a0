// SPDX-License-Identifier: GPL-2.0
/*
 * DMABENCH_IOC_INFO: what this build can run and on what, so user space
 * can mark cells unsupported or skipped up front instead of guessing from
 * errors.
 */
#include <linux/cpumask.h>
#include <linux/iommu.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dmabench.h"

/* The IOMMU domain a device's DMA API calls go through right now */
u32 dmabench_iommu_type(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	if (!dom)
		return DMABENCH_IOMMU_NONE;
	switch (dom->type) {
	case IOMMU_DOMAIN_DMA:
		return DMABENCH_IOMMU_DMA;
	case IOMMU_DOMAIN_DMA_FQ:
		return DMABENCH_IOMMU_DMA_FQ;
	case IOMMU_DOMAIN_IDENTITY:
		return DMABENCH_IOMMU_IDENTITY;
	case IOMMU_DOMAIN_BLOCKED:
		return DMABENCH_IOMMU_BLOCKED;
	}
	return DMABENCH_IOMMU_OTHER;
}

static u32 dmabench_features(void)
{
	u32 f = 0;

#ifdef DMABENCH_HAVE_MAP_PHYS
	f |= DMABENCH_FEAT_MAP_PHYS;
#endif
#ifdef DMABENCH_HAVE_ATTR_MMIO
	f |= DMABENCH_FEAT_ATTR_MMIO;
#endif
#ifdef DMABENCH_HAVE_P2P_PROVIDER
	f |= DMABENCH_FEAT_P2P_PROVIDER;
#endif
#ifdef DMABENCH_HAVE_IOVA_LINK
	f |= DMABENCH_FEAT_IOVA_LINK;
#endif
	if (IS_ENABLED(CONFIG_PCI_P2PDMA))
		f |= DMABENCH_FEAT_P2PDMA;
	return f;
}

long dmabench_ioctl_info(void __user *uarg)
{
	struct dmabench_info *info;
	u32 hdr[2];
	long ret = 0;

	/* size and version first: they say how to read the rest */
	if (copy_from_user(hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (hdr[0] != sizeof(*info) || hdr[1] != DMABENCH_UAPI_VERSION)
		return -EINVAL;

	/* the whole struct is output: the input beyond the header is ignored */
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->size = sizeof(*info);
	info->version = DMABENCH_UAPI_VERSION;
	info->module_version = DMABENCH_VERSION_MAJOR << 16 |
			       DMABENCH_VERSION_MINOR;
	info->features = dmabench_features();
	info->modes_supported = dmabench_modes_supported();
	info->timer_overhead_ns = dmabench_load_timer_overhead();
	info->nr_online_cpus = num_online_cpus();
	info->direct_iommu = dmabench_iommu_type(dmabench_direct_dev());
	info->nr_devices = dmabench_pci_list(info->dev, DMABENCH_INFO_MAX_DEVS);

	if (copy_to_user(uarg, info, sizeof(*info)))
		ret = -EFAULT;
	kfree(info);
	return ret;
}
