/*
 * The "kmod" engine: our benchmark module, /dev/dmabench
 * (microbench-kmod/, uAPI include/dmabench_ioctl.h).  These pieces are
 * exported so that tests can check the request and the conversion of the
 * module's answer without a module.
 */
#ifndef DMABENCH_ENGINE_KMOD_H
#define DMABENCH_ENGINE_KMOD_H

#include <stddef.h>

#include "dmabench_ioctl.h"
#include "result.h"

/* Metric order of this engine's results: the module's phases. */
enum { KMOD_MAP = DMABENCH_PHASE_MAP, KMOD_UNMAP = DMABENCH_PHASE_UNMAP,
       KMOD_MAP_UNMAP = DMABENCH_PHASE_MAP_UNMAP, KMOD_NMETRICS = DMABENCH_NR_PHASES };

/* Checks a cell against the module's limits and marks it extended. */
int kmod_check_cell(struct cell *cell, char *err, size_t errlen);
/* The ioctl argument for a checked cell, answering into res. */
void kmod_fill_request(const struct cell *cell, struct dmabench_run *req,
		       struct dmabench_results *res);
/*
 * Completes PCI cells from the module's INFO answer: a cell without DEVICE
 * gets the one bound device; a named device must be bound, a target BAR
 * must hold size bytes, and p2pmem cells need a reachable provider.  0, or
 * ENGINE_UNAVAILABLE / ENGINE_BADINPUT.
 */
int kmod_setup_cells(const struct dmabench_info *info, struct cell *cells, size_t n,
		     char *err, size_t errlen);
/*
 * Checks the module's answer to req and converts it into one run: per
 * phase n, mean, op_stddev (exact, from sum and sum of squares), min, max,
 * ops/s (pairs per second of wall time, the same for the three phases),
 * the histogram (allocated into out->hist[]) and the struct's fields
 * verbatim in raw.  -1 with the reason for an answer that is not a
 * complete run (results.status != 0, inconsistent or foreign layout).
 */
int kmod_to_run(const struct dmabench_results *res, const struct dmabench_run *req,
		struct run_record *out, char *err, size_t errlen);
/*
 * After the runs: engine_params batch (the module's, when every run
 * agrees) and timer_overhead_ns (the largest of the runs), the IOMMU
 * domain (when every run agrees) and the timer overhead share
 * 2 * timer_overhead_ns / (batch * map+unmap mean).
 */
void kmod_finish(struct result *r);

#endif
