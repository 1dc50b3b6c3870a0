/* Descriptive statistics and Welch's t-test for A/B comparisons. */
#ifndef DMABENCH_STATS_H
#define DMABENCH_STATS_H

#include <stddef.h>

/* NAN for n == 0 or when any input is NaN: missing data never vanishes. */
double stats_mean(const double *x, size_t n);
/* Sample standard deviation (n - 1); NAN for n < 2. */
double stats_stddev(const double *x, size_t n);

/* Regularized incomplete beta I_x(a, b); NAN for a, b <= 0 or x outside [0,1]. */
double stats_betai(double a, double b, double x);
/* Two-sided p-value P(|T| >= |t|) of Student's t with df degrees of freedom. */
double stats_t_p2(double t, double df);
/* t > 0 with stats_t_p2(t, df) == alpha, e.g. alpha 0.05 -> 97.5% quantile. */
double stats_t_crit(double alpha, double df);

struct welch {
	double mean_a, sd_a, mean_b, sd_b;
	size_t n_a, n_b;
	int testable;		/* both n >= 2 and a non-zero standard error */
	double t, df, p;	/* NAN unless testable */
	double diff;		/* mean_b - mean_a */
	double diff_lo, diff_hi;	/* 95% CI of diff (Welch); NAN unless testable */
	double pct;		/* 100 * diff / mean_a; NAN if mean_a is 0 or NaN */
	double pct_lo, pct_hi;	/* CI bounds relative to mean_a (its error is not propagated) */
};

/*
 * Welch's unequal-variance t-test of B against A from summary statistics.
 * t = (mean_b - mean_a) / se, se^2 = sd_a^2/n_a + sd_b^2/n_b, and the
 * Welch-Satterthwaite df = se^4 / ((sd_a^2/n_a)^2/(n_a-1) + (sd_b^2/n_b)^2/(n_b-1)).
 */
void stats_welch_summary(double mean_a, double sd_a, size_t n_a,
			 double mean_b, double sd_b, size_t n_b, struct welch *w);
void stats_welch(const double *a, size_t n_a, const double *b, size_t n_b,
		 struct welch *w);

/* "**" p < 0.01, "*" p < 0.05, "" not significant, "-" not testable. */
const char *stats_sig_mark(const struct welch *w);

/*
 * LKP/mmtests style line "base ±sd%  %change  patched ±sd%  sig", where sd% is
 * the standard deviation relative to its own mean.  Fixed column widths:
 * "%10s ±%6s  %8s  %10s ±%6s  %s"; unknown numbers print as "-" (never nan).
 * Trailing blanks are trimmed.  Returns the length written (as snprintf).
 */
int stats_format_lkp(char *buf, size_t len, const struct welch *w);
/* Formats one number as used in the table: "%.1f", "%.3g" below 1, "%.6g" from 1e7 up. */
void stats_format_value(char *buf, size_t len, double v);

#endif
