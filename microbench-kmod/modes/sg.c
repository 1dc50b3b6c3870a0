// SPDX-License-Identifier: GPL-2.0
/*
 * sg: one scatterlist of nents RAM entries per mapping, the scatterlist
 * baseline. dma_map_sgtable() is the sg_table form of dma_map_sg(): the
 * same __dma_map_sg_attrs() path, but a failure keeps its errno.
 */
#include <linux/dma-mapping.h>

#include "../dmabench.h"

static int sg_setup(struct dmabench_thread *t)
{
	return dmabench_sg_setup(t, dmabench_ram_alloc, dmabench_ram_free);
}

static void sg_teardown(struct dmabench_thread *t)
{
	dmabench_sg_teardown(t, dmabench_ram_free);
}

/* Shared with p2p-pgmap: the timed loop is the same for any sg_table. */
unsigned int dmabench_sgtable_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;
	int ret;

	for (i = 0; i < t->batch; i++) {
		ret = dma_map_sgtable(t->dev, &s[i].sgt, t->dir, t->attrs);
		if (unlikely(ret)) {
			t->err = ret;
			break;
		}
	}
	return i;
}

void dmabench_sgtable_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_unmap_sgtable(t->dev, &s[i].sgt, t->dir, t->attrs);
}

const struct dmabench_mode_ops dmabench_sg_ops = {
	.flags		= DMABENCH_MF_SG,
	.setup		= sg_setup,
	.teardown	= sg_teardown,
	.map		= dmabench_sgtable_map,
	.unmap		= dmabench_sgtable_unmap,
};
