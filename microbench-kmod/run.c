// SPDX-License-Identifier: GPL-2.0
/*
 * DMABENCH_IOC_RUN: one cell. The ioctl context validates, pins the
 * target, sets its DMA mask, and starts one kthread per requested CPU.
 * Each thread sets up its own buffers (node local), waits at a start
 * barrier, runs the timed loop, and tears down; the ioctl then merges the
 * per-thread statistics and copies them out.
 */
#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/topology.h>
#include <linux/uaccess.h>

#include "dmabench.h"

/*
 * One run at a time: a run owns its device's DMA mask, and two runs would
 * measure each other anyway.
 */
static DEFINE_MUTEX(dmabench_run_lock);

/* Re-arm the waits below this often, so a long run is not a hung task */
#define DMABENCH_WAIT_SLICE	(10 * HZ)

/* ns per operation of one sample, timer overhead removed */
static u64 dmabench_per_op(u64 delta, u64 overhead, unsigned int batch)
{
	return div_u64(delta > overhead ? delta - overhead : 0, batch);
}

/*
 * The timed loop. Between t0 and t2 there are only the mode's map and
 * unmap calls; statistics, the stop checks and cond_resched() (which keeps
 * a TCG guest out of soft lockups) sit between samples.
 */
static void dmabench_measure(struct dmabench_thread *t)
{
	struct dmabench_ctx *ctx = t->ctx;
	const struct dmabench_mode_ops *ops = ctx->p.ops;
	u64 overhead = ctx->timer_overhead;
	u64 iterations = ctx->p.iterations;
	u64 deadline = ctx->deadline_ns;
	u32 delay = ctx->map_delay_ns;
	unsigned int batch = t->batch;
	u64 i, t0, t1, t2, map, unmap;
	unsigned int done;

	t->start_ns = ktime_get_ns();
	t2 = t->start_ns;
	for (i = 0; !iterations || i < iterations; i++) {
		if (READ_ONCE(ctx->stop)) {
			t->err = READ_ONCE(ctx->stop_reason);
			break;
		}

		t0 = ktime_get_ns();
		done = ops->map(t);
		if (unlikely(delay))
			dmabench_inject_map_delay(delay, done);
		t1 = ktime_get_ns();
		ops->unmap(t, done);
		t2 = ktime_get_ns();

		/* a failed map ends the thread; its partial batch is dropped */
		if (unlikely(done != batch))
			break;

		map = dmabench_per_op(t1 - t0, overhead, batch);
		unmap = dmabench_per_op(t2 - t1, overhead, batch);
		dmabench_acc_add(&t->acc[DMABENCH_PHASE_MAP], map);
		dmabench_acc_add(&t->acc[DMABENCH_PHASE_UNMAP], unmap);
		dmabench_acc_add(&t->acc[DMABENCH_PHASE_MAP_UNMAP], map + unmap);
		t->ops += batch;

		if (deadline && t2 >= deadline)
			break;
		cond_resched();
	}
	t->end_ns = t2;
}

static int dmabench_thread_fn(void *data)
{
	struct dmabench_thread *t = data;
	struct dmabench_ctx *ctx = t->ctx;
	const struct dmabench_mode_ops *ops = ctx->p.ops;

	t->err = ops->setup ? ops->setup(t) : 0;

	/* start barrier: the ioctl context opens it once all are set up */
	if (atomic_dec_and_test(&ctx->pending))
		complete(&ctx->all_ready);
	wait_event(ctx->go_wq, READ_ONCE(ctx->go));

	if (!t->err && !READ_ONCE(ctx->abort)) {
		if (ctx->p.hold)
			ops->hold(t);
		else
			dmabench_measure(t);
	}
	if (ops->teardown)
		ops->teardown(t);

	if (atomic_dec_and_test(&ctx->running))
		complete(&ctx->all_done);
	return 0;
}

static void dmabench_threads_free(struct dmabench_ctx *ctx)
{
	unsigned int i, ph;

	if (!ctx->threads)
		return;
	for (i = 0; i < ctx->p.threads; i++) {
		struct dmabench_thread *t = &ctx->threads[i];

		for (ph = 0; ph < DMABENCH_NR_PHASES; ph++)
			dmabench_acc_free(&t->acc[ph]);
		kvfree(t->slots);
	}
	kfree(ctx->threads);
	ctx->threads = NULL;
}

