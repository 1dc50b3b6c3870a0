/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Bucket layout of the dmabench log-linear latency histogram.
 *
 * Shared verbatim by the user-space tools and the benchmark kernel module:
 * the module fills counts[] in this layout and user space interprets them,
 * so this header uses plain integer arithmetic only (no libc, no kernel
 * headers) and the layout must never change without bumping
 * DMABENCH_HIST_LAYOUT_VERSION.
 *
 * The layout is a pure function of two parameters:
 *   S = sub_bits  (2^S linear sub-buckets per power of two)
 *   M = max_bits  (values up to 2^M - 1 are resolved; larger are clamped)
 *
 *   v < 2^S:            index = v                         (width 1, exact)
 *   v >= 2^S:           m     = floor(log2 v)             (m >= S)
 *                       shift = m - S
 *                       index = (shift + 1) * 2^S + ((v >> shift) - 2^S)
 *
 * So values below 2^(S+1) are exact, and every bucket starting at low has a
 * width of at most low / 2^S: S = 5 bounds the relative width by 1/32
 * (3.125 %), or 1.5625 % when a value is reported as the bucket midpoint.
 * With the defaults (S = 5, M = 40) the histogram covers 0 .. 2^40 - 1 ns
 * (about 1.1e12 ns, 18 minutes) in (M - S + 1) * 2^S = 1152 buckets.
 */
#ifndef DMABENCH_HIST_LAYOUT_H
#define DMABENCH_HIST_LAYOUT_H

#define DMABENCH_HIST_LAYOUT_VERSION	1
#define DMABENCH_HIST_SUB_BITS		5
#define DMABENCH_HIST_MAX_BITS		40
/* Bounds the parameters so that every shift below stays inside 64 bits. */
#define DMABENCH_HIST_SUB_BITS_MIN	1
#define DMABENCH_HIST_SUB_BITS_MAX	10
#define DMABENCH_HIST_MAX_BITS_MAX	63

static inline int dmabench_hist_params_ok(unsigned int sub_bits,
					  unsigned int max_bits)
{
	return sub_bits >= DMABENCH_HIST_SUB_BITS_MIN &&
	       sub_bits <= DMABENCH_HIST_SUB_BITS_MAX &&
	       max_bits > sub_bits && max_bits <= DMABENCH_HIST_MAX_BITS_MAX;
}

static inline unsigned long long dmabench_hist_nbuckets(unsigned int sub_bits,
							 unsigned int max_bits)
{
	return (unsigned long long)(max_bits - sub_bits + 1) << sub_bits;
}

/* Position of the most significant set bit; v must be non-zero. */
static inline unsigned int dmabench_hist_msb(unsigned long long v)
{
	return 63u - (unsigned int)__builtin_clzll(v);
}

static inline unsigned long long dmabench_hist_index(unsigned long long v,
						      unsigned int sub_bits,
						      unsigned int max_bits)
{
	unsigned long long top = (1ull << max_bits) - 1;
	unsigned int shift;

	if (v > top)
		v = top;	/* clamp: counted in the last bucket */
	if (v < (1ull << sub_bits))
		return v;
	shift = dmabench_hist_msb(v) - sub_bits;
	return ((unsigned long long)(shift + 1) << sub_bits) +
	       ((v >> shift) - (1ull << sub_bits));
}

/* Smallest value that falls into bucket i. */
static inline unsigned long long dmabench_hist_bucket_low(unsigned long long i,
							   unsigned int sub_bits)
{
	unsigned long long sub = 1ull << sub_bits;
	unsigned int shift;

	if (i < sub)
		return i;
	shift = (unsigned int)(i >> sub_bits) - 1;
	return ((i & (sub - 1)) + sub) << shift;
}

/* Number of distinct integer values that fall into bucket i. */
static inline unsigned long long dmabench_hist_bucket_width(unsigned long long i,
							     unsigned int sub_bits)
{
	if (i < (1ull << sub_bits))
		return 1;
	return 1ull << ((unsigned int)(i >> sub_bits) - 1);
}

#endif /* DMABENCH_HIST_LAYOUT_H */
