/*
 * libFuzzer target: the result-file reader behind "dmabench compare",
 * "export" and "make report" (SCHEMA.md), from the JSON parser up. The
 * input is handed over as exactly its bytes, with no terminating NUL, so
 * a read past the end is caught. Built and run by
 * "make -C bench fuzz-parsers".
 */
#include <stdint.h>
#include <stdlib.h>

#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct loaded_result lr;
	char err[512];

	if (result_parse("fuzz.json", (const char *)data, size, &lr, err, sizeof(err)) == 0)
		result_loaded_free(&lr);
	else if (!err[0])
		abort();	/* a refusal must say why */
	return 0;
}
