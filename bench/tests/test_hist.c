/* Tests for include/dmabench_hist_layout.h and lib/hist.c. */
#include <stdint.h>
#include <stdlib.h>

#include "dmabench_hist_layout.h"
#include "harness.h"
#include "hist.h"

static void test_layout(void)
{
	const unsigned int S = DMABENCH_HIST_SUB_BITS, M = DMABENCH_HIST_MAX_BITS;
	unsigned long long nb = dmabench_hist_nbuckets(S, M), i;
	int contiguous = 1, roundtrip = 1, relwidth = 1;

	CHECK_INT(nb, 1152, "layout: default S=5 M=40 has 1152 buckets");
	CHECK_INT(dmabench_hist_index(0, S, M), 0, "layout: 0 -> bucket 0");
	CHECK_INT(dmabench_hist_index(31, S, M), 31, "layout: 31 -> bucket 31");
	CHECK_INT(dmabench_hist_index(63, S, M), 63, "layout: values < 2^(S+1) are exact");
	CHECK_INT(dmabench_hist_index(64, S, M), 64, "layout: 64 -> bucket 64");
	CHECK_INT(dmabench_hist_index(65, S, M), 64, "layout: 65 shares bucket 64 (width 2)");
	CHECK_INT(dmabench_hist_index(1000, S, M), 190, "layout: 1000 -> bucket 190");
	CHECK_INT(dmabench_hist_bucket_low(190, S), 992, "layout: bucket 190 starts at 992");
	CHECK_INT(dmabench_hist_bucket_width(190, S), 16, "layout: bucket 190 is 16 wide");
	CHECK_INT(dmabench_hist_index((1ull << 40) - 1, S, M), 1151,
		  "layout: 2^40-1 -> last bucket");
	CHECK_INT(dmabench_hist_index(~0ull, S, M), 1151, "layout: huge values clamp to last bucket");
	CHECK(dmabench_hist_params_ok(5, 40) && !dmabench_hist_params_ok(0, 40) &&
	      !dmabench_hist_params_ok(5, 5) && !dmabench_hist_params_ok(5, 64) &&
	      !dmabench_hist_params_ok(11, 40), "layout: parameter bounds");

	for (i = 0; i + 1 < nb; i++)
		if (dmabench_hist_bucket_low(i, S) + dmabench_hist_bucket_width(i, S) !=
		    dmabench_hist_bucket_low(i + 1, S))
			contiguous = 0;
	CHECK(contiguous, "layout: buckets are contiguous, no gaps or overlaps");
	for (i = 0; i < nb; i++) {
		unsigned long long lo = dmabench_hist_bucket_low(i, S);
		unsigned long long w = dmabench_hist_bucket_width(i, S);

		if (dmabench_hist_index(lo, S, M) != i ||
		    dmabench_hist_index(lo + w - 1, S, M) != i)
			roundtrip = 0;
		if (w > 1 && (double)w / (double)lo > 1.0 / 32.0)
			relwidth = 0;
	}
	CHECK(roundtrip, "layout: both ends of every bucket map back to it");
	CHECK(relwidth, "layout: width/low <= 1/32 (3.125%) for every inexact bucket");
	CHECK_INT(dmabench_hist_bucket_low(nb - 1, S) + dmabench_hist_bucket_width(nb - 1, S),
		  1ull << 40, "layout: last bucket ends at 2^40");
}

static void test_basic(void)
{
	struct hist h;
	uint64_t v;

	CHECK(hist_init(&h, 0, 40) == -1, "init rejects sub_bits 0");
	CHECK(hist_init(&h, 5, 40) == 0, "init S=5 M=40");
	CHECK(isnan(hist_percentile(&h, 50)) && isnan(hist_mean(&h)) &&
	      isnan(hist_stddev(&h)), "empty histogram: percentile/mean/stddev are NaN");
	for (v = 1; v <= 50; v++)
		hist_add(&h, v);
	CHECK_INT(h.n, 50, "n counts values");
	CHECK_INT(h.min, 1, "min exact");
	CHECK_INT(h.max, 50, "max exact");
	CHECK_DBL(hist_mean(&h), 25.5, 0, "mean of 1..50");
	/* sample variance of 1..n is n(n+1)/12 = 212.5 */
	CHECK_DBL(hist_stddev(&h), sqrt(212.5), 1e-12, "sample stddev of 1..50");
	CHECK_DBL(hist_percentile(&h, 50), 25, 0, "p50 of 1..50 is rank 25");
	CHECK_DBL(hist_percentile(&h, 90), 45, 0, "p90 of 1..50 is rank 45");
	CHECK_DBL(hist_percentile(&h, 99), 50, 0, "p99 of 1..50 is rank ceil(49.5)=50");
	CHECK_DBL(hist_percentile(&h, 0), 1, 0, "p0 is min");
	CHECK_DBL(hist_percentile(&h, 100), 50, 0, "p100 is max");
	CHECK_DBL(hist_percentile(&h, 2), 1, 0, "p2 of 50 is rank 1 = min");
	CHECK_DBL(hist_percentile(&h, 2.0001), 2, 0, "p2.0001 of 50 is rank 2");
	CHECK(isnan(hist_percentile(&h, -1)) && isnan(hist_percentile(&h, 100.5)) &&
	      isnan(hist_percentile(&h, NAN)), "percentile outside [0,100] is NaN");
	hist_free(&h);
}

