/*
 * One benchmark cell's result: what was run (cell), per-run raw values and
 * the aggregated metrics, written as a "dmabench-result" JSON file
 * (SCHEMA.md) and read back by compare.
 */
#ifndef DMABENCH_RESULT_H
#define DMABENCH_RESULT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "env.h"
#include "hist.h"
#include "json.h"

#define RESULT_SCHEMA		"dmabench-result"
#define SUMMARY_SCHEMA		"dmabench-summary"
#define RESULT_SCHEMA_VERSION	1
#define RESULT_MAX_METRICS	4
#define RESULT_MAX_RUNS		100	/* REPEAT's upper limit */
#define RESULT_MAX_KV		32
#define RESULT_NAME_MAX		16

/* Exact engine-specific integers: kernel struct fields, derived parameters. */
struct result_kv {
	const char *key;	/* static string */
	unsigned long long val;
};

struct cell {
	char engine[CFG_NAME_MAX];
	char mode[CFG_NAME_MAX];
	uint64_t size;
	unsigned int threads;
	int dir;		/* enum cfg_dir */
	unsigned int dma_bits;
	int node;
	unsigned int seconds;
	unsigned int repeat;
	unsigned int trans_ns;
	/*
	 * Imported workload results (dmabench import): the tool that measured,
	 * e.g. "fio-3.33"; written as "tool" when set.  Such a cell writes
	 * seconds 0 and dma_bits 0 as null (not set by the workload).
	 */
	char tool[48];
	struct result_kv params[RESULT_MAX_KV];	/* engine-derived, e.g. granule */
	size_t nparams;
	/*
	 * Engine kmod sets extended: the fields below are then part of the
	 * cell (its file name, its JSON and compare's matching).
	 */
	int extended;
	unsigned int nents;		/* sg entries per mapping; 0: the mode takes none */
	uint64_t iterations;		/* samples per thread; 0: each run lasts seconds */
	unsigned int batch;		/* as asked; 0: the module's default */
	int target;			/* enum cfg_target */
	int has_device;			/* PCI target: domain and bdf are known */
	uint32_t domain, bdf;
	int bar_dev;			/* enum cfg_bar; CFG_BAR_NONE: the mode maps no BAR */
	unsigned int bar;
	unsigned int attrs;		/* enum cfg_attr bits */
	/* observed during the runs (extended only) */
	const char *iommu_domain;	/* static string; NULL: unknown */
	double overhead_share;		/* NAN: unknown */
};

/* One metric of one run.  NAN means the engine does not know it (null). */
struct run_metric {
	double mean;		/* ns per operation */
	double op_stddev;	/* spread of single operations, ns */
	double n;		/* operations measured */
	double min, max;
	double ops_per_s;
};

struct run_record {
	struct run_metric m[RESULT_MAX_METRICS];	/* same order as result.names */
	struct result_kv raw[RESULT_MAX_KV];		/* the engine's output, verbatim */
	size_t nraw;
	/* this run's histograms (engines that sample single operations), owned */
	struct hist *hist[RESULT_MAX_METRICS];
};

/* result.status */
enum result_status { RESULT_OK = 0, RESULT_UNSUPPORTED = 1 };

/* Aggregated over the runs; NAN is written as null. */
struct metric {
	double n, mean, stddev, op_stddev;
	double p50, p90, p99, p999, min, max, ops_per_s;
};

struct result {
	struct cell cell;
	size_t nmetrics;
	char names[RESULT_MAX_METRICS][RESULT_NAME_MAX];	/* "map", "unmap", ... */
	const char *unit;		/* "ns" */
	const char *better;		/* "lower" or "higher" */
	/* per metric, overriding unit and better where set (workloads) */
	const char *units[RESULT_MAX_METRICS];
	const char *betters[RESULT_MAX_METRICS];
	double resolution_ns;		/* NAN if unknown */
	size_t nruns;
	struct run_record runs[RESULT_MAX_RUNS];
	struct hist *hist[RESULT_MAX_METRICS];	/* optional, merged over runs */
	int owns_hist;				/* hist[] from result_merge_hists */
	struct metric metrics[RESULT_MAX_METRICS];	/* filled by result_aggregate */
	int status;				/* enum result_status */
	char status_detail[256];		/* unsupported: why (the errno text) */
};

/*
 * Computes metrics[] from runs[] (and hist[] when present):
 *   mean      mean of the run means (each run weighs the same)
 *   stddev    sample stddev of the run means (run-to-run); null below 2 runs
 *   op_stddev one run: that run's; several: pooled over all operations when
 *             every run reports n, else null (it cannot be derived)
 *   n, min, max, ops_per_s: sum / min / max / mean over runs, null unless
 *             every run reports it
 *   p50..p999 from the histogram only, else null
 * With a merged histogram whose n is the total n, op_stddev is computed
 * exactly from its summed sums and sums of squares instead.
 */
void result_aggregate(struct result *r);

/*
 * Merges the runs' histograms into hist[] (owned), per metric for which
 * every run has one.  -1 if their layouts differ or memory runs out.
 */
int result_merge_hists(struct result *r);
/* Frees the runs' histograms and owned merged ones. */
void result_free_hists(struct result *r);
/* A histogram on the heap (hist_init); NULL if out of memory or bad params. */
struct hist *result_hist_new(unsigned int sub_bits, unsigned int max_bits);
void result_hist_delete(struct hist *h);

/*
 * The cell's name: "inkernel-single-64K-t2"; for extended cells every
 * identity field, "kmod-sg-4K-n8-t2-pci-bidir" plus -bitsN, -nodeN,
 * -target-barN / -p2pmem-barN and attribute names when they apply.
 */
void result_cell_name(const struct cell *c, char *buf, size_t len);
/* result_cell_name + ".json" */
void result_file_name(const struct cell *c, char *buf, size_t len);

/* Writes the whole result document; returns 0 or -1 (I/O or writer misuse). */
int result_write(FILE *f, const struct env *e, const struct result *r);

/* ---- reading results back (compare) ---- */

struct loaded_metric {
	char name[RESULT_NAME_MAX];
	char unit[RESULT_NAME_MAX];
	int lower_is_better;		/* 1 lower, 0 higher, -1 unknown */
	double resolution_ns;
	size_t nruns;
	double run_means[RESULT_MAX_RUNS];	/* non-null run means */
	size_t np50, np99;			/* runs with a per-run p50 / p99 */
	double run_p50[RESULT_MAX_RUNS];
	double run_p99[RESULT_MAX_RUNS];
};

struct loaded_result {
	char path[512];
	char engine[CFG_NAME_MAX], mode[CFG_NAME_MAX], dir[24];
	uint64_t size;
	unsigned int threads, dma_bits;
	size_t nmetrics;
	struct loaded_metric m[RESULT_MAX_METRICS];
	char *env[ENV_NKEYS];		/* string form of known env values, or NULL */
	/*
	 * The whole cell as written (identity fields; node is INT_MIN when the
	 * file has none), for matching and naming.
	 */
	struct cell cell;
	int unsupported;		/* "status": "unsupported" */
	char status_detail[256];
};

/* Reads and validates one result file; -1 with a message naming the file. */
int result_read(const char *path, struct loaded_result *out, char *err, size_t errlen);
/* The same on a file's text in memory; NAME stands for the path in messages. */
int result_parse(const char *name, const char *buf, size_t len, struct loaded_result *out,
		 char *err, size_t errlen);
void result_loaded_free(struct loaded_result *lr);

#endif
