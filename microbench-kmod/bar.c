// SPDX-License-Identifier: GPL-2.0
/*
 * BAR ranges for the MMIO modes. User space names a device role and a BAR
 * index; the address comes from the PCI core, so no caller can make the
 * module map an arbitrary physical address.
 */
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>

#include "dmabench.h"

static struct pci_dev *dmabench_bar_owner(struct dmabench_ctx *ctx)
{
	switch (ctx->p.bar_dev) {
	case DMABENCH_BAR_TARGET:
		/* only a PCI target has BARs */
		return ctx->bound ? pci_dev_get(ctx->bound->pdev) : NULL;
	case DMABENCH_BAR_P2PMEM:
		/* returns a reference, or NULL without CONFIG_PCI_P2PDMA */
		return pci_p2pmem_find(ctx->dev);
	}
	return NULL;
}

int dmabench_bar_get(struct dmabench_ctx *ctx)
{
	struct dmabench_params *p = &ctx->p;
	struct pci_dev *pdev;
	resource_size_t len;
	unsigned long flags;

	pdev = dmabench_bar_owner(ctx);
	if (!pdev)
		return -ENODEV;

	/*
	 * Only an assigned memory BAR: an I/O port BAR has no physical
	 * address to map, and an unassigned one has a bogus start.
	 */
	flags = pci_resource_flags(pdev, p->bar);
	len = pci_resource_len(pdev, p->bar);
	if (!(flags & IORESOURCE_MEM) || (flags & IORESOURCE_UNSET) ||
	    p->bar_offset >= len || len - p->bar_offset < p->size) {
		pci_dev_put(pdev);
		return -EINVAL;
	}

	ctx->bar_pdev = pdev;
	ctx->bar_phys = pci_resource_start(pdev, p->bar) + p->bar_offset;
	ctx->bar_nr_slots = (len - p->bar_offset) / p->size;
	return 0;
}

void dmabench_bar_put(struct dmabench_ctx *ctx)
{
	pci_dev_put(ctx->bar_pdev);
	ctx->bar_pdev = NULL;
}

/*
 * Give every slot its own size-byte range while the BAR is big enough,
 * threads after one another; a small BAR wraps, which maps a range twice
 * at once - allowed, and each mapping still gets its own IOVA.
 */
int dmabench_bar_setup(struct dmabench_thread *t)
{
	struct dmabench_ctx *ctx = t->ctx;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		unsigned long k = ((unsigned long)t->id * t->batch + i) %
				  ctx->bar_nr_slots;

		t->slots[i].phys = ctx->bar_phys + (phys_addr_t)k * t->size;
	}
	return 0;
}
