// SPDX-License-Identifier: GPL-2.0
/*
 * page: dma_map_page() of a struct page, the struct-page baseline that the
 * series turns into a wrapper around dma_map_phys().
 */
#include <linux/dma-mapping.h>

#include "../dmabench.h"

static unsigned int page_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		s[i].dma = dma_map_page_attrs(t->dev, s[i].page, 0, t->size,
					      t->dir, t->attrs);
		if (unlikely(dma_mapping_error(t->dev, s[i].dma))) {
			t->err = -ENOMEM;
			break;
		}
	}
	return i;
}

static void page_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_page_attrs(t->dev, s[i].dma, t->size, t->dir,
				     t->attrs);
}

const struct dmabench_mode_ops dmabench_page_ops = {
	.setup		= dmabench_ram_setup,
	.teardown	= dmabench_ram_teardown,
	.map		= page_map,
	.unmap		= page_unmap,
};
