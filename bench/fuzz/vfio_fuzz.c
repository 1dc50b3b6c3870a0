/*
 * dmabench-vfio-fuzz: fires VFIO_DEVICE_FEATURE_DMA_BUF requests, random,
 * boundary and structure-aware, at a device bound to vfio-pci, and checks
 * each result against what the uAPI promises: the errno of the first rule
 * the request breaks, 0 for a probe, and for a good request a dma-buf fd
 * whose size is the sum of the ranges. Every mismatch is reported.
 *
 * The rules, in the order the kernel applies them (vfio core, then
 * vfio_check_feature(), then vfio-pci): argsz below the header, unknown
 * flag bits, GET with SET without PROBE, SET at all: EINVAL; PROBE: 0; no
 * GET: EINVAL; then flags, nr_ranges 0, argsz short of nr_ranges ranges,
 * open_flags beyond an access mode and O_CLOEXEC (or O_ACCMODE itself), a
 * region past BAR5, more ranges than the BAR has pages, a BAR that is not
 * memory, and a range that is empty, unaligned, wrapping or past the BAR's
 * end: EINVAL. The argument lives in a zeroed 64 KiB buffer, so ranges
 * that argsz claims but the case did not write are zero, hence empty.
 *
 * Reproducible: case I comes from the seed (printed) and I alone, so
 * --seed S --start I -n 1 fires it again; each input is also written to
 * the --save file before its call, and --replay FILE fires that file.
 *
 * --make-it-fail (debug kernels, with failslab or fail_page_alloc set to
 * task-filter): only the ioctl itself is marked for failure, and besides
 * the modelled result an ENOMEM is accepted; the run counts them.
 *
 * Usage: dmabench-vfio-fuzz --bdf DDDD:BB:DD.F [-n CASES] [--seed S]
 *        [--start I] [--save FILE] | --bdf B --replay FILE
 * Exit status: 0 every check passed, 1 a check failed, 2 usage or setup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "../../microbench-kmod/tools/vfio-export.h"

#ifndef VFIO_DEVICE_FEATURE_DMA_BUF
#define VFIO_DEVICE_FEATURE_DMA_BUF 11
#endif

#define DEFAULT_SEED	0x7666696f646d6162ull	/* "vfiodmab" */
#define MAX_RANGES	8			/* written by a case */
#define ARG_BYTES	65536
#define PAGE		4096ull
#define HDR		8u			/* struct vfio_device_feature */
#define GET_HDR		16u			/* struct vfio_device_feature_dma_buf */
#define FLAG_MASK	0xffffu
#define FLAG_GET	(1u << 16)
#define FLAG_SET	(1u << 17)
#define FLAG_PROBE	(1u << 18)

struct vcase {
	uint32_t fflags, argsz;
	uint32_t region, open_flags, flags, nr;
	uint32_t given;				/* ranges written */
	uint64_t off[MAX_RANGES], len[MAX_RANGES];
	char what[96];
};

struct bars {
	uint64_t len[6];
	int mem[6];
};

static uint64_t rng;
static int fail_fd = -1;		/* /proc/self/make-it-fail, or -1 */
static uint64_t injected;		/* ENOMEMs accepted under injection */

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void seed_case(uint64_t seed, uint64_t i)
{
	uint64_t z = seed + (i + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	rng = (z ^ (z >> 31)) | 1;
}

/* The device's BARs: size from region info, memory or I/O from config. */
static int read_bars(struct vfio_owner *o, struct bars *b)
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		struct vfio_region_info info = { .argsz = sizeof(info), .index = i };
		uint32_t reg;

		if (ioctl(o->device, VFIO_DEVICE_GET_REGION_INFO, &info) ||
		    pread(o->device, &reg, 4, (off_t)(o->config_offset +
						      PCI_BASE_ADDRESS_0 + 4 * i)) != 4)
			return -1;
		b->len[i] = info.size;
		b->mem[i] = info.size && !(reg & PCI_BASE_ADDRESS_SPACE_IO);
	}
	return 0;
}

static int memory_bar(const struct bars *b)
{
	int i, best = -1;

	for (i = 0; i < 6; i++)
		if (b->mem[i] && (best < 0 || b->len[i] > b->len[best]))
			best = i;
	return best;
}

/* A good request: 1..4 page-aligned ranges inside a memory BAR. */
static void good_case(struct vcase *c, const struct bars *b, int bar)
{
	uint64_t pages = b->len[bar] / PAGE;
	uint32_t i;

	memset(c, 0, sizeof(*c));
	c->fflags = FLAG_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	c->region = (uint32_t)bar;
	c->open_flags = (uint32_t)below(3) | (below(2) ? O_CLOEXEC : 0);
	c->nr = c->given = 1 + (uint32_t)below(4);
	for (i = 0; i < c->nr; i++) {
		uint64_t first = below(pages), n = 1 + below(pages - first);

		c->off[i] = first * PAGE;
		c->len[i] = n * PAGE;
	}
	c->argsz = HDR + GET_HDR + c->nr * 16;
}

static const uint64_t bound64[] = {
	0, 1, PAGE - 1, PAGE, PAGE + 1, 0x7fffffffull, 0x80000000ull,
	0xffffffffull, 1ull << 32, 1ull << 63, UINT64_MAX, UINT64_MAX - PAGE + 1,
};
#define NB64 (sizeof(bound64) / sizeof(bound64[0]))

/* One field of a good request changed to a boundary or random value. */
static void mutate(struct vcase *c, const struct bars *b, int bar)
{
	uint32_t k = (uint32_t)below(MAX_RANGES);
	uint64_t v = below(2) ? bound64[below(NB64)] : rnd();

	switch (below(10)) {
	case 0:
		/* a flag bit: the feature index stays DMA_BUF, see model() */
		c->fflags ^= 1u << (16 + below(16));
		snprintf(c->what, sizeof(c->what), "feature flags %#x", c->fflags);
		break;
	case 1:
		c->argsz = below(2) ? (uint32_t)below(HDR + GET_HDR + 64) : (uint32_t)v;
		snprintf(c->what, sizeof(c->what), "argsz %u", c->argsz);
		break;
	case 2:
		c->region = below(2) ? (uint32_t)below(12) : (uint32_t)v;
		snprintf(c->what, sizeof(c->what), "region %u", c->region);
		break;
	case 3:
		c->open_flags = below(2) ? 1u << below(32) : (uint32_t)v;
		snprintf(c->what, sizeof(c->what), "open_flags %#x", c->open_flags);
		break;
	case 4:
		c->flags = below(2) ? 1u << below(32) : (uint32_t)v | 1;
		snprintf(c->what, sizeof(c->what), "flags %#x", c->flags);
		break;
	case 5: {
		static const uint32_t nrs[] = { 0, 2, 9, 511, 512, 513, 0x10000, 0x7fffffff,
						0x80000000u, UINT32_MAX };

		c->nr = nrs[below(sizeof(nrs) / sizeof(nrs[0]))];
		if (below(2))
			c->argsz = HDR + GET_HDR + (c->nr <= MAX_RANGES ? c->nr : MAX_RANGES) * 16;
		snprintf(c->what, sizeof(c->what), "nr_ranges %u argsz %u", c->nr, c->argsz);
		break;
	}
	case 6:
	case 7:
		if (k >= c->given)
			k = c->given - 1;
		if (below(2))
			c->off[k] = below(3) ? c->off[k] + below(PAGE) : v;
		else
			c->len[k] = below(3) ? below(b->len[bar] + 2 * PAGE) : v;
		snprintf(c->what, sizeof(c->what), "range %u: offset %#" PRIx64 " length %#" PRIx64,
			 k, c->off[k], c->len[k]);
		break;
	case 8:
		c->fflags = (c->fflags & FLAG_MASK) | (uint32_t)(below(8) << 16);
		snprintf(c->what, sizeof(c->what), "feature flags %#x", c->fflags);
		break;
	default:
		/* a range at or past the end of the BAR */
		if (k >= c->given)
			k = c->given - 1;
		c->off[k] = b->len[bar] - (below(2) ? 0 : PAGE);
		c->len[k] = PAGE * (1 + below(3));
		snprintf(c->what, sizeof(c->what), "range %u at the BAR's end: %#" PRIx64 "+%#" PRIx64,
			 k, c->off[k], c->len[k]);
		break;
	}
}

static void make_case(struct vcase *c, const struct bars *b, int bar, uint64_t seed, uint64_t i)
{
	unsigned int n;

	seed_case(seed, i);
	good_case(c, b, bar);
	switch (below(8)) {
	case 0:
		snprintf(c->what, sizeof(c->what), "valid, %u range%s", c->nr, c->nr > 1 ? "s" : "");
		return;
	case 1:
		c->fflags |= FLAG_PROBE;
		snprintf(c->what, sizeof(c->what), "probe");
		if (below(2))
			mutate(c, b, bar);
		return;
	default:
		for (n = 1 + (unsigned int)below(2); n; n--)
			mutate(c, b, bar);
	}
}

/* The errno the rules give, 0 for success (an fd unless probing). */
static int model(const struct vcase *c, const struct bars *b)
{
	uint64_t rem, need, end;
	uint32_t i, f = c->fflags;

	if (c->argsz < HDR)
		return EINVAL;
	if (f & ~(FLAG_MASK | FLAG_GET | FLAG_SET | FLAG_PROBE))
		return EINVAL;
	if (!(f & FLAG_PROBE) && (f & FLAG_GET) && (f & FLAG_SET))
		return EINVAL;
	if ((f & FLAG_MASK) != VFIO_DEVICE_FEATURE_DMA_BUF)
		return -1;		/* another feature: not modelled */
	if (f & FLAG_SET)
		return EINVAL;
	if (f & FLAG_PROBE)
		return 0;
	if (!(f & FLAG_GET))
		return EINVAL;
	rem = c->argsz - HDR;
	if (rem < GET_HDR)
		return EINVAL;
	need = GET_HDR + (uint64_t)c->nr * 16;
	if (c->flags || !c->nr || rem < need)
		return EINVAL;
	if ((c->open_flags & ~(uint32_t)(O_ACCMODE | O_CLOEXEC)) ||
	    (c->open_flags & O_ACCMODE) == O_ACCMODE)
		return EINVAL;
	if (c->region > 5 || c->nr > b->len[c->region] / PAGE || !b->mem[c->region])
		return EINVAL;
	for (i = 0; i < c->nr; i++) {
		uint64_t off = i < c->given ? c->off[i] : 0, len = i < c->given ? c->len[i] : 0;

		if (!len || off % PAGE || len % PAGE || __builtin_add_overflow(off, len, &end) ||
		    end > b->len[c->region])
			return EINVAL;
	}
	return 0;
}

static uint64_t total_len(const struct vcase *c)
{
	uint64_t t = 0;
	uint32_t i;

	for (i = 0; i < c->nr && i < c->given; i++)
		t += c->len[i];
	return t;
}

static long long fd_size(int fd)
{
	char path[64], line[128];
	long long size = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "size: %lld", &size) == 1)
			break;
	fclose(f);
	return size;
}

static int save_case(const char *path, uint64_t seed, uint64_t i, const struct vcase *c)
{
	FILE *f;
	uint32_t k;

	if (!path)
		return 0;
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "# dmabench-vfio-fuzz input: --replay THIS_FILE; seed %#" PRIx64 " case %" PRIu64
		"\n%u %u %u %u %u %u %u", seed, i, c->fflags, c->argsz, c->region, c->open_flags,
		c->flags, c->nr, c->given);
	for (k = 0; k < c->given; k++)
		fprintf(f, " %" PRIu64 " %" PRIu64, c->off[k], c->len[k]);
	fprintf(f, "\n");
	fflush(f);
	fdatasync(fileno(f));
	return fclose(f);
}

static int load_case(const char *path, struct vcase *c)
{
	FILE *f = fopen(path, "r");
	char line[256];
	uint32_t k;
	int ok;

	memset(c, 0, sizeof(*c));
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	ok = fscanf(f, "%u %u %u %u %u %u %u", &c->fflags, &c->argsz, &c->region, &c->open_flags,
		    &c->flags, &c->nr, &c->given) == 7 && c->given <= MAX_RANGES;
	for (k = 0; ok && k < c->given; k++)
		ok = fscanf(f, "%" SCNu64 " %" SCNu64, &c->off[k], &c->len[k]) == 2;
	fclose(f);
	snprintf(c->what, sizeof(c->what), "replay of %s", path);
	return ok ? 0 : -1;
}

/* Fires one case; 0 if the kernel did what the model says. */
static int fire(struct vfio_owner *o, const struct bars *b, unsigned char *arg,
		const struct vcase *c, uint64_t i, int verbose)
{
	struct vfio_device_feature *feature = (void *)arg;
	struct vfio_device_feature_dma_buf_hdr {
		uint32_t region_index, open_flags, flags, nr_ranges;
	} *get = (void *)feature->data;
	uint64_t *ranges = (uint64_t *)(get + 1);
	int want = model(c, b), got, ret;
	uint32_t k;

	if (want < 0) {
		printf("skip - case %" PRIu64 " (%s): another feature, not fired\n", i, c->what);
		return 0;
	}
	memset(arg, 0, ARG_BYTES);
	feature->argsz = c->argsz;
	feature->flags = c->fflags;
	get->region_index = c->region;
	get->open_flags = c->open_flags;
	get->flags = c->flags;
	get->nr_ranges = c->nr;
	for (k = 0; k < c->given; k++) {
		ranges[2 * k] = c->off[k];
		ranges[2 * k + 1] = c->len[k];
	}
	if (fail_fd >= 0 && pwrite(fail_fd, "1", 1, 0) != 1)
		return 1;
	ret = ioctl(o->device, VFIO_DEVICE_FEATURE, feature);
	got = ret < 0 ? errno : 0;
	if (fail_fd >= 0 && pwrite(fail_fd, "0", 1, 0) != 1)
		return 1;
	if (fail_fd >= 0 && got == ENOMEM && got != want) {
		/* an injected failure, reported as such: fine */
		injected++;
		return 0;
	}
	if (got != want) {
		printf("not ok - case %" PRIu64 " (%s): got %s, want %s\n", i, c->what,
		       got ? strerror(got) : "success", want ? strerror(want) : "success");
		if (ret > 0)
			close(ret);
		return 1;
	}
	if (ret > 0) {
		long long size = fd_size(ret);

		close(ret);
		if ((c->fflags & FLAG_PROBE) || size != (long long)total_len(c)) {
			printf("not ok - case %" PRIu64 " (%s): fd %d of size %lld, want %s%" PRIu64 "\n",
			       i, c->what, ret, size, c->fflags & FLAG_PROBE ? "no fd, " : "",
			       total_len(c));
			return 1;
		}
	} else if (!got && !(c->fflags & FLAG_PROBE)) {
		printf("not ok - case %" PRIu64 " (%s): success without an fd\n", i, c->what);
		return 1;
	}
	if (verbose)
		printf("ok - case %" PRIu64 " (%s): %s\n", i, c->what, got ? strerror(got) : "success");
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: dmabench-vfio-fuzz --bdf DDDD:BB:DD.F [-n CASES] [--seed S] "
		"[--start I] [--save FILE] [--make-it-fail] [-v]\n"
		"       dmabench-vfio-fuzz --bdf DDDD:BB:DD.F --replay FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *bdf = NULL, *save = NULL, *replay = NULL;
	uint64_t seed = DEFAULT_SEED, start = 0, n = 10000, i, ok = 0, bad = 0, accepted = 0;
	uint64_t other = 0;
	struct vfio_owner o;
	unsigned char *arg;
	struct bars b;
	int a, bar, verbose = 0, ret;

	for (a = 1; a < argc; a++) {
		char *end = NULL;

		if (!strcmp(argv[a], "-v"))
			verbose = 1;
		else if (!strcmp(argv[a], "--make-it-fail"))
			fail_fd = -2;
		else if (a + 1 >= argc)
			usage();
		else if (!strcmp(argv[a], "--bdf"))
			bdf = argv[++a];
		else if (!strcmp(argv[a], "--save"))
			save = argv[++a];
		else if (!strcmp(argv[a], "--replay"))
			replay = argv[++a];
		else if (!strcmp(argv[a], "--seed"))
			seed = strtoull(argv[++a], &end, 0);
		else if (!strcmp(argv[a], "--start"))
			start = strtoull(argv[++a], &end, 0);
		else if (!strcmp(argv[a], "-n"))
			n = strtoull(argv[++a], &end, 0);
		else
			usage();
		if (end && *end) {
			fprintf(stderr, "dmabench-vfio-fuzz: '%s' is not a number\n", argv[a]);
			return 2;
		}
	}
	if (!bdf)
		usage();
	ret = vfio_owner_open(&o, bdf);
	if (ret) {
		fprintf(stderr, "dmabench-vfio-fuzz: %s through vfio-pci: %s\n", bdf, strerror(-ret));
		return 2;
	}
	if (read_bars(&o, &b) || (bar = memory_bar(&b)) < 0 || b.len[bar] < 2 * PAGE) {
		fprintf(stderr, "dmabench-vfio-fuzz: %s has no memory BAR of two pages or more\n", bdf);
		return 2;
	}
	arg = calloc(1, ARG_BYTES);
	if (!arg)
		return 2;
	/* everything faulted in and opened first: only the ioctl may fail */
	if (fail_fd == -2) {
		fail_fd = open("/proc/self/make-it-fail", O_WRONLY);
		if (fail_fd < 0 || mlockall(MCL_CURRENT)) {
			perror("dmabench-vfio-fuzz: /proc/self/make-it-fail, mlockall");
			return 2;
		}
	}
	if (replay) {
		struct vcase c;

		if (load_case(replay, &c)) {
			fprintf(stderr, "dmabench-vfio-fuzz: %s is not a saved input\n", replay);
			return 2;
		}
		ret = fire(&o, &b, arg, &c, 0, 1);
		printf("%d passed, %d failed\n", !ret, ret);
		return ret;
	}
	printf("dmabench-vfio-fuzz: %s, BAR %d of %" PRIu64 " bytes; seed %#" PRIx64
	       ", cases %" PRIu64 "..%" PRIu64 "; replay one with --seed %#" PRIx64
	       " --start I -n 1%s%s\n", bdf, bar, b.len[bar], seed, start, start + n - 1, seed,
	       save ? ", or --replay " : "", save ? save : "");
	for (i = start; i < start + n; i++) {
		struct vcase c;

		make_case(&c, &b, bar, seed, i);
		if (save_case(save, seed, i, &c)) {
			fprintf(stderr, "dmabench-vfio-fuzz: cannot save to %s\n", save);
			return 2;
		}
		/*
		 * A flipped bit can name another feature (low power entry,
		 * say), which would change the device under the later cases:
		 * such a case is counted, not fired.
		 */
		if (model(&c, &b) < 0)
			other++;
		else if (fire(&o, &b, arg, &c, i, verbose))
			bad++;
		else
			ok++;
		accepted += model(&c, &b) == 0 && !(c.fflags & FLAG_PROBE);
	}
	vfio_owner_close(&o);
	free(arg);
	printf("dmabench-vfio-fuzz: %" PRIu64 " dma-bufs exported and checked\n", accepted);
	if (fail_fd >= 0)
		printf("dmabench-vfio-fuzz: %" PRIu64 " injected ENOMEMs came back to the caller\n",
		       injected);
	printf("dmabench-vfio-fuzz: %" PRIu64 " cases named another feature and were not fired\n",
	       other);
	printf("%" PRIu64 " passed, %" PRIu64 " failed\n", ok, bad);
	return bad ? 1 : 0;
}
