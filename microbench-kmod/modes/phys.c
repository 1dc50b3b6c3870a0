// SPDX-License-Identifier: GPL-2.0
/*
 * phys: dma_map_phys() of RAM by physical address, with no struct page in
 * the call. Only trees carrying the series have it (Kbuild detects it).
 */
#include <linux/dma-mapping.h>

#include "../dmabench.h"

#ifdef DMABENCH_HAVE_MAP_PHYS
static unsigned int phys_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		s[i].dma = dma_map_phys(t->dev, s[i].phys, t->size, t->dir,
					t->attrs);
		if (unlikely(dma_mapping_error(t->dev, s[i].dma))) {
			t->err = -ENOMEM;
			break;
		}
	}
	return i;
}

static void phys_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_phys(t->dev, s[i].dma, t->size, t->dir, t->attrs);
}

const struct dmabench_mode_ops dmabench_phys_ops = {
	.setup		= dmabench_ram_setup,
	.teardown	= dmabench_ram_teardown,
	.map		= phys_map,
	.unmap		= phys_unmap,
};
#else
/* No dma_map_phys() in this tree: the mode reports -EOPNOTSUPP. */
const struct dmabench_mode_ops dmabench_phys_ops = { };
#endif
