// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers for the modes that map memory: allocated on the thread's node,
 * touched, and (for sg modes) described by an sg_table, all before the
 * first timestamp so the timed region holds nothing but DMA API calls.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "dmabench.h"

/*
 * A byte pattern rather than zeroes: the pages are written for real, so
 * the page tables, struct pages and cache lines are all warm, and a
 * TO_DEVICE bounce (swiotlb=force) copies live data.
 */
#define DMABENCH_TOUCH_BYTE	0x5a

void *dmabench_ram_alloc(struct dmabench_thread *t)
{
	struct page *page;
	void *va;

	page = alloc_pages_node(t->node, GFP_KERNEL | __GFP_NOWARN,
				get_order(t->size));
	if (!page)
		return NULL;
	va = page_address(page);
	memset(va, DMABENCH_TOUCH_BYTE, t->size);
	return va;
}

void dmabench_ram_free(struct dmabench_thread *t, void *va)
{
	free_pages((unsigned long)va, get_order(t->size));
}

/* One physically contiguous buffer per slot: single, page and phys */
int dmabench_ram_setup(struct dmabench_thread *t)
{
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		struct dmabench_slot *s = &t->slots[i];

		s->cpu_addr = dmabench_ram_alloc(t);
		if (!s->cpu_addr)
			return -ENOMEM;	/* teardown frees what was done */
		s->page = virt_to_page(s->cpu_addr);
		s->phys = page_to_phys(s->page);
	}
	return 0;
}

void dmabench_ram_teardown(struct dmabench_thread *t)
{
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		struct dmabench_slot *s = &t->slots[i];

		if (s->cpu_addr)
			dmabench_ram_free(t, s->cpu_addr);
		s->cpu_addr = NULL;
	}
}

/*
 * One sg_table of nents separately allocated entries per slot, so the
 * entries are not merged into one segment and the mapping really walks
 * nents entries. alloc/free supply the memory (RAM or p2pmem).
 */
int dmabench_sg_setup(struct dmabench_thread *t,
		      void *(*alloc)(struct dmabench_thread *t),
		      void (*free)(struct dmabench_thread *t, void *va))
{
	struct scatterlist *sg;
	unsigned int i, j;
	int ret;

	for (i = 0; i < t->batch; i++) {
		struct sg_table *sgt = &t->slots[i].sgt;

		ret = sg_alloc_table(sgt, t->nents, GFP_KERNEL);
		if (ret)
			return ret;
		for_each_sgtable_sg(sgt, sg, j) {
			void *va = alloc(t);

			if (!va)
				return -ENOMEM;
			sg_set_buf(sg, va, t->size);
		}
	}
	return 0;
}

void dmabench_sg_teardown(struct dmabench_thread *t,
			  void (*free)(struct dmabench_thread *t, void *va))
{
	struct scatterlist *sg;
	unsigned int i, j;

	for (i = 0; i < t->batch; i++) {
		struct sg_table *sgt = &t->slots[i].sgt;

		if (!sgt->sgl)
			continue;
		for_each_sgtable_sg(sgt, sg, j)
			if (sg_page(sg))
				free(t, sg_virt(sg));
		sg_free_table(sgt);
		sgt->sgl = NULL;
	}
}
