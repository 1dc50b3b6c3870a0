// SPDX-License-Identifier: GPL-2.0
/*
 * The dmabuf modes: the target imports a dma-buf that user space exported
 * from a BAR with vfio-pci (VFIO_DEVICE_FEATURE_DMA_BUF) and passed in by
 * fd, and maps it the two ways an importer can:
 *
 *  dmabuf-sg	 dma_buf_map_attachment(): the exporter builds an sg_table
 *		 of DMA addresses for the target on every map;
 *  dmabuf-phys	 the exporter hands over its physical range and P2P provider
 *		 (vfio_pci_dma_buf_get_phys()), and the module maps the range
 *		 itself with pci_p2pdma_map_phys();
 *  dmabuf-attach dma_buf_dynamic_attach() and dma_buf_detach(), the cost
 *		 paid once per importer before either.
 *
 * Each map of a slot maps the whole buffer, so buf_size must be its size.
 * The module is a dynamic importer: a revoke reaches it through
 * move_notify. The timed loop holds the reservation lock from the first
 * map of a batch to its last unmap, which is how a revoke can only come
 * while the module holds no mapping; it then records when it came, and the
 * next map fails with -ENODEV, which ends the run with that status.
 */
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/pci-p2pdma.h>
#include <linux/timekeeping.h>
#include <linux/vfio_pci_core.h>

#include "../dmabench.h"

#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
MODULE_IMPORT_NS(DMA_BUF);

static void dmabuf_hold_unmap(struct dmabench_thread *t);

/*
 * The exporter holds the reservation lock: no batch of a timed run is in
 * flight, and a hold run's mapping is removed here, before returning, as
 * the importer's side of a revoke requires.
 */
static void dmabuf_move_notify(struct dma_buf_attachment *attach)
{
	struct dmabench_thread *t = attach->importer_priv;

	t->revoked = true;
	if (t->holding)
		dmabuf_hold_unmap(t);
	cmpxchg64(&t->ctx->revoked_ns, 0, ktime_get_ns());
	wake_up_var(&t->revoked);
}

static const struct dma_buf_attach_ops dmabuf_importer_ops = {
	.allow_peer2peer = true,
	.move_notify = dmabuf_move_notify,
};

static int dmabuf_prepare(struct dmabench_ctx *ctx)
{
	struct dma_buf *dmabuf = dma_buf_get(ctx->p.dmabuf_fd);

	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	/* one map covers the whole buffer: its size is the cell's size */
	if (dmabuf->size != ctx->p.size) {
		dma_buf_put(dmabuf);
		return -EINVAL;
	}
	ctx->dmabuf = dmabuf;
	return 0;
}

static void dmabuf_release(struct dmabench_ctx *ctx)
{
	if (ctx->dmabuf)
		dma_buf_put(ctx->dmabuf);
	ctx->dmabuf = NULL;
}

static struct dma_buf_attachment *dmabuf_attach(struct dmabench_thread *t)
{
	return dma_buf_dynamic_attach(t->ctx->dmabuf, t->dev,
				      &dmabuf_importer_ops, t);
}

/* sg and phys: one attachment per thread, made before the clock starts */
static int dmabuf_thread_setup(struct dmabench_thread *t)
{
	struct dma_buf_attachment *attach = dmabuf_attach(t);

	if (IS_ERR(attach))
		return PTR_ERR(attach);
	t->attach = attach;
	return 0;
}

static void dmabuf_thread_teardown(struct dmabench_thread *t)
{
	if (t->attach)
		dma_buf_detach(t->ctx->dmabuf, t->attach);
	t->attach = NULL;
}

static unsigned int dmabuf_sg_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	struct sg_table *sgt;
	unsigned int i;

	/* held until dmabuf_sg_unmap(), which the run always calls */
	dma_resv_lock(t->ctx->dmabuf->resv, NULL);
	for (i = 0; i < t->batch; i++) {
		sgt = dma_buf_map_attachment(t->attach, t->dir);
		if (IS_ERR(sgt)) {
			t->err = PTR_ERR(sgt);
			break;
		}
		s[i].dmabuf_sgt = sgt;
	}
	return i;
}

static void dmabuf_sg_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_buf_unmap_attachment(t->attach, s[i].dmabuf_sgt, t->dir);
	dma_resv_unlock(t->ctx->dmabuf->resv);
}

#if defined(DMABENCH_HAVE_DMABUF_PHYS) && IS_ENABLED(CONFIG_VFIO_PCI_DMABUF)
MODULE_IMPORT_NS(VFIO_PCI_DMA_BUF_PHYS);

/*
 * Ask the exporter for its range, as an importer that maps by itself does
 * before it maps; only single-range buffers, the shape iommufd takes too.
 */
static int dmabuf_get_phys(struct dmabench_thread *t)
{
	struct dma_buf_phys_vec vec;
	u32 nr = 1;
	int ret;

	ret = vfio_pci_dma_buf_get_phys(t->attach, &t->dmabuf_provider, &vec,
					&nr);
	if (ret == -E2BIG)
		return -EINVAL;
	if (!ret)
		t->dmabuf_phys = vec.paddr;
	return ret;
}

/* dmabuf-phys, one map: the range as the exporter gives it now */
static int dmabuf_phys_map_one(struct dmabench_thread *t, dma_addr_t *dma)
{
	int ret = dmabuf_get_phys(t);

	if (ret)
		return ret;
	return pci_p2pdma_map_phys(t->dmabuf_provider, t->dev, t->dmabuf_phys,
				   t->size, t->dir, t->attrs, dma);
}

static void dmabuf_phys_unmap_one(struct dmabench_thread *t, dma_addr_t dma)
{
	pci_p2pdma_unmap_phys(t->dmabuf_provider, t->dev, dma, t->size, t->dir,
			      t->attrs);
}
#else
static int dmabuf_phys_map_one(struct dmabench_thread *t, dma_addr_t *dma)
{
	return -EOPNOTSUPP;
}

