// SPDX-License-Identifier: GPL-2.0
/*
 * p2p-provider: BAR ranges mapped through the series' struct
 * p2pdma_provider (bus address or DMA_ATTR_MMIO through the host bridge).
 * A slot only until the series part that adds the provider lands; until
 * then the mode reports -EOPNOTSUPP, even on a tree that has the type.
 */
#include "../dmabench.h"

const struct dmabench_mode_ops dmabench_p2p_provider_ops = {
	.flags		= DMABENCH_MF_MMIO,
};
