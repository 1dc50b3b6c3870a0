// SPDX-License-Identifier: GPL-2.0
/*
 * iova-link: many phys ranges linked into one IOVA range with one IOTLB
 * sync (dma_iova_try_alloc/dma_iova_link/dma_iova_sync). A slot until the
 * two-step API exists in the series; until then -EOPNOTSUPP.
 */
#include "../dmabench.h"

const struct dmabench_mode_ops dmabench_iova_link_ops = {
	.flags		= DMABENCH_MF_SG,
};
