// SPDX-License-Identifier: GPL-2.0
/*
 * p2p-provider: ranges of a BAR mapped for the target through the series'
 * struct p2pdma_provider with pci_p2pdma_map_phys(): a bus address behind
 * a shared switch, dma_map_phys() with DMA_ATTR_MMIO through an allowed
 * host bridge. No struct page is involved; p2p-pgmap maps the same kind of
 * memory through the 6.12 struct-page path and is what this is compared
 * with.
 */
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>

#include "../dmabench.h"

#if defined(DMABENCH_HAVE_P2P_PROVIDER) && IS_ENABLED(CONFIG_PCI_P2PDMA)
static void p2p_provider_release(struct dmabench_ctx *ctx)
{
	if (ctx->provider_pin)
		pci_free_p2pmem(ctx->bar_pdev, ctx->provider_pin, PAGE_SIZE);
	ctx->provider_pin = NULL;
	ctx->provider = NULL;
	dmabench_bar_put(ctx);
}

static int p2p_provider_prepare(struct dmabench_ctx *ctx)
{
	struct pci_dev *pdev;
	int ret;

	ret = dmabench_bar_get(ctx);
	if (ret)
		return ret;
	pdev = ctx->bar_pdev;

	if (ctx->p.bar_dev == DMABENCH_BAR_TARGET) {
		/*
		 * The target is bound to this module, so this module may set
		 * up its providers; they go away when it unbinds, and unbind
		 * waits for the run (bind.c).
		 */
		ret = pcim_p2pdma_init(pdev);
	} else if (pci_has_p2pmem(pdev)) {
		/*
		 * Another driver owns this provider and may unbind at any
		 * time. Holding one page of its p2pmem makes that unbind wait
		 * in memunmap_pages() until the run lets go, and the provider
		 * is freed only after that.
		 */
		ctx->provider_pin = pci_alloc_p2pmem(pdev, PAGE_SIZE);
		ret = ctx->provider_pin ? 0 : -ENODEV;
	} else {
		ret = -ENODEV;
	}
	if (!ret) {
		ctx->provider = pcim_p2pdma_provider(pdev, ctx->p.bar);
		if (!ctx->provider)
			ret = -EINVAL;
	}
	if (ret)
		p2p_provider_release(ctx);
	return ret;
}

static unsigned int p2p_provider_map(struct dmabench_thread *t)
{
	struct p2pdma_provider *provider = t->ctx->provider;
	struct dmabench_slot *s = t->slots;
	unsigned int i;
	int ret;

	for (i = 0; i < t->batch; i++) {
		ret = pci_p2pdma_map_phys(provider, t->dev, s[i].phys, t->size,
					  t->dir, t->attrs, &s[i].dma);
		if (unlikely(ret)) {
			t->err = ret;
			break;
		}
	}
	return i;
}

static void p2p_provider_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct p2pdma_provider *provider = t->ctx->provider;
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		pci_p2pdma_unmap_phys(provider, t->dev, s[i].dma, t->size,
				      t->dir, t->attrs);
}

const struct dmabench_mode_ops dmabench_p2p_provider_ops = {
	.flags		= DMABENCH_MF_MMIO | DMABENCH_MF_P2P,
	.prepare	= p2p_provider_prepare,
	.release	= p2p_provider_release,
	.setup		= dmabench_bar_setup,
	.map		= p2p_provider_map,
	.unmap		= p2p_provider_unmap,
};
#else
/* No struct p2pdma_provider in this tree: -EOPNOTSUPP. */
const struct dmabench_mode_ops dmabench_p2p_provider_ops = {
	.flags		= DMABENCH_MF_MMIO,
};
#endif