/* Everything a thread needs that is not mode specific, from here */
static int dmabench_threads_alloc(struct dmabench_ctx *ctx)
{
	const struct cpumask *cpus = cpu_online_mask;
	struct dmabench_params *p = &ctx->p;
	unsigned int i, ph;
	int ret;

	ctx->threads = kcalloc(p->threads, sizeof(*ctx->threads), GFP_KERNEL);
	if (!ctx->threads)
		return -ENOMEM;
	if (p->node != NUMA_NO_NODE)
		cpus = cpumask_of_node(p->node);

	for (i = 0; i < p->threads; i++) {
		struct dmabench_thread *t = &ctx->threads[i];

		t->ctx = ctx;
		t->dev = ctx->dev;
		t->id = i;
		/* validated: at least p->threads CPUs are in the mask */
		t->cpu = cpumask_nth_and(i, cpus, cpu_online_mask);
		if (t->cpu >= nr_cpu_ids)
			return -EINVAL;	/* a CPU went offline meanwhile */
		t->node = p->node != NUMA_NO_NODE ? p->node :
						     cpu_to_node(t->cpu);
		t->size = p->size;
		t->nents = p->nents;
		t->batch = p->batch;
		t->dir = p->dir;
		t->attrs = p->attrs;
		t->slots = kvcalloc_node(p->batch, sizeof(*t->slots),
					 GFP_KERNEL | __GFP_NOWARN, t->node);
		if (!t->slots)
			return -ENOMEM;
		for (ph = 0; ph < DMABENCH_NR_PHASES; ph++) {
			ret = dmabench_acc_init(&t->acc[ph], t->node);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Wait without being a hung task; a fatal signal stops the run early */
static int dmabench_wait(struct completion *c)
{
	long ret;

	do {
		ret = wait_for_completion_killable_timeout(c,
							   DMABENCH_WAIT_SLICE);
	} while (!ret);
	return ret < 0 ? -EINTR : 0;
}

/*
 * Create every thread before starting any: a thread that was never woken
 * never runs its function, so a failed creation unwinds with kthread_stop
 * and no setup to undo.
 */
static int dmabench_threads_run(struct dmabench_ctx *ctx)
{
	struct dmabench_params *p = &ctx->p;
	unsigned int i, n;
	int ret = 0;

	atomic_set(&ctx->pending, p->threads);
	atomic_set(&ctx->running, p->threads);
	init_completion(&ctx->all_ready);
	init_completion(&ctx->all_done);
	init_waitqueue_head(&ctx->go_wq);

	for (n = 0; n < p->threads; n++) {
		struct dmabench_thread *t = &ctx->threads[n];
		struct task_struct *task;

		task = kthread_create_on_node(dmabench_thread_fn, t, t->node,
					      "dmabench/%u", n);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			break;
		}
		/* kthread_bind_mask() is not exported: one CPU per thread */
		kthread_bind(task, t->cpu);
		dmabench_inherit_fault_injection(task);
		get_task_struct(task);	/* for kthread_stop_put() below */
		t->task = task;
	}
	if (ret) {
		for (i = 0; i < n; i++)
			kthread_stop_put(ctx->threads[i].task);
		return ret;
	}

	for (i = 0; i < p->threads; i++)
		wake_up_process(ctx->threads[i].task);

	/* setup is bounded; the barrier wait only ends early on a kill */
	ret = dmabench_wait(&ctx->all_ready);
	if (!ret) {
		for (i = 0; i < p->threads; i++)
			if (ctx->threads[i].err)
				ret = ctx->threads[i].err;
	}
	if (ret) {
		WRITE_ONCE(ctx->abort, true);
	} else {
		/* run start: threads are set up and idle, the CPU is quiet */
		ctx->timer_overhead = dmabench_timer_overhead();
		ctx->map_delay_ns = dmabench_test_map_delay();
		if (p->duration_ns)
			ctx->deadline_ns = ktime_get_ns() + p->duration_ns;
	}
	WRITE_ONCE(ctx->go, true);
	wake_up_all(&ctx->go_wq);

	if (dmabench_wait(&ctx->all_done)) {
		WRITE_ONCE(ctx->stop_reason, -EINTR);
		WRITE_ONCE(ctx->stop, true);
		ret = -EINTR;
	}
	for (i = 0; i < p->threads; i++)
		kthread_stop_put(ctx->threads[i].task);
	return ret;
}

static void dmabench_results_fill(struct dmabench_ctx *ctx,
				  struct dmabench_results *res)
{
	u64 start = U64_MAX, end = 0;
	unsigned int i, ph;

	res->size = sizeof(*res);
	res->version = DMABENCH_UAPI_VERSION;
	res->mode = ctx->p.mode;
	res->threads = ctx->p.threads;
	res->batch = ctx->p.batch;
	res->dma_bits = ctx->p.dma_bits;
	res->iommu = dmabench_iommu_type(ctx->dev);
	res->hist_layout_version = DMABENCH_HIST_LAYOUT_VERSION;
	res->hist_sub_bits = DMABENCH_HIST_SUB_BITS;
	res->hist_max_bits = DMABENCH_HIST_MAX_BITS;
	res->hist_nbuckets = DMABENCH_HIST_NBUCKETS;
	res->timer_overhead_ns = ctx->timer_overhead;
	res->injected_map_delay_ns = ctx->map_delay_ns;
	res->revoked_ns = ctx->revoked_ns;

	for (ph = 0; ph < DMABENCH_NR_PHASES; ph++)
		dmabench_phase_init(&res->phase[ph]);
	for (i = 0; i < ctx->p.threads; i++) {
		struct dmabench_thread *t = &ctx->threads[i];

		/* the first error any thread hit is the run's status */
		if (!res->status)
			res->status = t->err;
		res->ops += t->ops;
		if (!t->start_ns)
			continue;
		start = min(start, t->start_ns);
		end = max(end, t->end_ns);
		for (ph = 0; ph < DMABENCH_NR_PHASES; ph++)
			dmabench_acc_merge(&res->phase[ph], &t->acc[ph]);
	}
	for (ph = 0; ph < DMABENCH_NR_PHASES; ph++)
		if (!res->phase[ph].n)
			res->phase[ph].min_ns = 0;
	res->elapsed_ns = end > start ? end - start : 0;
}

static int dmabench_results_copy(struct dmabench_ctx *ctx)
{
	struct dmabench_results *res;
	int ret = 0;

	res = kvzalloc(sizeof(*res), GFP_KERNEL | __GFP_NOWARN);
	if (!res)
		return -ENOMEM;
	dmabench_results_fill(ctx, res);
	if (copy_to_user(ctx->p.results, res, sizeof(*res)))
		ret = -EFAULT;
	kvfree(res);
	return ret;
}

/* The target's mask for the run; restored after, as its driver set it */
static int dmabench_run_on_target(struct dmabench_ctx *ctx)
{
	const struct dmabench_mode_ops *ops = ctx->p.ops;
	struct device *dev = ctx->dev;
	u64 old_mask = dma_get_mask(dev);
	u64 old_coherent = dev->coherent_dma_mask;
	int ret;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(ctx->p.dma_bits));
	if (ret)
		goto restore;
	/*
	 * A RAM mapping larger than the device can take (swiotlb=force caps it
	 * at the bounce slot size) would fail on every sample. Say so up front,
	 * with an errno of its own, so user space reports the cell as not
	 * runnable in this boot instead of as a failed measurement.
	 */
#ifdef DMABENCH_HAVE_ATTR_MMIO
	/*
	 * With the series, MMIO is never bounced: under swiotlb=force every
	 * MMIO map fails by design (a P2P bus address needs no bounce and
	 * is still measured). Report that once, as the P2P code reports
	 * an unreachable peer, rather than timing a loop of failures.
	 */
	if ((ops->flags & DMABENCH_MF_MMIO) && !(ops->flags & DMABENCH_MF_P2P) &&
	    is_swiotlb_force_bounce(dev)) {
		ret = -EREMOTEIO;
		goto restore;
	}
#endif
	if (!(ops->flags & (DMABENCH_MF_MMIO | DMABENCH_MF_P2P)) &&
	    ctx->p.size > dma_max_mapping_size(dev)) {
		ret = -E2BIG;
		goto restore;
	}
	if (ops->prepare) {
		ret = ops->prepare(ctx);
		if (ret)
			goto restore;
	}

	ret = dmabench_threads_alloc(ctx);
	if (!ret)
		ret = dmabench_threads_run(ctx);
	if (!ret)
		ret = dmabench_results_copy(ctx);
	dmabench_threads_free(ctx);

	if (ops->release)
		ops->release(ctx);
restore:
	dma_set_mask(dev, old_mask);
	dma_set_coherent_mask(dev, old_coherent);
	return ret;
}

long dmabench_ioctl_run(void __user *uarg)
{
	struct dmabench_run *r;
	struct dmabench_ctx *ctx;
	long ret;

	r = kmalloc(sizeof(*r), GFP_KERNEL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!r || !ctx) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(r, uarg, sizeof(*r))) {
		ret = -EFAULT;
		goto out;
	}
	ret = dmabench_params_from_user(r, &ctx->p);
	if (ret)
		goto out;

	if (!mutex_trylock(&dmabench_run_lock)) {
		ret = -EBUSY;
		goto out;
	}
	ret = dmabench_target_get(ctx);
	if (!ret) {
		ret = dmabench_run_on_target(ctx);
		dmabench_target_put(ctx);
	}
	mutex_unlock(&dmabench_run_lock);
out:
	kfree(ctx);
	kfree(r);
	return ret;
}
