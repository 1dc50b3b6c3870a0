/*
 * libFuzzer target: the importers of "dmabench import" (fio json+,
 * perftest ib_*_bw, workloads/rdma-dmabuf output). The first byte picks
 * the format, the rest is the tool's output. Built and run by
 * "make -C bench fuzz-parsers".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result r;
	struct cell cell;
	char err[512], *text;
	size_t i;

	if (size < 1)
		return 0;
	text = malloc(size);		/* import_run takes a C string */
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(&r, 0, sizeof(r));
	memset(&cell, 0, sizeof(cell));
	import_run((enum import_format)(data[0] % IMPORT_NFORMATS), text, size - 1, &cell,
		   &r.runs[0], &r, err, sizeof(err));
	for (i = 0; i < sizeof(r.runs[0].hist) / sizeof(r.runs[0].hist[0]); i++)
		result_hist_delete(r.runs[0].hist[i]);
	free(text);
	return 0;
}
