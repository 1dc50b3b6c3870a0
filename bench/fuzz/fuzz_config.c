/*
 * libFuzzer target: the bench config parser (the files in bench/configs/, and
 * every --config the CLI reads). Any input must give 0 or -1 with a
 * message, never a crash, a hang or a leak (AddressSanitizer and UBSan
 * watch). Built and run by "make -C bench fuzz-parsers".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench_config c;
	char err[512];
	char *text = malloc(size + 1);	/* config_parse takes a C string */

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_defaults(&c);
	if (config_parse(&c, "fuzz", text, err, sizeof(err)) != 0 && !err[0])
		abort();	/* a refusal must say why */
	free(text);
	return 0;
}
