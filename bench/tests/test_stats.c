/*
 * Tests for lib/stats.c.  Reference values: closed forms where they exist
 * (Student t with 1 and 2 df, I_x(a,1), I_x(1,b)), textbook t-table values,
 * and for Welch's test values derived independently by Simpson integration
 * of the t density (2e6 intervals), not by the code under test.
 */
#include "harness.h"
#include "stats.h"

static void test_descriptive(void)
{
	const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	const double big[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
	const double withnan[] = { 1, NAN, 3 };

	CHECK_DBL(stats_mean(x, 8), 5.0, 0, "mean of 2 4 4 4 5 5 7 9");
	/* sum of squared deviations 32, sample variance 32/7 */
	CHECK_DBL(stats_stddev(x, 8), sqrt(32.0 / 7.0), 1e-15, "sample stddev (n-1)");
	CHECK_DBL(stats_stddev(big, 3), 1.0, 1e-12, "stddev far from zero has no cancellation");
	CHECK(isnan(stats_mean(x, 0)), "mean of nothing is NaN");
	CHECK(isnan(stats_stddev(x, 1)), "stddev of one value is NaN");
	CHECK(isnan(stats_mean(withnan, 3)) && isnan(stats_stddev(withnan, 3)),
	      "a NaN input propagates (missing data never vanishes)");
}

static void test_betai(void)
{
	CHECK_DBL(stats_betai(2.5, 1, 0.3), pow(0.3, 2.5), 1e-14, "I_x(a,1) = x^a");
	CHECK_DBL(stats_betai(1, 3.5, 0.2), 1 - pow(0.8, 3.5), 1e-14, "I_x(1,b) = 1-(1-x)^b");
	CHECK_DBL(stats_betai(3, 4, 0.9), 1 - stats_betai(4, 3, 0.1), 1e-14,
		  "symmetry I_x(a,b) = 1 - I_(1-x)(b,a)");
	/* I_0.5(a,a) = 0.5 by symmetry */
	CHECK_DBL(stats_betai(7.25, 7.25, 0.5), 0.5, 1e-14, "I_0.5(a,a) = 1/2");
	/* I_x(2,2) = 3x^2 - 2x^3 */
	CHECK_DBL(stats_betai(2, 2, 0.7), 3 * 0.49 - 2 * 0.343, 1e-14, "I_x(2,2) = 3x^2-2x^3");
	CHECK(stats_betai(1, 1, 0) == 0 && stats_betai(1, 1, 1) == 1, "end points 0 and 1");
	CHECK(isnan(stats_betai(0, 1, 0.5)) && isnan(stats_betai(1, 1, 1.5)),
	      "invalid a or x gives NaN");
}

static void test_t(void)
{
	const double pi = 3.14159265358979323846;

	/* df = 1 is Cauchy: p = 1 - (2/pi) atan|t| */
	CHECK_DBL(stats_t_p2(1.0, 1), 0.5, 1e-14, "t=1 df=1: p = 0.5");
	CHECK_DBL(stats_t_p2(3.7, 1), 1 - 2 / pi * atan(3.7), 1e-14, "df=1 closed form");
	/* df = 2: p = 1 - |t| / sqrt(2 + t^2) */
	CHECK_DBL(stats_t_p2(-2.5, 2), 1 - 2.5 / sqrt(8.25), 1e-14, "df=2 closed form, t<0");
	CHECK_DBL(stats_t_p2(0, 5), 1.0, 0, "t=0: p = 1");
	CHECK_DBL(stats_t_p2(INFINITY, 5), 0.0, 0, "t=inf: p = 0");
	CHECK_DBL(stats_t_p2(2.228, 10), 0.0500117718170765, 1e-10,
		  "t=2.228 df=10 (table 97.5%): p = 0.05001");
	CHECK_DBL(stats_t_p2(2.0, 30), 0.054625044963017566, 1e-10, "t=2 df=30");
	CHECK_DBL(stats_t_p2(3.5, 7.5), 0.00894887198009775, 1e-10, "t=3.5, fractional df=7.5");
	CHECK_DBL(stats_t_crit(0.05, 1), tan(0.475 * pi), 1e-9, "crit df=1 = tan(0.475 pi) = 12.706");
	CHECK_DBL(stats_t_crit(0.05, 2), sqrt(2 * 0.9025 / 0.0975), 1e-11, "crit df=2 = 4.303");
	CHECK_DBL(stats_t_crit(0.05, 10), 2.228, 5e-4, "crit df=10 matches table 2.228");
	CHECK_DBL(stats_t_crit(0.05, 1000), 1.962, 5e-4, "crit df=1000 matches table 1.962");
	CHECK(isnan(stats_t_p2(NAN, 3)) && isnan(stats_t_p2(1, 0)) &&
	      isnan(stats_t_crit(0, 3)), "invalid arguments give NaN");
}

static void test_welch(void)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 2, 4, 6, 8, 10 };
	const double c[] = { 300, 310, 305, 298 }, d[] = { 320, 331, 318, 325, 329, 322 };
	const double k1[] = { 3, 3, 3 }, k2[] = { 4, 4, 4 };
	struct welch w;

	stats_welch(a, 5, b, 5, &w);
	CHECK(w.testable, "welch 1: testable");
	CHECK_DBL(w.t, 1.8973665961010275, 1e-13, "welch 1: t = 3/sqrt(2.5)");
	CHECK_DBL(w.df, 5.882352941176471, 1e-12, "welch 1: df = 6.25/1.0625");
	CHECK_DBL(w.p, 0.10753119493064256, 1e-9, "welch 1: p = 0.10753");
	CHECK_DBL(w.pct, 100.0, 1e-12, "welch 1: +100%");
	CHECK_DBL(w.diff_lo, -0.8877416437373364, 1e-8, "welch 1: 95% CI low");
	CHECK_DBL(w.diff_hi, 6.887741643737336, 1e-8, "welch 1: 95% CI high");
	CHECK_DBL(w.pct_lo, -29.59138812457788, 1e-6, "welch 1: CI low in % of base");
	CHECK_STR(stats_sig_mark(&w), "", "welch 1: not significant at 5%");

	stats_welch(c, 4, d, 6, &w);
	CHECK_DBL(w.t, 6.143920014583217, 1e-12, "welch 2 (n=4 vs 6): t");
	CHECK_DBL(w.df, 6.329327308693994, 1e-11, "welch 2: df");
	CHECK_DBL(w.p, 0.0006951190887364289, 1e-11, "welch 2: p");
	CHECK_STR(stats_sig_mark(&w), "**", "welch 2: p < 0.01 -> **");
	stats_welch(d, 6, c, 4, &w);
	CHECK_DBL(w.t, -6.143920014583217, 1e-12, "welch swapped: t changes sign");
	CHECK_DBL(w.p, 0.0006951190887364289, 1e-11, "welch swapped: same p");
	CHECK(w.pct_lo <= w.pct && w.pct <= w.pct_hi, "CI contains the point estimate");

	stats_welch_summary(100, 2, 5, 104, 2, 5, &w);
	/* se = sqrt(0.8+0.8), t = 4/1.2649 = 3.162, df = 8 -> p ~ 0.0134 */
	CHECK_STR(stats_sig_mark(&w), "*", "summary form: p in [0.01,0.05) -> *");

	stats_welch(k1, 3, k2, 3, &w);
	CHECK(!w.testable && isnan(w.p) && isnan(w.t), "zero variance both sides: not testable");
	CHECK_DBL(w.pct, 100.0 / 3.0, 1e-12, "... but %change is still reported");
	CHECK_STR(stats_sig_mark(&w), "-", "not testable -> -");
	stats_welch(k1, 1, k2, 3, &w);
	CHECK(!w.testable && isnan(w.diff_lo), "n < 2: not testable, no CI");
	stats_welch_summary(0, 1, 3, 5, 1, 3, &w);
	CHECK(isnan(w.pct) && isnan(w.pct_lo) && w.testable, "base mean 0: %change is NaN");
}

