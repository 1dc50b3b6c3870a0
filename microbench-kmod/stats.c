// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics: the timer overhead that every sample has subtracted, and the
 * per-thread accumulators (min, max, sum, 128-bit sum of squares and a
 * log-linear histogram in the shared layout) merged at the end of a run.
 */
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "dmabench.h"

/* Odd, so the median is one sample; 2 KiB of u64, too big for the stack */
#define DMABENCH_TOH_PAIRS	255

static int dmabench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The cost of one back-to-back ktime_get_ns() pair: what t1 - t0 contains
 * besides the operations it brackets. The median, not the minimum: the
 * timed loop pays the typical cost, and the minimum of many pairs is a
 * best case (e.g. the clock read landing in a warm cache line) that would
 * leave most of the overhead in the samples.
 */
u64 dmabench_timer_overhead(void)
{
	u64 *d, ret;
	int i;

	d = kmalloc_array(DMABENCH_TOH_PAIRS, sizeof(*d), GFP_KERNEL);
	if (!d)
		return 0;	/* subtract nothing rather than fail the run */

	/* no preemption or migration between the two reads of a pair */
	preempt_disable();
	for (i = 0; i < DMABENCH_TOH_PAIRS; i++) {
		u64 t0 = ktime_get_ns();

		d[i] = ktime_get_ns() - t0;
	}
	preempt_enable();

	sort(d, DMABENCH_TOH_PAIRS, sizeof(*d), dmabench_cmp_u64, NULL);
	ret = d[DMABENCH_TOH_PAIRS / 2];
	kfree(d);
	return ret;
}

int dmabench_acc_init(struct dmabench_acc *acc, int node)
{
	acc->n = 0;
	acc->min = U64_MAX;
	acc->max = 0;
	acc->sum = 0;
	acc->sq_lo = 0;
	acc->sq_hi = 0;
	/* a failure goes back to the caller as -ENOMEM: no log splat */
	acc->hist = kvcalloc_node(DMABENCH_HIST_NBUCKETS, sizeof(u64),
				  GFP_KERNEL | __GFP_NOWARN, node);
	return acc->hist ? 0 : -ENOMEM;
}

void dmabench_acc_free(struct dmabench_acc *acc)
{
	kvfree(acc->hist);
	acc->hist = NULL;
}

/* (hi:lo) += (ahi:alo), 128-bit, without relying on __int128 */
static void dmabench_add128(u64 *hi, u64 *lo, u64 ahi, u64 alo)
{
	u64 old = *lo;

	*lo += alo;
	*hi += ahi + (*lo < old);
}

/* v * v as 128 bits, from 32-bit halves so no product overflows */
static void dmabench_square128(u64 v, u64 *hi, u64 *lo)
{
	u64 a = lower_32_bits(v), b = upper_32_bits(v);
	u64 ab = a * b;

	/* v^2 = b^2 * 2^64 + 2ab * 2^32 + a^2; 2ab * 2^32 = ab << 33 */
	*lo = a * a;
	*hi = b * b;
	dmabench_add128(hi, lo, ab >> 31, ab << 33);
}

/* Outside the timed region: called once per sample per phase */
void dmabench_acc_add(struct dmabench_acc *acc, u64 v)
{
	u64 hi, lo;

	acc->n++;
	acc->min = min(acc->min, v);
	acc->max = max(acc->max, v);
	acc->sum += v;
	dmabench_square128(v, &hi, &lo);
	dmabench_add128(&acc->sq_hi, &acc->sq_lo, hi, lo);
	acc->hist[dmabench_hist_index(v, DMABENCH_HIST_SUB_BITS,
				      DMABENCH_HIST_MAX_BITS)]++;
}

void dmabench_phase_init(struct dmabench_phase_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->min_ns = U64_MAX;
}

void dmabench_acc_merge(struct dmabench_phase_stats *out,
			const struct dmabench_acc *acc)
{
	unsigned int i;

	if (!acc->n)
		return;
	out->n += acc->n;
	out->min_ns = min(out->min_ns, acc->min);
	out->max_ns = max(out->max_ns, acc->max);
	out->sum_ns += acc->sum;
	dmabench_add128(&out->sumsq_hi, &out->sumsq_lo, acc->sq_hi,
			acc->sq_lo);
	for (i = 0; i < DMABENCH_HIST_NBUCKETS; i++)
		out->hist[i] += acc->hist[i];
}
