// SPDX-License-Identifier: GPL-2.0
/*
 * phys-mmio: dma_map_phys() with DMA_ATTR_MMIO on a range of a PCI BAR,
 * the series' replacement for dma_map_resource(). The BAR is chosen by
 * the caller by index, never by address (see bar.c).
 */
#include <linux/dma-mapping.h>

#include "../dmabench.h"

#if defined(DMABENCH_HAVE_MAP_PHYS) && defined(DMABENCH_HAVE_ATTR_MMIO)
static unsigned int phys_mmio_map(struct dmabench_thread *t)
{
	unsigned long attrs = t->attrs | DMA_ATTR_MMIO;
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		s[i].dma = dma_map_phys(t->dev, s[i].phys, t->size, t->dir,
					attrs);
		if (unlikely(dma_mapping_error(t->dev, s[i].dma))) {
			t->err = -ENOMEM;
			break;
		}
	}
	return i;
}

static void phys_mmio_unmap(struct dmabench_thread *t, unsigned int nr)
{
	unsigned long attrs = t->attrs | DMA_ATTR_MMIO;
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_phys(t->dev, s[i].dma, t->size, t->dir, attrs);
}

const struct dmabench_mode_ops dmabench_phys_mmio_ops = {
	.flags		= DMABENCH_MF_MMIO,
	.prepare	= dmabench_bar_get,
	.release	= dmabench_bar_put,
	.setup		= dmabench_bar_setup,
	.map		= phys_mmio_map,
	.unmap		= phys_mmio_unmap,
};
#else
/* No dma_map_phys()/DMA_ATTR_MMIO in this tree: -EOPNOTSUPP. */
const struct dmabench_mode_ops dmabench_phys_mmio_ops = {
	.flags		= DMABENCH_MF_MMIO,
};
#endif
