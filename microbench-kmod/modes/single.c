// SPDX-License-Identifier: GPL-2.0
/*
 * single: dma_map_single() of a kernel virtual address, what most drivers
 * use for a linear buffer and what the in-tree dma_map_benchmark times.
 */
#include <linux/dma-mapping.h>

#include "../dmabench.h"

static unsigned int single_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		s[i].dma = dma_map_single_attrs(t->dev, s[i].cpu_addr, t->size,
						t->dir, t->attrs);
		if (unlikely(dma_mapping_error(t->dev, s[i].dma))) {
			t->err = -ENOMEM;
			break;
		}
	}
	return i;
}

static void single_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_single_attrs(t->dev, s[i].dma, t->size, t->dir,
				       t->attrs);
}

const struct dmabench_mode_ops dmabench_single_ops = {
	.setup		= dmabench_ram_setup,
	.teardown	= dmabench_ram_teardown,
	.map		= single_map,
	.unmap		= single_unmap,
};
