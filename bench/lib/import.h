/*
 * Importers: one run's output of a workload tool (fio --output-format=json+,
 * perftest ib_*_bw, workloads/rdma-dmabuf) turned into a run of a result
 * (SCHEMA.md, "Workload results").  Each parser reads the cell's identity
 * from the tool's own output, so runs of different cells cannot be mixed.
 */
#ifndef DMABENCH_IMPORT_H
#define DMABENCH_IMPORT_H

#include <stddef.h>

#include "result.h"

enum import_format { IMPORT_FIO, IMPORT_PERFTEST, IMPORT_RDMA_DMABUF, IMPORT_NFORMATS };

/* import_run's results besides 0 */
#define IMPORT_UNSUPPORTED	1	/* the tool said this system cannot run it */
#define IMPORT_BADINPUT		(-1)	/* not the format, or a cell we do not import */
#define IMPORT_FAILED		(-2)	/* the run failed: an error, no data, no verify */

/* "fio" "perftest" "rdma-dmabuf"; -1 for an unknown name */
int import_format_from_name(const char *name);
const char *import_format_name(enum import_format f);

/*
 * Parses one run's output (text, len bytes, NUL-terminated) into *cell (its
 * identity, engine = the format name) and *run (metrics, raw integers and,
 * for latency, a histogram owned by the caller), and names the metrics of
 * r (nmetrics, names, units, betters).  An unsupported run fills cell and
 * detail only.  Returns 0, IMPORT_UNSUPPORTED, IMPORT_BADINPUT or
 * IMPORT_FAILED; err (or detail) says why.
 */
int import_run(enum import_format f, const char *text, size_t len, struct cell *cell,
	       struct run_record *run, struct result *r, char *err, size_t errlen);

#endif
