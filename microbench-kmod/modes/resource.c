// SPDX-License-Identifier: GPL-2.0
/*
 * resource: dma_map_resource() on the same BAR ranges as phys-mmio, the
 * 6.12 way to map MMIO for a device; the baseline for phys-mmio.
 */
#include <linux/dma-mapping.h>

#include "../dmabench.h"

static unsigned int resource_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		s[i].dma = dma_map_resource(t->dev, s[i].phys, t->size, t->dir,
					    t->attrs);
		if (unlikely(dma_mapping_error(t->dev, s[i].dma))) {
			t->err = -ENOMEM;
			break;
		}
	}
	return i;
}

static void resource_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_resource(t->dev, s[i].dma, t->size, t->dir,
				   t->attrs);
}

const struct dmabench_mode_ops dmabench_resource_ops = {
	.flags		= DMABENCH_MF_MMIO,
	.prepare	= dmabench_bar_get,
	.release	= dmabench_bar_put,
	.setup		= dmabench_bar_setup,
	.map		= resource_map,
	.unmap		= resource_unmap,
};
