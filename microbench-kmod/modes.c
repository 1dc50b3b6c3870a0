// SPDX-License-Identifier: GPL-2.0
/*
 * The mode table: one ops entry per enum dmabench_mode, indexed by the uAPI
 * value, so adding a mode is one file under modes/ plus one line here.
 */
#include <linux/kernel.h>

#include "dmabench.h"

static const struct dmabench_mode_ops *const dmabench_modes[DMABENCH_MODE_NR] = {
	[DMABENCH_MODE_SINGLE]		= &dmabench_single_ops,
	[DMABENCH_MODE_PAGE]		= &dmabench_page_ops,
	[DMABENCH_MODE_SG]		= &dmabench_sg_ops,
	[DMABENCH_MODE_PHYS]		= &dmabench_phys_ops,
	[DMABENCH_MODE_PHYS_MMIO]	= &dmabench_phys_mmio_ops,
	[DMABENCH_MODE_RESOURCE]	= &dmabench_resource_ops,
	[DMABENCH_MODE_P2P_PGMAP]	= &dmabench_p2p_pgmap_ops,
	[DMABENCH_MODE_P2P_PROVIDER]	= &dmabench_p2p_provider_ops,
	[DMABENCH_MODE_IOVA_LINK]	= &dmabench_iova_link_ops,
	[DMABENCH_MODE_DMABUF_ATTACH]	= &dmabench_dmabuf_attach_ops,
	[DMABENCH_MODE_DMABUF_SG]	= &dmabench_dmabuf_sg_ops,
	[DMABENCH_MODE_DMABUF_PHYS]	= &dmabench_dmabuf_phys_ops,
};

/* NULL for a value that is not a mode: callers turn that into -EINVAL */
const struct dmabench_mode_ops *dmabench_mode(u32 mode)
{
	if (mode >= DMABENCH_MODE_NR)
		return NULL;
	return dmabench_modes[mode];
}

bool dmabench_mode_supported(u32 mode)
{
	const struct dmabench_mode_ops *ops = dmabench_mode(mode);

	return ops && ops->map;
}

u64 dmabench_modes_supported(void)
{
	u64 mask = 0;
	u32 m;

	for (m = 0; m < DMABENCH_MODE_NR; m++)
		if (dmabench_mode_supported(m))
			mask |= BIT_ULL(m);
	return mask;
}