static void test_rank_rounding(void)
{
	struct hist h;
	uint64_t v;

	hist_init(&h, 5, 40);
	for (v = 1; v <= 1000; v++)
		hist_add(&h, 7);	/* one bucket, value 7 */
	hist_add(&h, 5000);
	/* n = 1001: p99.9 -> ceil(999.999) = 1000 -> still value 7 */
	CHECK_DBL(hist_percentile(&h, 99.9), 7, 0, "p99.9 of 1000x7 + 1x5000 is 7");
	CHECK_DBL(hist_percentile(&h, 100), 5000, 0, "p100 is exact max 5000");
	hist_free(&h);

	hist_init(&h, 5, 40);
	for (v = 1; v <= 1000; v++)
		hist_add(&h, v);
	/* 99.9 * 1000 / 100 must be rank 999, not 1000 from rounding noise */
	CHECK_DBL(hist_percentile(&h, 99.9), 999.5, 0,
		  "p99.9 of 1..1000 is rank 999 -> bucket [992,1007] midpoint 999.5");
	CHECK_DBL(hist_percentile(&h, 99.99), 1000, 0, "p99.99 of 1..1000 is rank 1000 = max");
	hist_free(&h);
}

static void test_midpoint_and_clamp(void)
{
	struct hist h;
	double worst = 0;
	uint64_t v;

	hist_init(&h, 5, 40);
	hist_add(&h, 1000);
	hist_add(&h, 1001);
	hist_add(&h, 1003);
	hist_add(&h, 5000);
	/* rank 2 is in bucket [992,1007], midpoint 999.5 < min -> min */
	CHECK_DBL(hist_percentile(&h, 50), 1000, 0, "midpoint below min clamps to min");
	hist_add(&h, 990);
	/* n = 5, p60 -> rank 3 -> 1001's bucket, midpoint 999.5 within [990,5000] */
	CHECK_DBL(hist_percentile(&h, 60), 999.5, 0, "interior rank reports bucket midpoint");
	hist_free(&h);

	for (v = 64; v < 2000000; v = v * 7 / 6 + 1) {
		hist_init(&h, 5, 40);
		hist_add(&h, 1);
		hist_add(&h, v);
		hist_add(&h, 3000000);
		double got = hist_percentile(&h, 50);
		double err = fabs(got - (double)v) / (double)v;

		if (err > worst)
			worst = err;
		hist_free(&h);
	}
	CHECK(worst <= 1.0 / 64.0, "midpoint relative error <= 1/64 across 64..2e6");
	CHECK(worst > 0, "sweep actually hit wide buckets");
}

static void test_merge_and_large(void)
{
	struct hist a, b, c, all;
	uint64_t v;

	hist_init(&a, 5, 40);
	hist_init(&b, 5, 40);
	hist_init(&c, 6, 40);
	hist_init(&all, 5, 40);
	for (v = 1; v <= 100; v++) {
		hist_add(v % 2 ? &a : &b, v * 37);
		hist_add(&all, v * 37);
	}
	CHECK(hist_merge(&a, &c) == -1, "merge refuses a different layout");
	CHECK(hist_merge(&a, &b) == 0, "merge same layout");
	CHECK(a.n == all.n && a.min == all.min && a.max == all.max &&
	      a.sum == all.sum && a.sumsq == all.sumsq &&
	      memcmp(a.counts, all.counts, a.nbuckets * sizeof(*a.counts)) == 0,
	      "merged histogram equals the histogram of all values");
	CHECK_DBL(hist_percentile(&a, 90), hist_percentile(&all, 90), 0,
		  "merged p90 equals direct p90");
	hist_free(&b);
	hist_init(&b, 5, 40);
	CHECK(hist_merge(&b, &a) == 0 && b.min == 37 && b.max == 3700,
	      "merge into an empty histogram takes min/max");
	hist_free(&a);
	hist_free(&b);
	hist_free(&c);
	hist_free(&all);

	/* Large values: sum of squares exceeds 2^64, must stay exact. */
	hist_init(&a, 5, 40);
	hist_add(&a, 1000000000000ull);
	hist_add(&a, 1000000000002ull);
	CHECK_DBL(hist_mean(&a), 1000000000001.0, 0, "mean of 1e12 and 1e12+2 is exact");
	CHECK_DBL(hist_stddev(&a), sqrt(2.0), 1e-12,
		  "stddev of 1e12, 1e12+2 is sqrt(2) (no cancellation)");
	hist_add(&a, 1ull << 50);
	CHECK_INT(a.max, 1ull << 50, "max stays exact above the layout range");
	CHECK_INT(a.counts[a.nbuckets - 1], 1, "value above range counted in last bucket");
	CHECK_DBL(hist_percentile(&a, 100), (double)(1ull << 50), 0, "p100 reports the exact max");
	hist_free(&a);
}

int main(void)
{
	test_layout();
	test_basic();
	test_rank_rounding();
	test_midpoint_and_clamp();
	test_merge_and_large();
	return harness_done();
}
