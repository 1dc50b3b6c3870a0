#include "engine_inkernel.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"

static const char *const modes[] = { "single", NULL };

static int probe(char *err, size_t errlen)
{
	if (access(DMA_MAP_BENCHMARK_PATH, R_OK | W_OK) == 0)
		return 0;
	if (errno == ENOENT)
		snprintf(err, errlen, "%s does not exist: the inkernel engine needs a kernel "
			 "with CONFIG_DMA_MAP_BENCHMARK=y, debugfs mounted on /sys/kernel/debug, "
			 "and a device bound to the dma_map_benchmark driver (driver_override)",
			 DMA_MAP_BENCHMARK_PATH);
	else
		snprintf(err, errlen, "%s: %s (the inkernel engine needs root)",
			 DMA_MAP_BENCHMARK_PATH, strerror(errno));
	return -1;
}

int inkernel_check_cell(struct cell *c, long page_size, char *err, size_t errlen)
{
	uint64_t granule;

	if (strcmp(c->mode, "single") != 0) {
		snprintf(err, errlen, "engine inkernel supports only mode 'single' (the in-tree "
			 "benchmark times dma_map_single), not '%s'", c->mode);
		return -1;
	}
	if (c->iterations) {
		snprintf(err, errlen, "engine inkernel runs for SECONDS, not ITERATIONS");
		return -1;
	}
	if (c->batch || c->target || c->has_device || c->bar_dev || c->attrs) {
		snprintf(err, errlen, "engine inkernel takes none of BATCH TARGET DEVICE BAR ATTRS "
			 "(keys of engine kmod)");
		return -1;
	}
	if (page_size <= 0 || c->size == 0 || c->size % (uint64_t)page_size) {
		snprintf(err, errlen, "size %llu is not a multiple of the page size %ld",
			 (unsigned long long)c->size, page_size);
		return -1;
	}
	granule = c->size / (uint64_t)page_size;
	if (granule > DMA_MAP_BENCHMARK_MAX_GRANULE) {
		snprintf(err, errlen, "size %llu is %llu pages; the kernel allows at most %d",
			 (unsigned long long)c->size, (unsigned long long)granule,
			 DMA_MAP_BENCHMARK_MAX_GRANULE);
		return -1;
	}
	if (c->threads < 1 || c->threads > DMA_MAP_BENCHMARK_MAX_THREADS ||
	    c->seconds < 1 || c->seconds > DMA_MAP_BENCHMARK_MAX_SECONDS ||
	    c->trans_ns > DMA_MAP_BENCHMARK_MAX_TRANS_NS || c->dir < 0 || c->dir > 2 ||
	    c->dma_bits < 20 || c->dma_bits > 64 || c->node < DMA_MAP_BENCHMARK_NO_NODE) {
		snprintf(err, errlen, "cell outside the kernel's limits (threads 1..%d, seconds "
			 "1..%d, trans_ns <= %d, dma_bits 20..64)", DMA_MAP_BENCHMARK_MAX_THREADS,
			 DMA_MAP_BENCHMARK_MAX_SECONDS, DMA_MAP_BENCHMARK_MAX_TRANS_NS);
		return -1;
	}
	c->nparams = 0;
	c->params[c->nparams++] = (struct result_kv){ "granule", granule };
	c->params[c->nparams++] = (struct result_kv){ "page_size", (unsigned long long)page_size };
	return 0;
}

static int check_cell(struct cell *c, char *err, size_t errlen)
{
	return inkernel_check_cell(c, sysconf(_SC_PAGESIZE), err, errlen);
}

void inkernel_fill_request(const struct cell *c, struct map_benchmark *mb)
{
	size_t i;

	memset(mb, 0, sizeof(*mb));
	mb->threads = c->threads;
	mb->seconds = c->seconds;
	mb->node = c->node;
	mb->dma_bits = c->dma_bits;
	mb->dma_dir = (__u32)c->dir;
	mb->dma_trans_ns = c->trans_ns;
	for (i = 0; i < c->nparams; i++)
		if (!strcmp(c->params[i].key, "granule"))
			mb->granule = (__u32)c->params[i].val;
}

