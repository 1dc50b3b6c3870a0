/*
 * Benchmark engines: one ops table per way of measuring (the in-tree
 * kernel benchmark, later our own module), in the style of fio's engines.
 */
#ifndef DMABENCH_ENGINE_H
#define DMABENCH_ENGINE_H

#include <stddef.h>

#include "config.h"
#include "result.h"

/* run_once: the engine cannot run this cell here (EOPNOTSUPP): not a failure */
#define ENGINE_UNSUPPORTED	1
/* setup's failures: the exit codes 3 and 2 of the run command */
#define ENGINE_UNAVAILABLE	(-1)
#define ENGINE_BADINPUT		(-2)

struct engine {
	const char *name;
	const char *summary;
	/* Mapping modes this engine can measure, NULL-terminated. */
	const char *const *modes;
	/*
	 * Checks that the engine can run on this system.  Returns 0, or -1 with
	 * the reason in err (the command then exits 3: unavailable here).
	 */
	int (*probe)(char *err, size_t errlen);
	/*
	 * Validates a cell against the engine's limits and records derived
	 * parameters in cell->params.  -1 with a reason means bad input (exit 2).
	 */
	int (*check_cell)(struct cell *cell, char *err, size_t errlen);
	/* Names the metrics, unit and resolution of a fresh result. */
	void (*describe)(struct result *r);
	/*
	 * Runs the cell once.  -1 with a reason means the measurement failed;
	 * ENGINE_UNSUPPORTED with a reason that this system cannot run the
	 * cell at all (written as an "unsupported" result, the run goes on).
	 */
	int (*run_once)(const struct cell *cell, struct run_record *out,
			char *err, size_t errlen);

	/* Optional (NULL: not needed). */

	/* Whether a mode takes sg entries: one cell per NENTS value. */
	int (*takes_nents)(const char *mode);
	/*
	 * After probe, before the first run: asks the system what the cells
	 * need (e.g. which device is bound) and completes them.  0, or
	 * ENGINE_UNAVAILABLE (exit 3) / ENGINE_BADINPUT (exit 2) with a reason.
	 */
	int (*setup)(struct cell *cells, size_t n, char *err, size_t errlen);
	/* After result_aggregate: derived and observed cell fields. */
	void (*finish)(struct result *r);
};

extern const struct engine engine_inkernel;
extern const struct engine engine_kmod;

/* NULL if there is no engine of that name. */
const struct engine *engine_find(const char *name);
/* "inkernel kmod" (all engine names, blank-separated) */
const char *engine_names(void);

#endif
