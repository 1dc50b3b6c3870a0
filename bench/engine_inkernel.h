/*
 * The "inkernel" engine: Linux's built-in dma_map_benchmark.  These pieces
 * are exported so that tests can check the kernel ABI handling without a
 * kernel.
 */
#ifndef DMABENCH_ENGINE_INKERNEL_H
#define DMABENCH_ENGINE_INKERNEL_H

#include <stddef.h>

#include "map_benchmark_abi.h"
#include "result.h"

/* Metric order of this engine's results. */
enum { INKERNEL_MAP, INKERNEL_UNMAP, INKERNEL_MAP_UNMAP, INKERNEL_NMETRICS };

/* Cell checks for a given page size (testable without sysconf). */
int inkernel_check_cell(struct cell *cell, long page_size, char *err, size_t errlen);
/* The ioctl argument for a checked cell. */
void inkernel_fill_request(const struct cell *cell, struct map_benchmark *mb);
/*
 * Converts the kernel's answer into one run: means and stddevs in ns
 * (x100: the kernel truncates each operation to 100 ns units), map+unmap as
 * the sum of the means, and the four output fields verbatim in raw.  Op
 * counts, min, max and ops/s are not reported by the kernel: NAN (null).
 */
void inkernel_to_run(const struct map_benchmark *mb, struct run_record *out);

#endif
