// SPDX-License-Identifier: GPL-2.0
/*
 * p2p-pgmap: scatterlists of p2pmem pages from pci_alloc_p2pmem(), mapped
 * with dma_map_sgtable(). This is the only P2P path 6.12 has (struct
 * pages behind a pgmap); the series' provider path is compared against it.
 */
#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>

#include "../dmabench.h"

#if IS_ENABLED(CONFIG_PCI_P2PDMA)
/*
 * Pick the provider the way an in-kernel P2P user (nvmet) does: a
 * published one the PCI core says the target can reach.
 */
static int p2p_pgmap_prepare(struct dmabench_ctx *ctx)
{
	ctx->p2p_pdev = pci_p2pmem_find(ctx->dev);
	return ctx->p2p_pdev ? 0 : -ENODEV;
}

static void p2p_pgmap_release(struct dmabench_ctx *ctx)
{
	pci_dev_put(ctx->p2p_pdev);
	ctx->p2p_pdev = NULL;
}

static void *p2p_pgmap_alloc(struct dmabench_thread *t)
{
	return pci_alloc_p2pmem(t->ctx->p2p_pdev, t->size);
}

static void p2p_pgmap_free(struct dmabench_thread *t, void *va)
{
	pci_free_p2pmem(t->ctx->p2p_pdev, va, t->size);
}

static int p2p_pgmap_setup(struct dmabench_thread *t)
{
	return dmabench_sg_setup(t, p2p_pgmap_alloc, p2p_pgmap_free);
}

static void p2p_pgmap_teardown(struct dmabench_thread *t)
{
	dmabench_sg_teardown(t, p2p_pgmap_free);
}

const struct dmabench_mode_ops dmabench_p2p_pgmap_ops = {
	.flags		= DMABENCH_MF_SG | DMABENCH_MF_P2P,
	.prepare	= p2p_pgmap_prepare,
	.release	= p2p_pgmap_release,
	.setup		= p2p_pgmap_setup,
	.teardown	= p2p_pgmap_teardown,
	.map		= dmabench_sgtable_map,
	.unmap		= dmabench_sgtable_unmap,
};
#else
/* CONFIG_PCI_P2PDMA is off: no p2pmem to map, -EOPNOTSUPP. */
const struct dmabench_mode_ops dmabench_p2p_pgmap_ops = {
	.flags		= DMABENCH_MF_SG,
};
#endif