static void dmabuf_phys_unmap_one(struct dmabench_thread *t, dma_addr_t dma)
{
}
#endif

/*
 * DMABENCH_RUN_HOLD: one mapping, made and then held without any lock
 * until move_notify takes it away or the time is up.
 */
static int dmabuf_hold_map(struct dmabench_thread *t)
{
	struct sg_table *sgt;
	int ret = 0;

	if (t->ctx->p.mode == DMABENCH_MODE_DMABUF_SG) {
		sgt = dma_buf_map_attachment(t->attach, t->dir);
		if (IS_ERR(sgt))
			return PTR_ERR(sgt);
		t->held_sgt = sgt;
	} else {
		ret = dmabuf_phys_map_one(t, &t->held_dma);
	}
	if (!ret)
		t->holding = true;
	return ret;
}

static void dmabuf_hold_unmap(struct dmabench_thread *t)
{
	if (t->ctx->p.mode == DMABENCH_MODE_DMABUF_SG)
		dma_buf_unmap_attachment(t->attach, t->held_sgt, t->dir);
	else
		dmabuf_phys_unmap_one(t, t->held_dma);
	t->holding = false;
}

static void dmabuf_hold(struct dmabench_thread *t)
{
	struct dma_resv *resv = t->ctx->dmabuf->resv;
	u64 now = ktime_get_ns(), deadline = t->ctx->deadline_ns;

	dma_resv_lock(resv, NULL);
	t->err = t->revoked ? -ENODEV : dmabuf_hold_map(t);
	dma_resv_unlock(resv);
	if (t->err)
		return;
	wait_var_event_timeout(&t->revoked, READ_ONCE(t->revoked),
			       nsecs_to_jiffies(deadline > now ? deadline - now : 0));
	dma_resv_lock(resv, NULL);
	if (t->holding)
		dmabuf_hold_unmap(t);
	if (t->revoked)
		t->err = -ENODEV;
	dma_resv_unlock(resv);
}

const struct dmabench_mode_ops dmabench_dmabuf_sg_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P |
			  DMABENCH_MF_HOLD,
	.prepare	= dmabuf_prepare,
	.release	= dmabuf_release,
	.setup		= dmabuf_thread_setup,
	.teardown	= dmabuf_thread_teardown,
	.map		= dmabuf_sg_map,
	.unmap		= dmabuf_sg_unmap,
	.hold		= dmabuf_hold,
};

/* Attach and detach are the timed operations: one attachment per slot. */
static unsigned int dmabuf_attach_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	struct dma_buf_attachment *attach;
	unsigned int i;

	for (i = 0; i < t->batch; i++) {
		attach = dmabuf_attach(t);
		if (IS_ERR(attach)) {
			t->err = PTR_ERR(attach);
			break;
		}
		s[i].attach = attach;
	}
	return i;
}

static void dmabuf_attach_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dma_buf_detach(t->ctx->dmabuf, s[i].attach);
}

const struct dmabench_mode_ops dmabench_dmabuf_attach_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P,
	.prepare	= dmabuf_prepare,
	.release	= dmabuf_release,
	.map		= dmabuf_attach_map,
	.unmap		= dmabuf_attach_unmap,
};

#if defined(DMABENCH_HAVE_DMABUF_PHYS) && IS_ENABLED(CONFIG_VFIO_PCI_DMABUF)
static int dmabuf_phys_setup(struct dmabench_thread *t)
{
	int ret = dmabuf_thread_setup(t);

	if (ret)
		return ret;
	/* not timed: a wrong buffer must fail here, not inside the loop */
	dma_resv_lock(t->ctx->dmabuf->resv, NULL);
	ret = dmabuf_get_phys(t);
	dma_resv_unlock(t->ctx->dmabuf->resv);
	return ret;
}

static unsigned int dmabuf_phys_map(struct dmabench_thread *t)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;
	int ret;

	dma_resv_lock(t->ctx->dmabuf->resv, NULL);
	for (i = 0; i < t->batch; i++) {
		ret = dmabuf_phys_map_one(t, &s[i].dma);
		if (unlikely(ret)) {
			t->err = ret;
			break;
		}
	}
	return i;
}

static void dmabuf_phys_unmap(struct dmabench_thread *t, unsigned int nr)
{
	struct dmabench_slot *s = t->slots;
	unsigned int i;

	for (i = 0; i < nr; i++)
		dmabuf_phys_unmap_one(t, s[i].dma);
	dma_resv_unlock(t->ctx->dmabuf->resv);
}

const struct dmabench_mode_ops dmabench_dmabuf_phys_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P |
			  DMABENCH_MF_HOLD,
	.prepare	= dmabuf_prepare,
	.release	= dmabuf_release,
	.setup		= dmabuf_phys_setup,
	.teardown	= dmabuf_thread_teardown,
	.map		= dmabuf_phys_map,
	.unmap		= dmabuf_phys_unmap,
	.hold		= dmabuf_hold,
};
#else
/* No vfio-pci dma-buf phys list in this tree: -EOPNOTSUPP. */
const struct dmabench_mode_ops dmabench_dmabuf_phys_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P |
			  DMABENCH_MF_HOLD,
};
#endif
#else
const struct dmabench_mode_ops dmabench_dmabuf_attach_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P,
};

const struct dmabench_mode_ops dmabench_dmabuf_sg_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P,
};

const struct dmabench_mode_ops dmabench_dmabuf_phys_ops = {
	.flags		= DMABENCH_MF_DMABUF | DMABENCH_MF_MMIO | DMABENCH_MF_P2P,
};
#endif
