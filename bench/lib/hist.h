/* Log-linear histogram of nanosecond values with exact moments. */
#ifndef DMABENCH_HIST_H
#define DMABENCH_HIST_H

#include <stddef.h>
#include <stdint.h>

/* Exact 128-bit accumulator: sums of squares of 40-bit values overflow u64. */
__extension__ typedef unsigned __int128 hist_u128;

struct hist {
	unsigned int sub_bits;
	unsigned int max_bits;
	size_t nbuckets;
	uint64_t *counts;	/* layout: include/dmabench_hist_layout.h */
	uint64_t n;
	uint64_t min;		/* exact; meaningless while n == 0 */
	uint64_t max;
	hist_u128 sum;		/* exact while n < 2^64 */
	hist_u128 sumsq;	/* exact while n < 2^48 (values <= 2^40) */
};

/* Returns 0, or -1 for parameters outside the layout's bounds or no memory. */
int hist_init(struct hist *h, unsigned int sub_bits, unsigned int max_bits);
void hist_free(struct hist *h);
void hist_add(struct hist *h, uint64_t value_ns);
/* Adds src into dst; returns -1 (dst untouched) if the layouts differ. */
int hist_merge(struct hist *dst, const struct hist *src);
/*
 * Percentile p in [0, 100]; NAN when empty or p is out of range.
 * Rule (nearest rank): rank r = ceil(p / 100 * n), at least 1.  Rank 1 is
 * reported as the exact min and rank n as the exact max.  Any other rank is
 * reported as the midpoint of the bucket that holds it,
 * low + (width - 1) / 2, clamped to [min, max].  Values below 2^(S+1) are
 * therefore exact.
 */
double hist_percentile(const struct hist *h, double p);
double hist_mean(const struct hist *h);		/* NAN when n == 0 */
double hist_stddev(const struct hist *h);	/* sample (n - 1); NAN when n < 2 */

#endif
