/*
 * Minimal TAP-like test harness: one line per case, "ok N - name" or
 * "not ok N - name", and a final "N passed, M failed" line that
 * tests/run-all.sh adds up across programs.
 */
#ifndef DMABENCH_HARNESS_H
#define DMABENCH_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed;

static inline int harness_report(int ok, const char *name)
{
	int n = harness_passed + harness_failed + 1;

	printf("%sok %d - %s\n", ok ? "" : "not ", n, name);
	if (ok)
		harness_passed++;
	else
		harness_failed++;
	return ok;
}

#define CHECK(cond, name) harness_report(!!(cond), (name))

#define CHECK_INT(got, want, name) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!harness_report(g_ == w_, (name)))				\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

/* Both NaN counts as equal: "null" is an expected value in our results. */
#define CHECK_DBL(got, want, tol, name) do {				\
	double g_ = (got), w_ = (want);					\
	int ok_ = (isnan(g_) && isnan(w_)) ||				\
		  (!isnan(g_) && !isnan(w_) && fabs(g_ - w_) <= (tol));	\
	if (!harness_report(ok_, (name)))				\
		printf("#   got %.17g, want %.17g (tol %g)\n", g_, w_,	\
		       (double)(tol));					\
} while (0)

#define CHECK_STR(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int ok_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;		\
	if (!harness_report(ok_, (name)))				\
		printf("#   got  \"%s\"\n#   want \"%s\"\n",		\
		       g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

static inline int harness_done(void)
{
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif
