/*
 * LD_PRELOAD stand-in for /sys/kernel/debug/dma_map_benchmark, so that the
 * whole "dmabench run" path (ioctl, progress, result files, summary) can be
 * tested on a machine without the kernel benchmark.  It checks the request
 * the way kernel/dma/map_benchmark.c does and answers at once with
 * made-up but deterministic figures:
 *   avg_map_100ns   = 2 + granule / 16 + (call number % 2)
 *   map_stddev      = 1
 *   avg_unmap_100ns = 3 + granule / 16
 *   unmap_stddev    = 1
 * FAKE_DMA_FAIL_AT=N makes the N-th ioctl (1-based) fail with EINVAL.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "map_benchmark_abi.h"

static int fake_fd = -1;
static int calls;

int access(const char *path, int mode)
{
	int (*real)(const char *, int) = (int (*)(const char *, int))dlsym(RTLD_NEXT, "access");

	if (!strcmp(path, DMA_MAP_BENCHMARK_PATH))
		return 0;
	return real(path, mode);
}

int open(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) =
		(int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	mode_t mode = 0;
	va_list ap;

	if (!strcmp(path, DMA_MAP_BENCHMARK_PATH)) {
		fake_fd = real("/dev/null", O_RDWR);
		return fake_fd;
	}
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return real(path, flags, mode);
}

int ioctl(int fd, unsigned long req, ...)
{
	int (*real)(int, unsigned long, ...) =
		(int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	const char *fail_at = getenv("FAKE_DMA_FAIL_AT");
	struct map_benchmark *mb;
	va_list ap;

	va_start(ap, req);
	mb = va_arg(ap, struct map_benchmark *);
	va_end(ap);
	if (fd != fake_fd || fd < 0)
		return real(fd, req, mb);
	calls++;
	if (req != DMA_MAP_BENCHMARK || (fail_at && atoi(fail_at) == calls) ||
	    mb->threads < 1 || mb->threads > DMA_MAP_BENCHMARK_MAX_THREADS ||
	    mb->seconds < 1 || mb->seconds > DMA_MAP_BENCHMARK_MAX_SECONDS ||
	    mb->granule < 1 || mb->granule > DMA_MAP_BENCHMARK_MAX_GRANULE ||
	    mb->dma_dir > 2 || mb->dma_bits < 20 || mb->dma_bits > 64) {
		errno = EINVAL;
		return -1;
	}
	mb->avg_map_100ns = 2 + mb->granule / 16 + (unsigned int)(calls % 2);
	mb->map_stddev = 1;
	mb->avg_unmap_100ns = 3 + mb->granule / 16;
	mb->unmap_stddev = 1;
	return 0;
}
