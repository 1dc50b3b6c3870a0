/*
 * Benchmark engines: one ops table per way of measuring (the in-tree
 * kernel benchmark, later our own module), in the style of fio's engines.
 */
#ifndef DMABENCH_ENGINE_H
#define DMABENCH_ENGINE_H

#include <stddef.h>

#include "result.h"

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
	/* Runs the cell once.  -1 with a reason means the measurement failed. */
	int (*run_once)(const struct cell *cell, struct run_record *out,
			char *err, size_t errlen);
};

extern const struct engine engine_inkernel;

/* NULL if there is no engine of that name. */
const struct engine *engine_find(const char *name);
/* "inkernel" (all engine names, blank-separated) */
const char *engine_names(void);

#endif
