#include "engine.h"

#include <stdio.h>
#include <string.h>

static const struct engine *const engines[] = {
	&engine_inkernel,
	&engine_kmod,
	NULL,
};

const struct engine *engine_find(const char *name)
{
	size_t i;

	for (i = 0; engines[i]; i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i];
	return NULL;
}

const char *engine_names(void)
{
	static char names[256];
	size_t i, n = 0;

	if (names[0])
		return names;
	for (i = 0; engines[i]; i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? " " : "",
				      engines[i]->name);
	return names;
}
