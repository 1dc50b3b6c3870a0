#include "hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmabench_hist_layout.h"

int hist_init(struct hist *h, unsigned int sub_bits, unsigned int max_bits)
{
	memset(h, 0, sizeof(*h));
	if (!dmabench_hist_params_ok(sub_bits, max_bits))
		return -1;
	h->sub_bits = sub_bits;
	h->max_bits = max_bits;
	h->nbuckets = (size_t)dmabench_hist_nbuckets(sub_bits, max_bits);
	h->counts = calloc(h->nbuckets, sizeof(*h->counts));
	return h->counts ? 0 : -1;
}

void hist_free(struct hist *h)
{
	free(h->counts);
	memset(h, 0, sizeof(*h));
}

void hist_add(struct hist *h, uint64_t v)
{
	h->counts[dmabench_hist_index(v, h->sub_bits, h->max_bits)]++;
	if (h->n == 0 || v < h->min)
		h->min = v;
	if (h->n == 0 || v > h->max)
		h->max = v;
	h->n++;
	h->sum += v;
	h->sumsq += (hist_u128)v * v;
}

int hist_merge(struct hist *dst, const struct hist *src)
{
	size_t i;

	if (dst->sub_bits != src->sub_bits || dst->max_bits != src->max_bits)
		return -1;
	if (src->n == 0)
		return 0;
	for (i = 0; i < dst->nbuckets; i++)
		dst->counts[i] += src->counts[i];
	if (dst->n == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->n == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->sum += src->sum;
	dst->sumsq += src->sumsq;
	return 0;
}

/*
 * ceil(p / 100 * n) computed in floating point picks up rounding noise
 * (99.9 / 100 * 1000 is 999.0000000000001): a product within 1e-9
 * (relative) above an integer is taken to be that integer.
 */
static uint64_t nearest_rank(double p, uint64_t n)
{
	double x = p * (double)n / 100.0;
	double fl = floor(x);
	double r = (x - fl <= 1e-9 * (x > 1.0 ? x : 1.0)) ? fl : fl + 1.0;

	if (r < 1.0)
		return 1;
	if (r > (double)n)
		return n;
	return (uint64_t)r;
}

double hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0;
	size_t i;

	if (h->n == 0 || !(p >= 0.0 && p <= 100.0))
		return NAN;
	rank = nearest_rank(p, h->n);
	if (rank == 1)
		return (double)h->min;
	if (rank == h->n)
		return (double)h->max;
	for (i = 0; i < h->nbuckets; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			double mid = (double)dmabench_hist_bucket_low(i, h->sub_bits) +
				     (double)(dmabench_hist_bucket_width(i, h->sub_bits) - 1) / 2.0;
			if (mid < (double)h->min)
				return (double)h->min;
			if (mid > (double)h->max)
				return (double)h->max;
			return mid;
		}
	}
	return (double)h->max;	/* unreachable while counts agree with n */
}

double hist_mean(const struct hist *h)
{
	if (h->n == 0)
		return NAN;
	return (double)((long double)h->sum / (long double)h->n);
}

double hist_stddev(const struct hist *h)
{
	long double n, var;
	hist_u128 nsq, sq;

	if (h->n < 2)
		return NAN;
	/*
	 * n * sumsq - sum^2 is exact in 128 bits while it fits, which avoids
	 * the cancellation of the textbook sumsq / n - mean^2 formula.
	 */
	n = (long double)h->n;
	if (h->sum <= ((hist_u128)1 << 64) - 1 &&
	    !__builtin_mul_overflow(h->sumsq, (hist_u128)h->n, &nsq)) {
		sq = h->sum * h->sum;
		var = (long double)(nsq - sq) / (n * (n - 1.0L));
	} else {
		long double mean = (long double)h->sum / n;
		var = ((long double)h->sumsq - n * mean * mean) / (n - 1.0L);
	}
	if (var < 0)
		var = 0;
	return (double)sqrtl(var);
}
