#include "stats.h"

#include <math.h>
#include <stdio.h>

double stats_mean(const double *x, size_t n)
{
	long double s = 0;
	size_t i;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++)
		s += x[i];
	return (double)(s / (long double)n);
}

double stats_stddev(const double *x, size_t n)
{
	long double m, ss = 0;
	size_t i;

	if (n < 2)
		return NAN;
	m = stats_mean(x, n);
	if (isnan((double)m))
		return NAN;
	/* two-pass form: no cancellation for values far from zero */
	for (i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	return (double)sqrtl(ss / (long double)(n - 1));
}

/*
 * Continued fraction for I_x(a, b) (modified Lentz evaluation).  The
 * fraction is 1 / (1 + d1 / (1 + d2 / (1 + ...))) with
 *   d(2m+1) = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1))
 *   d(2m)   =  m(b-m) x / ((a+2m-1)(a+2m))
 * and converges quickly for x < (a+1)/(a+b+2); the caller uses the
 * symmetry I_x(a,b) = 1 - I_(1-x)(b,a) for the other side.
 */
static double betai_cf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-15;
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), f;
	int m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	f = d;
	for (m = 1; m <= 10000; m++) {
		double num, delta;

		/* even step d(2m) */
		num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
		d = 1.0 + num * d;
		c = 1.0 + num / c;
		if (fabs(d) < tiny)
			d = tiny;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		f *= c * d;
		/* odd step d(2m+1) */
		num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
		d = 1.0 + num * d;
		c = 1.0 + num / c;
		if (fabs(d) < tiny)
			d = tiny;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		delta = c * d;
		f *= delta;
		if (fabs(delta - 1.0) < eps)
			break;
	}
	return f;
}

double stats_betai(double a, double b, double x)
{
	double front;

	if (!(a > 0 && b > 0 && x >= 0 && x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) +
		    a * log(x) + b * log1p(-x));
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * betai_cf(a, b, x) / a;
	return 1.0 - front * betai_cf(b, a, 1.0 - x) / b;
}

double stats_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0.0;
	return stats_betai(df / 2.0, 0.5, df / (df + t * t));
}

double stats_t_crit(double alpha, double df)
{
	double lo = 0.0, hi = 1.0;
	int i;

	if (!(alpha > 0 && alpha < 1) || !(df > 0))
		return NAN;
	/* p falls monotonically with t: bracket, then bisect */
	while (stats_t_p2(hi, df) > alpha && hi < 1e300)
		hi *= 2.0;
	for (i = 0; i < 2000 && hi - lo > 1e-13 * hi; i++) {
		double mid = 0.5 * (lo + hi);

		if (stats_t_p2(mid, df) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

void stats_welch_summary(double mean_a, double sd_a, size_t n_a,
			 double mean_b, double sd_b, size_t n_b, struct welch *w)
{
	double va, vb, se2, tc;

	w->mean_a = mean_a;
	w->sd_a = sd_a;
	w->n_a = n_a;
	w->mean_b = mean_b;
	w->sd_b = sd_b;
	w->n_b = n_b;
	w->diff = mean_b - mean_a;
	w->pct = (mean_a != 0 && !isnan(mean_a)) ? 100.0 * w->diff / mean_a : NAN;
	w->testable = 0;
	w->t = w->df = w->p = NAN;
	w->diff_lo = w->diff_hi = w->pct_lo = w->pct_hi = NAN;

	if (n_a < 2 || n_b < 2 || isnan(sd_a) || isnan(sd_b) || isnan(w->diff))
		return;
	va = sd_a * sd_a / (double)n_a;
	vb = sd_b * sd_b / (double)n_b;
	se2 = va + vb;
	if (!(se2 > 0))
		return;	/* zero spread on both sides: no test is possible */
	w->testable = 1;
	w->t = w->diff / sqrt(se2);
	w->df = se2 * se2 / (va * va / (double)(n_a - 1) + vb * vb / (double)(n_b - 1));
	w->p = stats_t_p2(w->t, w->df);
	tc = stats_t_crit(0.05, w->df);
	w->diff_lo = w->diff - tc * sqrt(se2);
	w->diff_hi = w->diff + tc * sqrt(se2);
	if (!isnan(w->pct)) {
		w->pct_lo = 100.0 * w->diff_lo / mean_a;
		w->pct_hi = 100.0 * w->diff_hi / mean_a;
		if (mean_a < 0) {	/* keep lo <= hi */
			double t = w->pct_lo;

			w->pct_lo = w->pct_hi;
			w->pct_hi = t;
		}
	}
}

void stats_welch(const double *a, size_t n_a, const double *b, size_t n_b,
		 struct welch *w)
{
	stats_welch_summary(stats_mean(a, n_a), stats_stddev(a, n_a), n_a,
			    stats_mean(b, n_b), stats_stddev(b, n_b), n_b, w);
}

const char *stats_sig_mark(const struct welch *w)
{
	if (!w->testable || isnan(w->p))
		return "-";
	if (w->p < 0.01)
		return "**";
	if (w->p < 0.05)
		return "*";
	return "";
}

void stats_format_value(char *buf, size_t len, double v)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 1e7)
		snprintf(buf, len, "%.6g", v);
	else if (v != 0 && fabs(v) < 1)
		snprintf(buf, len, "%.3g", v);	/* e.g. GB/s under emulation */
	else
		snprintf(buf, len, "%.1f", v);
}

static void format_rel_sd(char *buf, size_t len, double sd, double mean)
{
	if (isnan(sd) || isnan(mean) || mean == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100.0 * sd / fabs(mean));
}

int stats_format_lkp(char *buf, size_t len, const struct welch *w)
{
	char a[32], asd[32], pct[32], b[32], bsd[32];
	int n;

	stats_format_value(a, sizeof(a), w->mean_a);
	stats_format_value(b, sizeof(b), w->mean_b);
	format_rel_sd(asd, sizeof(asd), w->sd_a, w->mean_a);
	format_rel_sd(bsd, sizeof(bsd), w->sd_b, w->mean_b);
	if (isnan(w->pct))
		snprintf(pct, sizeof(pct), "-");
	else
		snprintf(pct, sizeof(pct), "%+.1f%%", w->pct);
	n = snprintf(buf, len, "%10s ±%6s  %8s  %10s ±%6s  %s",
		     a, asd, pct, b, bsd, stats_sig_mark(w));
	/* no trailing blanks when the significance column is empty */
	if (n > 0 && (size_t)n < len)
		while (n > 0 && buf[n - 1] == ' ')
			buf[--n] = '\0';
	return n;
}