static void describe(struct result *r)
{
	r->nmetrics = INKERNEL_NMETRICS;
	strcpy(r->names[INKERNEL_MAP], "map");
	strcpy(r->names[INKERNEL_UNMAP], "unmap");
	strcpy(r->names[INKERNEL_MAP_UNMAP], "map+unmap");
	r->unit = "ns";
	r->better = "lower";
	r->resolution_ns = 100;
}

static void unknown_counts(struct run_metric *m)
{
	m->n = m->min = m->max = m->ops_per_s = NAN;
}

void inkernel_to_run(const struct map_benchmark *mb, struct run_record *out)
{
	struct run_metric *map = &out->m[INKERNEL_MAP];
	struct run_metric *unmap = &out->m[INKERNEL_UNMAP];
	struct run_metric *both = &out->m[INKERNEL_MAP_UNMAP];

	memset(out, 0, sizeof(*out));
	map->mean = (double)mb->avg_map_100ns * 100.0;
	map->op_stddev = (double)mb->map_stddev * 100.0;
	unmap->mean = (double)mb->avg_unmap_100ns * 100.0;
	unmap->op_stddev = (double)mb->unmap_stddev * 100.0;
	both->mean = map->mean + unmap->mean;
	both->op_stddev = NAN;	/* needs the map/unmap covariance, not reported */
	unknown_counts(map);
	unknown_counts(unmap);
	unknown_counts(both);
	out->raw[0] = (struct result_kv){ "avg_map_100ns", mb->avg_map_100ns };
	out->raw[1] = (struct result_kv){ "map_stddev", mb->map_stddev };
	out->raw[2] = (struct result_kv){ "avg_unmap_100ns", mb->avg_unmap_100ns };
	out->raw[3] = (struct result_kv){ "unmap_stddev", mb->unmap_stddev };
	out->nraw = 4;
}

/*
 * swiotlb bounces one mapping through at most 128 slots of 2 KiB. With
 * swiotlb=force a larger dma_map_single() fails with ENOMEM every time: that
 * cell cannot run in this boot, which is not a failed measurement.
 */
#define SWIOTLB_MAX_MAPPING	(128u * 2048u)

static int swiotlb_forced(void)
{
	char line[4096];
	FILE *f = fopen("/proc/cmdline", "r");
	int forced = 0;

	if (f && fgets(line, sizeof(line), f))
		forced = strstr(line, "swiotlb=force") != NULL;
	if (f)
		fclose(f);
	return forced;
}

static int run_once(const struct cell *c, struct run_record *out, char *err, size_t errlen)
{
	struct map_benchmark mb;
	int fd, saved;

	fd = open(DMA_MAP_BENCHMARK_PATH, O_RDWR);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", DMA_MAP_BENCHMARK_PATH, strerror(errno));
		return -1;
	}
	inkernel_fill_request(c, &mb);
	if (ioctl(fd, DMA_MAP_BENCHMARK, &mb) != 0) {
		saved = errno;
		close(fd);
		if (saved == ENOMEM && c->size > SWIOTLB_MAX_MAPPING && swiotlb_forced()) {
			snprintf(err, errlen, "DMA_MAP_BENCHMARK ioctl: %s (above the %u-byte swiotlb "
				 "mapping limit, and this boot has swiotlb=force)",
				 strerror(saved), SWIOTLB_MAX_MAPPING);
			return ENGINE_UNSUPPORTED;
		}
		snprintf(err, errlen, "DMA_MAP_BENCHMARK ioctl: %s%s", strerror(saved),
			 saved == EINVAL ? " (the kernel rejected the parameters or could not "
			 "set the DMA mask; see dmesg)" : "");
		return -1;
	}
	close(fd);
	inkernel_to_run(&mb, out);
	return 0;
}

const struct engine engine_inkernel = {
	.name = "inkernel",
	.summary = "Linux's built-in dma_map_benchmark (debugfs ioctl): dma_map_single, "
		   "mean and stddev in 100 ns units",
	.modes = modes,
	.probe = probe,
	.check_cell = check_cell,
	.describe = describe,
	.run_once = run_once,
};