static void test_format(void)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 2, 4, 6, 8, 10 };
	const double c[] = { 300, 310, 305, 298 }, d[] = { 320, 331, 318, 325, 329, 322 };
	struct welch w;
	char buf[128];

	stats_welch(a, 5, b, 5, &w);
	stats_format_lkp(buf, sizeof(buf), &w);
	CHECK_STR(buf, "       3.0 ± 52.7%   +100.0%         6.0 ± 52.7%",
		  "format: not significant, no trailing blanks");
	stats_welch(c, 4, d, 6, &w);
	stats_format_lkp(buf, sizeof(buf), &w);
	CHECK_STR(buf, "     303.2 ±  1.8%     +6.9%       324.2 ±  1.6%  **",
		  "format: significant with ** mark");
	stats_welch_summary(2.5e7, NAN, 1, 2.0e7, NAN, 1, &w);
	stats_format_lkp(buf, sizeof(buf), &w);
	CHECK_STR(buf, "   2.5e+07 ±     -    -20.0%       2e+07 ±     -  -",
		  "format: unknown stddev and large values, never nan");
	stats_welch_summary(NAN, NAN, 0, 7, NAN, 1, &w);
	stats_format_lkp(buf, sizeof(buf), &w);
	CHECK_STR(buf, "         - ±     -         -         7.0 ±     -  -",
		  "format: missing base");
}

int main(void)
{
	test_descriptive();
	test_betai();
	test_t();
	test_welch();
	test_format();
	return harness_done();
}
