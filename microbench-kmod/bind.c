// SPDX-License-Identifier: GPL-2.0
/*
 * The devices a run maps for:
 *  - PCI devices bound to the "dmabench" PCI driver. Its ID table is empty
 *    and it has no MODULE_DEVICE_TABLE, so it binds only where an admin
 *    asked through driver_override, and mappings then go through that
 *    device's real IOMMU domain.
 *  - one device-less platform device, "dmabench-direct", which no IOMMU
 *    claims: plain dma-direct (and swiotlb, when forced).
 *
 * A PCI device never goes away under a run: remove() stops the run using
 * it and waits for the run to let go. The driver leaves no state on the
 * device (no enable, no bus mastering, masks restored after each run), so
 * its own driver binds again after driver_override is cleared.
 */
#include <linux/dma-mapping.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "dmabench.h"

static DEFINE_MUTEX(dmabench_lock);	/* dmabench_devices and ->ctx */
static LIST_HEAD(dmabench_devices);
static struct platform_device *dmabench_direct;

static u32 dmabench_pci_bdf(struct pci_dev *pdev)
{
	return (u32)pdev->bus->number << 8 | pdev->devfn;
}

static int dmabench_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	struct dmabench_pci *b;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->pdev = pdev;
	init_completion(&b->idle);
	pci_set_drvdata(pdev, b);

	mutex_lock(&dmabench_lock);
	list_add_tail(&b->node, &dmabench_devices);
	mutex_unlock(&dmabench_lock);

	pci_info(pdev, "dmabench: bound for DMA map benchmarking\n");
	return 0;
}

static void dmabench_pci_remove(struct pci_dev *pdev)
{
	struct dmabench_pci *b = pci_get_drvdata(pdev);
	struct dmabench_ctx *ctx;

	mutex_lock(&dmabench_lock);
	list_del(&b->node);		/* no new run can find it */
	ctx = b->ctx;
	if (ctx) {
		WRITE_ONCE(ctx->stop_reason, -ENODEV);
		WRITE_ONCE(ctx->stop, true);
	}
	mutex_unlock(&dmabench_lock);

	/* the run stops within one sample; unbind waits for its teardown */
	if (ctx) {
		pci_info(pdev, "dmabench: unbind during a run, stopping it\n");
		wait_for_completion(&b->idle);
	}
	pci_set_drvdata(pdev, NULL);
	kfree(b);
}

/* Deliberately empty: bind only through driver_override */
static const struct pci_device_id dmabench_pci_ids[] = {
	{ }
};

static struct pci_driver dmabench_pci_driver = {
	.name		= "dmabench",
	.id_table	= dmabench_pci_ids,
	.probe		= dmabench_pci_probe,
	.remove		= dmabench_pci_remove,
};

struct device *dmabench_direct_dev(void)
{
	return &dmabench_direct->dev;
}

/* Find the run's target and mark it in use, so remove() can stop the run */
int dmabench_target_get(struct dmabench_ctx *ctx)
{
	struct dmabench_pci *b;
	int ret = -ENODEV;

	if (ctx->p.target == DMABENCH_TARGET_DIRECT) {
		ctx->dev = dmabench_direct_dev();
		return 0;
	}

	mutex_lock(&dmabench_lock);
	list_for_each_entry(b, &dmabench_devices, node) {
		if (pci_domain_nr(b->pdev->bus) != ctx->p.domain ||
		    dmabench_pci_bdf(b->pdev) != ctx->p.bdf)
			continue;
		if (b->ctx) {
			ret = -EBUSY;
			break;
		}
		reinit_completion(&b->idle);
		b->ctx = ctx;
		ctx->bound = b;
		ctx->dev = &b->pdev->dev;
		ret = 0;
		break;
	}
	mutex_unlock(&dmabench_lock);
	return ret;
}

void dmabench_target_put(struct dmabench_ctx *ctx)
{
	struct dmabench_pci *b = ctx->bound;

	if (!b)
		return;
	mutex_lock(&dmabench_lock);
	b->ctx = NULL;
	complete(&b->idle);	/* b may be freed by remove() from here on */
	mutex_unlock(&dmabench_lock);
	ctx->bound = NULL;
}

/* One entry of DMABENCH_IOC_INFO's device list */
static void dmabench_pci_describe(struct dmabench_pci *b,
				  struct dmabench_dev_info *d)
{
	struct pci_dev *pdev = b->pdev, *prov;
	int bar;

	d->domain = pci_domain_nr(pdev->bus);
	d->bdf = dmabench_pci_bdf(pdev);
	d->vendor = pdev->vendor;
	d->device = pdev->device;
	d->iommu = dmabench_iommu_type(&pdev->dev);
	if (b->ctx)
		d->flags |= DMABENCH_DEVF_BUSY;
	for (bar = 0; bar < DMABENCH_NR_BARS; bar++) {
		unsigned long fl = pci_resource_flags(pdev, bar);

		if ((fl & IORESOURCE_MEM) && !(fl & IORESOURCE_UNSET))
			d->bar_len[bar] = pci_resource_len(pdev, bar);
	}

	prov = pci_p2pmem_find(&pdev->dev);
	if (prov) {
		d->flags |= DMABENCH_DEVF_P2PMEM;
		d->p2p_domain = pci_domain_nr(prov->bus);
		d->p2p_bdf = dmabench_pci_bdf(prov);
		pci_dev_put(prov);
	}
}

/* Fill up to max entries; returns how many devices are bound */
unsigned int dmabench_pci_list(struct dmabench_dev_info *out, unsigned int max)
{
	struct dmabench_pci *b;
	unsigned int n = 0;

	mutex_lock(&dmabench_lock);
	list_for_each_entry(b, &dmabench_devices, node) {
		if (n < max)
			dmabench_pci_describe(b, &out[n]);
		n++;
	}
	mutex_unlock(&dmabench_lock);
	return n;
}

int dmabench_bind_init(void)
{
	struct platform_device_info info = {
		.name		= "dmabench-direct",
		.id		= PLATFORM_DEVID_NONE,
		.dma_mask	= DMA_BIT_MASK(64),
	};
	int ret;

	dmabench_direct = platform_device_register_full(&info);
	if (IS_ERR(dmabench_direct))
		return PTR_ERR(dmabench_direct);

	ret = pci_register_driver(&dmabench_pci_driver);
	if (ret)
		platform_device_unregister(dmabench_direct);
	return ret;
}

void dmabench_bind_exit(void)
{
	pci_unregister_driver(&dmabench_pci_driver);
	platform_device_unregister(dmabench_direct);
}
