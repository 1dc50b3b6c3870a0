/*
 * dmabench-fuzz: fires random and invalid ioctls at /dev/dmabench and checks
 * every return against the errno the uAPI promises (include/dmabench_ioctl.h,
 * modelled in kmod_uapi.c): EINVAL for a bad struct, EFAULT for memory the
 * caller cannot give, ENOTTY for an unknown command, EOPNOTSUPP for a mode
 * this build cannot run, ENODEV for a target or BAR that is not there,
 * EPERM without CAP_SYS_ADMIN, success (with a consistent answer) for a
 * valid request. It reports every mismatch, not just the number of calls.
 *
 * Reproducible: the cases come from a fixed seed (printed at start; --seed
 * changes it) through our own xorshift64* generator, case i from its own
 * stream, so --seed S --start I -n 1 fires case I alone. Before each call
 * the input is written (and synced) to a file, so a crash or hang of the
 * kernel can be replayed from it with --replay FILE. Each call runs under
 * an alarm() timeout.
 *
 * Valid requests that would run long (a time limit, many iterations, big
 * buffers) are aimed at an absent PCI device instead: the module must then
 * accept every field and fail only the lookup (ENODEV), which costs nothing.
 *
 * Exit status: 0 all checks passed, 1 a check failed, 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dmabench_ioctl.h"
#include "kmod_uapi.h"

#define DEFAULT_SEED	0x646d6162656e6368ull	/* "dmabench" */
#define DEFAULT_CASES	10000
#define MAX_DETAIL	40		/* mismatches printed in full */
#define MAX_EXPECT	8
#define RUN_SIZE	sizeof(struct dmabench_run)
#define RES_SIZE	sizeof(struct dmabench_results)
#define INFO_SIZE	sizeof(struct dmabench_info)
#define KERNEL_PTR	0xffff888000000000ull	/* x86-64 direct map */
#define HIGH_PTR	(1ull << 56)		/* above every user address space */

/* ---- our own PRNG: splitmix64 seeds xorshift64* ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void rng_seed_case(uint64_t seed, uint64_t index)
{
	uint64_t x = seed ^ (index * 0xd1342543de82ef95ull);

	rng_state = splitmix64(&x);
	if (!rng_state)
		rng_state = 1;
}

/* ---- what a case is ---- */

enum arg_kind { ARG_VALID, ARG_NULL, ARG_HOLE, ARG_STRADDLE, ARG_READONLY, ARG_KERNEL, ARG_NKINDS };
enum res_kind { RES_VALID, RES_HOLE, RES_SHORT, RES_READONLY, RES_LITERAL, RES_NKINDS };

static const char *const arg_names[] = { "valid", "null", "hole", "straddle", "readonly", "kernel" };
static const char *const res_names[] = { "valid", "hole", "short", "readonly", "literal" };

struct fuzz_case {
	uint64_t index;
	char kind[24];			/* random, boundary, mutate, ... */
	char what[96];			/* the field and value, or what was done */
	unsigned long cmd;
	enum arg_kind arg;
	unsigned int straddle;		/* ARG_STRADDLE: bytes past the readable page */
	enum res_kind res;		/* RUN only: where results_ptr points */
	uint64_t res_off;		/* RES_VALID: offset into the results buffer */
	size_t len;			/* bytes of data */
	_Alignas(8) unsigned char data[INFO_SIZE > RUN_SIZE ? INFO_SIZE : RUN_SIZE];
};

struct expect {
	int err[MAX_EXPECT];		/* 0 = success */
	int n;
	int runs;			/* success means a run happened: check its answer */
	int would_run;			/* the module gets as far as running it */
	char why[200];
};

/* ---- the system under test ---- */

struct fuzz {
	const char *dev, *save;
	uint64_t seed, start, count;
	unsigned int timeout;
	int eperm, sync, verbose;
	int fd, save_fd;
	struct dmabench_info info;
	struct kmod_limits lim;
	/* memory for the arguments */
	unsigned char *arg_page;	/* [RW page][PROT_NONE page] */
	unsigned char *ro_page;		/* PROT_READ page */
	unsigned char *res_buf;		/* RES_SIZE + 1 page, RW */
	unsigned char *res_short;	/* pages covering RES_SIZE, the last PROT_NONE */
	unsigned char *res_ro;		/* PROT_READ */
	unsigned char *hole;		/* PROT_NONE: never readable or writable */
	size_t page;
	/* counters */
	uint64_t passed, failed, detailed;
	uint64_t by_errno[256 + 1];	/* [0]: success, [256]: other */
};

static volatile sig_atomic_t timed_out;
static volatile uint64_t current_case;
static char alarm_msg[200];

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (write(2, alarm_msg, strlen(alarm_msg)) < 0)
		timed_out = 2;
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "success";
	case EPERM: return "EPERM";
	case EBADF: return "EBADF";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case EREMOTEIO: return "EREMOTEIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	return NULL;
}

static void format_errno(int e, char *buf, size_t len)
{
	const char *n = errno_name(e);

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "errno %d", e);
}

static void expect_one(struct expect *x, int e)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (x->err[i] == e)
			return;
	if (x->n < MAX_EXPECT)
		x->err[x->n++] = e;
}

static void format_expect(const struct expect *x, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < x->n && n < len; i++) {
		char e[32];

		format_errno(x->err[i], e, sizeof(e));
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "|" : "", e);
	}
}

/* ---- the model: which errno each case must get ---- */

static const struct dmabench_dev_info *bound_dev(const struct fuzz *f, uint32_t domain,
						 uint32_t bdf)
{
	unsigned int i;

	for (i = 0; i < f->info.nr_devices && i < DMABENCH_INFO_MAX_DEVS; i++)
		if (f->info.dev[i].domain == domain && f->info.dev[i].bdf == bdf)
			return &f->info.dev[i];
	return NULL;
}

/* The pointer class of results_ptr for access_ok (x86-64 and arm64 alike). */
static int ptr_definitely_bad(uint64_t p, uint64_t size)
{
	return p >= HIGH_PTR || p + size < p;
}

/*
 * After the static checks: what DMABENCH_IOC_RUN does with a valid struct,
 * in the module's order: access_ok, mode supported, target lookup, BAR or
 * p2pmem lookup, the run, copying the answer out.
 */
static void expect_valid_run(const struct fuzz *f, const struct dmabench_run *r,
			     enum res_kind res, struct expect *x)
{
	const struct dmabench_dev_info *d = NULL;
	int results_ok = res == RES_VALID;

	if (ptr_definitely_bad(r->results_ptr, RES_SIZE)) {
		expect_one(x, EFAULT);
		snprintf(x->why, sizeof(x->why), "results_ptr fails access_ok");
		return;
	}
	if (!(f->info.modes_supported >> r->mode & 1)) {
		expect_one(x, EOPNOTSUPP);
		snprintf(x->why, sizeof(x->why), "mode %s is not supported by this module",
			 dmabench_mode_name(r->mode));
		return;
	}
	if (r->target == DMABENCH_TARGET_PCI) {
		d = bound_dev(f, r->target_domain, r->target_bdf);
		if (!d) {
			expect_one(x, ENODEV);
			snprintf(x->why, sizeof(x->why), "target %04x:%02x:%02x.%u is not bound",
				 r->target_domain, r->target_bdf >> 8, (r->target_bdf >> 3) & 0x1f,
				 r->target_bdf & 7);
			return;
		}
	}
	if (kmod_mode_maps_bar(r->mode)) {
		if (r->bar_dev == DMABENCH_BAR_TARGET) {
			uint64_t len = d ? d->bar_len[r->bar] : 0;

			if (!d) {
				expect_one(x, ENODEV);
				snprintf(x->why, sizeof(x->why), "the direct target has no BARs");
				return;
			}
			if (!len || r->bar_offset >= len || len - r->bar_offset < r->buf_size) {
				expect_one(x, EINVAL);
				snprintf(x->why, sizeof(x->why), "BAR %u (%" PRIu64 " bytes) cannot "
					 "hold %" PRIu64 " bytes at offset %" PRIu64, r->bar, len,
					 (uint64_t)r->buf_size, (uint64_t)r->bar_offset);
				return;
			}
		} else {
			if (!d || !(d->flags & DMABENCH_DEVF_P2PMEM)) {
				expect_one(x, ENODEV);
				snprintf(x->why, sizeof(x->why), "no p2pmem provider for the target");
				return;
			}
			/* the provider's BARs are not in DMABENCH_IOC_INFO: either */
			expect_one(x, EINVAL);
		}
	}
	if (kmod_mode_imports_dmabuf(r->mode)) {
		/* the fuzzer never holds a dma-buf: dma_buf_get() refuses the fd */
		expect_one(x, EINVAL);
		expect_one(x, EBADF);
		snprintf(x->why, sizeof(x->why), "dmabuf_fd %d is not a dma-buf", r->dmabuf_fd);
		return;
	}
	if (r->mode == DMABENCH_MODE_P2P_PGMAP) {
		if (!d || !(d->flags & DMABENCH_DEVF_P2PMEM)) {
			expect_one(x, ENODEV);
			snprintf(x->why, sizeof(x->why), "no p2pmem provider for the target");
			return;
		}
		expect_one(x, ENOMEM);	/* the provider's pool may be too small */
	}
	x->would_run = 1;
	if (results_ok) {
		expect_one(x, 0);
		x->runs = 1;
		snprintf(x->why, sizeof(x->why), "a valid request runs");
	} else {
		expect_one(x, EFAULT);
		snprintf(x->why, sizeof(x->why), "the answer cannot be copied to results_ptr (%s)",
			 res_names[res]);
	}
}

static void expect_case(const struct fuzz *f, const struct fuzz_case *c, struct expect *x)
{
	memset(x, 0, sizeof(*x));
	if (f->eperm) {
		expect_one(x, EPERM);
		snprintf(x->why, sizeof(x->why), "unprivileged: every command is EPERM");
		return;
	}
	if (c->cmd != DMABENCH_IOC_RUN && c->cmd != DMABENCH_IOC_INFO) {
		expect_one(x, ENOTTY);
		snprintf(x->why, sizeof(x->why), "unknown command");
		return;
	}
	if (c->cmd == DMABENCH_IOC_INFO) {
		const struct dmabench_info *in = (const void *)c->data;
		int header_readable = c->arg == ARG_VALID || c->arg == ARG_READONLY ||
				      (c->arg == ARG_STRADDLE && INFO_SIZE - c->straddle >= 8);

		if (!header_readable) {
			expect_one(x, EFAULT);
			snprintf(x->why, sizeof(x->why), "the header cannot be read");
		} else if (in->size != INFO_SIZE || in->version != DMABENCH_UAPI_VERSION) {
			expect_one(x, EINVAL);
			snprintf(x->why, sizeof(x->why), "size or version is wrong");
		} else if (c->arg != ARG_VALID) {
			expect_one(x, EFAULT);
			snprintf(x->why, sizeof(x->why), "the answer cannot be written (%s)",
				 arg_names[c->arg]);
		} else {
			expect_one(x, 0);
			x->runs = 1;
			snprintf(x->why, sizeof(x->why), "a valid INFO");
		}
		return;
	}
	if (c->arg != ARG_VALID && c->arg != ARG_READONLY) {
		expect_one(x, EFAULT);
		snprintf(x->why, sizeof(x->why), "the struct cannot be read (%s)", arg_names[c->arg]);
		return;
	}
	if (kmod_check_run((const void *)c->data, &f->lim, x->why, sizeof(x->why))) {
		expect_one(x, EINVAL);
		return;
	}
	expect_valid_run(f, (const void *)c->data, c->res, x);
}

/* ---- building cases ---- */

static int cheap(const struct dmabench_run *r)
{
	uint64_t batch = kmod_effective_batch(r);

	return !r->seconds && r->iterations <= 64 && r->threads <= 2 &&
	       (uint64_t)r->nents * r->buf_size <= (256u << 10) &&	/* swiotlb's segment */
	       (uint64_t)r->threads * r->nents * r->buf_size * batch <= (4u << 20) &&
	       r->iterations * batch * r->nents <= 4096;
}

static uint32_t pick_target_bar(const struct fuzz *f, const struct dmabench_dev_info *d,
				uint64_t size)
{
	uint32_t b;

	for (b = 0; d && b < DMABENCH_NR_BARS; b++)
		if (d->bar_len[b] >= size)
			return b;
	(void)f;
	return 0;
}

/* A valid, cheap request for a random mode. */
static void valid_run(const struct fuzz *f, struct dmabench_run *r)
{
	static const uint64_t sizes[] = { 4096, 8192, 16384, 65536 };
	static const uint32_t bits[] = { 0, 32, 48, 64 };
	const struct dmabench_dev_info *d = f->info.nr_devices ? &f->info.dev[0] : NULL;
	unsigned int cpus = f->lim.nr_cpus ? f->lim.nr_cpus : 1;

	memset(r, 0, sizeof(*r));
	r->size = RUN_SIZE;
	r->version = DMABENCH_UAPI_VERSION;
	r->mode = 1 + (uint32_t)rnd_below(DMABENCH_MODE_NR - 1);
	r->buf_size = sizes[rnd_below(4)];
	r->nents = kmod_mode_takes_nents(r->mode) ? 1 + (uint32_t)rnd_below(4) : 1;
	r->dir = (uint32_t)rnd_below(3);
	r->threads = 1 + (uint32_t)rnd_below(cpus < 2 ? cpus : 2);
	r->node = -1;
	if (rnd_below(8) == 0)
		r->seconds = 1;		/* expensive: aimed at an absent device below */
	else
		r->iterations = 1 + rnd_below(16);
	r->batch = (uint32_t)rnd_below(5);
	r->dma_bits = bits[rnd_below(4)];
	r->attrs = (uint32_t)rnd_below(4);
	if (d && rnd_below(4)) {
		r->target = DMABENCH_TARGET_PCI;
		r->target_domain = d->domain;
		r->target_bdf = d->bdf;
	} else {
		r->target = DMABENCH_TARGET_DIRECT;
	}
	/* no dma-buf to hand: an fd that is none, open (0..2) or closed */
	if (kmod_mode_imports_dmabuf(r->mode)) {
		r->bar_dev = DMABENCH_BAR_DMABUF;
		r->dmabuf_fd = rnd_below(2) ? (int32_t)rnd_below(3) : 9999;
	}
	if (kmod_mode_maps_bar(r->mode)) {
		r->bar_dev = rnd_below(4) ? DMABENCH_BAR_TARGET : DMABENCH_BAR_P2PMEM;
		r->bar = r->bar_dev == DMABENCH_BAR_TARGET && r->target == DMABENCH_TARGET_PCI ?
			 pick_target_bar(f, d, r->buf_size) : (uint32_t)rnd_below(DMABENCH_NR_BARS);
	}
	r->results_ptr = 1;	/* set when the memory is laid out */
	r->results_size = RES_SIZE + (rnd_below(4) == 0 ? rnd_below(4096) : 0);
}

struct field {
	const char *name;
	size_t off, width;
	int is_signed;
	uint64_t special[10];	/* field-specific boundaries, nspecial of them */
	size_t nspecial;
};

#define F(n, w, s, ...) { #n, offsetof(struct dmabench_run, n), w, s, { __VA_ARGS__ }, \
			  sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t) }
#define RES_PTR_SPECIALS 0, 1, 4095, UINT64_MAX, 1ull << 63, KERNEL_PTR, HIGH_PTR
static const struct field fields[] = {
	F(size, 4, 0, 0, RUN_SIZE - 1, RUN_SIZE + 1, RUN_SIZE + 8, RUN_SIZE - 8, RUN_SIZE * 2),
	F(version, 4, 0, 0, 2, DMABENCH_UAPI_VERSION + 1),
	F(flags, 4, 0, 1, 2, 0x80000000u),
	F(mode, 4, 0, 0, 1, DMABENCH_MODE_NR - 1, DMABENCH_MODE_NR, DMABENCH_MODE_NR + 1),
	F(buf_size, 8, 0, 0, 2048, 4095, 4096, 4097, 6144, 4ull << 20, (4ull << 20) + 1, 8ull << 20),
	F(nents, 4, 0, 0, 1, 2, DMABENCH_MAX_NENTS, DMABENCH_MAX_NENTS + 1),
	F(dir, 4, 0, 0, 2, 3),
	F(threads, 4, 0, 0, 1, DMABENCH_MAX_THREADS, DMABENCH_MAX_THREADS + 1),
	F(node, 4, 1, (uint32_t)-1, 0, 1, 63, 64, (uint32_t)-2, 0x80000000u, 0x7fffffffu),
	F(iterations, 8, 0, 0, 1, DMABENCH_MAX_ITERATIONS, DMABENCH_MAX_ITERATIONS + 1),
	F(seconds, 4, 0, 0, 1, DMABENCH_MAX_SECONDS, DMABENCH_MAX_SECONDS + 1),
	F(batch, 4, 0, 0, 1, DMABENCH_MAX_BATCH, DMABENCH_MAX_BATCH + 1),
	F(dma_bits, 4, 0, 0, 1, DMABENCH_MIN_DMA_BITS - 1, DMABENCH_MIN_DMA_BITS, 64, 65),
	F(attrs, 4, 0, 0, 1, 2, 3, 4, 0x80000000u),
	F(target, 4, 0, 0, 1, 2, 3),
	F(target_domain, 4, 0, 0, 1, 0xffff, 0x10000),
	F(target_bdf, 4, 0, 0, 0xffff, 0x10000),
	F(bar_dev, 4, 0, 0, 1, 2, 3),
	F(bar, 4, 0, 0, DMABENCH_NR_BARS - 1, DMABENCH_NR_BARS),
	F(reserved0, 4, 0, 1, 0x80000000u),
	F(bar_offset, 8, 0, 0, 1, 4095, 4096, 1ull << 20, 1ull << 40),
	F(results_ptr, 8, 0, RES_PTR_SPECIALS),
	F(results_size, 8, 0, 0, 1, RES_SIZE - 1, RES_SIZE, RES_SIZE + 1, UINT64_MAX),
	F(dmabuf_fd, 4, 1, 0, 1, 3, 9999, (uint32_t)-1, 0x80000000u, 0x7fffffffu),
	F(reserved1, 4, 0, 1, 0x80000000u),
	F(reserved[0], 8, 0, 1, UINT64_MAX), F(reserved[1], 8, 0, 1, UINT64_MAX),
	F(reserved[2], 8, 0, 1, UINT64_MAX), F(reserved[3], 8, 0, 1, UINT64_MAX),
	F(reserved[4], 8, 0, 1, UINT64_MAX), F(reserved[5], 8, 0, 1, UINT64_MAX),
	F(reserved[6], 8, 0, 1 << 20, UINT64_MAX),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static void put_field(struct dmabench_run *r, const struct field *fl, uint64_t v)
{
	unsigned char *p = (unsigned char *)r + fl->off;

	if (fl->width == 4) {
		uint32_t u = (uint32_t)v;

		memcpy(p, &u, 4);
	} else {
		memcpy(p, &v, 8);
	}
}

/* Generic boundaries of a field's width: 0, 1, max, max+1 wraps, -1, huge. */
static uint64_t width_boundary(const struct field *fl)
{
	static const uint64_t b32[] = { 0, 1, 2, 0x7fffffffu, 0x80000000u, 0xfffffffeu,
					0xffffffffu, 0x10000u, 0xffffu };
	static const uint64_t b64[] = { 0, 1, 0x7fffffffffffffffull, 0x8000000000000000ull,
					UINT64_MAX, UINT64_MAX - 1, 0xffffffffull, 0x100000000ull };

	if (fl->width == 4)
		return b32[rnd_below(sizeof(b32) / sizeof(b32[0]))];
	return b64[rnd_below(sizeof(b64) / sizeof(b64[0]))];
}

/*
 * results_ptr is never given a value we do not control that could point
 * into our own memory: only the specials (unmapped low page, non-user) or
 * a random value at or above HIGH_PTR.
 */
static int is_results_ptr(const struct field *fl)
{
	return fl->off == offsetof(struct dmabench_run, results_ptr);
}

static uint64_t random_value(const struct field *fl)
{
	if (is_results_ptr(fl))
		return HIGH_PTR | rnd();
	switch (rnd_below(4)) {
	case 0: return rnd_below(16);
	case 1: return rnd_below(1024);
	case 2: return fl->width == 4 ? (uint32_t)rnd() : rnd();
	}
	return (uint64_t)1 << rnd_below(fl->width * 8);
}

enum kind { K_RANDOM, K_RANDOM_HDR, K_BOUNDARY, K_MUTATE, K_VALID, K_RESERVED, K_SIZEVER,
	    K_RESULTS, K_ARG, K_BADCMD, K_INFO, K_NKINDS };
static const char *const kind_names[] = { "random", "random-header", "boundary", "mutate",
	"valid", "reserved", "size-version", "results-ptr", "arg-ptr", "bad-cmd", "info" };
/* weights out of 100 */
static const unsigned int kind_weight[] = { 8, 14, 26, 14, 6, 5, 5, 8, 5, 5, 4 };
static uint64_t kind_count[K_NKINDS];

static void random_bytes(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)rnd();
}

/* Valid but expensive: aim it at a PCI device that cannot be bound. */
static void keep_cheap(const struct fuzz *f, struct fuzz_case *c)
{
	struct dmabench_run *r = (void *)c->data;
	struct expect x;

	expect_case(f, c, &x);
	if (!x.would_run || cheap(r))
		return;
	r->target = DMABENCH_TARGET_PCI;
	r->target_domain = 0xffff;
	r->target_bdf = 0xffff;
	snprintf(c->what + strlen(c->what), sizeof(c->what) - strlen(c->what),
		 " (expensive: target ffff:ff:1f.7)");
}

static void make_run_case(const struct fuzz *f, struct fuzz_case *c, enum kind k)
{
	struct dmabench_run *r = (void *)c->data;
	const struct field *fl;
	uint64_t v;
	unsigned int i;

	c->cmd = DMABENCH_IOC_RUN;
	c->len = RUN_SIZE;
	c->arg = ARG_VALID;
	c->res = RES_VALID;
	valid_run(f, r);
	switch (k) {
	case K_RANDOM:
		random_bytes(c->data, RUN_SIZE);
		c->res = RES_LITERAL;
		snprintf(c->what, sizeof(c->what), "all bytes random");
		if (rnd_below(2)) {	/* a plausible size at least */
			r->size = RUN_SIZE;
			snprintf(c->what, sizeof(c->what), "random bytes, size right");
		}
		/* never a random pointer into our own memory: see is_results_ptr */
		r->results_ptr = HIGH_PTR | rnd();
		break;
	case K_RANDOM_HDR:
		for (i = 0; i < NFIELDS; i++) {
			fl = &fields[i];
			if (rnd_below(3) == 0)
				put_field(r, fl, rnd_below(2) ? random_value(fl) : width_boundary(fl));
		}
		r->size = RUN_SIZE;
		r->version = DMABENCH_UAPI_VERSION;
		if (rnd_below(2)) {
			r->reserved0 = 0;
			memset(r->reserved, 0, sizeof(r->reserved));
		}
		if (r->results_ptr != 1 && r->results_ptr < HIGH_PTR && r->results_ptr > 4095)
			r->results_ptr = HIGH_PTR | r->results_ptr;
		c->res = r->results_ptr == 1 ? RES_VALID : RES_LITERAL;
		snprintf(c->what, sizeof(c->what), "random fields, size and version right");
		break;
	case K_BOUNDARY:
	case K_MUTATE:
		fl = &fields[rnd_below(NFIELDS)];
		if (k == K_BOUNDARY)
			v = rnd_below(3) ? fl->special[rnd_below(fl->nspecial)] : width_boundary(fl);
		else
			v = random_value(fl);
		if (is_results_ptr(fl)) {
			if (v > 4095 && v < HIGH_PTR && v != 1ull << 63 && v != KERNEL_PTR &&
			    v != UINT64_MAX)
				v |= HIGH_PTR;
			c->res = RES_LITERAL;
		}
		put_field(r, fl, v);
		if (fl->is_signed)
			snprintf(c->what, sizeof(c->what), "%s=%d", fl->name, (int32_t)v);
		else
			snprintf(c->what, sizeof(c->what), "%s=%#" PRIx64, fl->name,
				 fl->width == 4 ? (uint64_t)(uint32_t)v : v);
		break;
	case K_VALID:
		snprintf(c->what, sizeof(c->what), "valid %s", dmabench_mode_name(r->mode));
		break;
	case K_RESERVED:
		i = (unsigned int)rnd_below(9);
		v = rnd() | 1;
		if (i == 8)
			r->reserved1 = (uint32_t)v | 1;
		else if (i == 7)
			r->reserved0 = (uint32_t)v | 1;
		else
			r->reserved[i] = rnd_below(2) ? v : 1ull << rnd_below(64);
		snprintf(c->what, sizeof(c->what), i == 8 ? "reserved1 non-zero" :
			 i == 7 ? "reserved0 non-zero" : "reserved[%u] non-zero", i);
		break;
	case K_SIZEVER:
		if (rnd_below(2)) {
			static const int32_t delta[] = { -176, -8, -4, -1, 1, 4, 8, 64, 4096 };

			r->size = (uint32_t)((int32_t)RUN_SIZE + delta[rnd_below(9)]);
			snprintf(c->what, sizeof(c->what), "size %u", r->size);
		} else {
			r->version = rnd_below(2) ? (uint32_t)rnd_below(4) : (uint32_t)rnd();
			if (r->version == DMABENCH_UAPI_VERSION)
				r->version++;
			snprintf(c->what, sizeof(c->what), "version %u", r->version);
		}
		break;
	case K_RESULTS:
		c->res = (enum res_kind)rnd_below(RES_NKINDS);
		if (c->res == RES_LITERAL) {
			static const uint64_t lit[] = { 0, 1, 4095, KERNEL_PTR, 1ull << 63, UINT64_MAX };

			r->results_ptr = rnd_below(2) ? lit[rnd_below(6)] : HIGH_PTR | rnd();
			snprintf(c->what, sizeof(c->what), "results_ptr %#" PRIx64, (uint64_t)r->results_ptr);
		} else if (c->res == RES_VALID) {
			c->res_off = rnd_below(2) ? 0 : 1 + rnd_below(7);	/* unaligned is fine */
			snprintf(c->what, sizeof(c->what), "results buffer + %" PRIu64, c->res_off);
		} else {
			snprintf(c->what, sizeof(c->what), "results in a %s mapping", res_names[c->res]);
		}
		if (rnd_below(4) == 0) {
			r->results_size = rnd_below(2) ? rnd_below(RES_SIZE) : RES_SIZE - 1;
			snprintf(c->what + strlen(c->what), sizeof(c->what) - strlen(c->what),
				 ", results_size %" PRIu64, (uint64_t)r->results_size);
		}
		break;
	case K_ARG:
		c->arg = (enum arg_kind)(1 + rnd_below(ARG_NKINDS - 1));
		if (c->arg == ARG_STRADDLE)
			c->straddle = 1 + (unsigned int)rnd_below(RUN_SIZE);
		snprintf(c->what, sizeof(c->what), "struct pointer %s", arg_names[c->arg]);
		if (c->arg == ARG_STRADDLE)
			snprintf(c->what + strlen(c->what), sizeof(c->what) - strlen(c->what),
				 ", last %u bytes unreadable", c->straddle);
		break;
	default:
		break;
	}
	keep_cheap(f, c);
}

static void make_case(const struct fuzz *f, struct fuzz_case *c, uint64_t index)
{
	unsigned int w = (unsigned int)rnd_below(100), acc = 0;
	enum kind k;

	memset(c, 0, sizeof(*c));
	c->index = index;
	for (k = 0; k < K_NKINDS - 1; k++) {
		acc += kind_weight[k];
		if (w < acc)
			break;
	}
	snprintf(c->kind, sizeof(c->kind), "%s", kind_names[k]);
	kind_count[k]++;
	if (k == K_BADCMD) {
		unsigned long cmd;

		do {
			unsigned int dir = (unsigned int)rnd_below(4), nr = (unsigned int)rnd_below(256);
			unsigned int size = rnd_below(2) ? (unsigned int)rnd_below(1u << 14) :
					    (unsigned int)(rnd_below(2) ? RUN_SIZE : INFO_SIZE);

			if (rnd_below(2))
				nr = 0x40 + (unsigned int)rnd_below(16);
			cmd = _IOC(dir, DMABENCH_IOC_MAGIC, nr, size);
		} while (cmd == DMABENCH_IOC_RUN || cmd == DMABENCH_IOC_INFO);
		c->cmd = cmd;
		c->len = RUN_SIZE;
		c->arg = rnd_below(4) ? ARG_VALID : ARG_NULL;
		c->res = RES_LITERAL;
		random_bytes(c->data, c->len);
		snprintf(c->what, sizeof(c->what), "cmd %#lx (dir %lu nr %#lx size %lu)", cmd,
			 (unsigned long)_IOC_DIR(cmd), (unsigned long)_IOC_NR(cmd),
			 (unsigned long)_IOC_SIZE(cmd));
		return;
	}
	if (k == K_INFO) {
		struct dmabench_info *in = (void *)c->data;

		c->cmd = DMABENCH_IOC_INFO;
		c->len = INFO_SIZE;
		c->res = RES_LITERAL;
		random_bytes(c->data, c->len);	/* only the header is input */
		in->size = INFO_SIZE;
		in->version = DMABENCH_UAPI_VERSION;
		switch (rnd_below(4)) {
		case 0:
			snprintf(c->what, sizeof(c->what), "valid INFO, junk after the header");
			break;
		case 1:
			in->size = rnd_below(2) ? (uint32_t)rnd() : INFO_SIZE + 1 - 2 * (uint32_t)rnd_below(2);
			snprintf(c->what, sizeof(c->what), "INFO size %u", in->size);
			break;
		case 2:
			in->version = (uint32_t)rnd_below(2) ? 0 : DMABENCH_UAPI_VERSION + 1;
			snprintf(c->what, sizeof(c->what), "INFO version %u", in->version);
			break;
		default:
			c->arg = (enum arg_kind)(1 + rnd_below(ARG_NKINDS - 1));
			if (c->arg == ARG_STRADDLE)
				c->straddle = 1 + (unsigned int)rnd_below(INFO_SIZE);
			snprintf(c->what, sizeof(c->what), "INFO pointer %s (%u unreadable)",
				 arg_names[c->arg], c->straddle);
		}
		return;
	}
	make_run_case(f, c, k);
}

/* ---- memory layout and firing ---- */

static int setup_memory(struct fuzz *f)
{
	size_t res_pages;

	f->page = (size_t)sysconf(_SC_PAGESIZE);
	res_pages = (RES_SIZE + f->page - 1) / f->page;
	f->arg_page = mmap(NULL, 2 * f->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	f->ro_page = mmap(NULL, f->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->res_buf = mmap(NULL, (res_pages + 1) * f->page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->res_short = mmap(NULL, res_pages * f->page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->res_ro = mmap(NULL, res_pages * f->page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->hole = mmap(NULL, (res_pages + 1) * f->page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (f->arg_page == MAP_FAILED || f->ro_page == MAP_FAILED || f->res_buf == MAP_FAILED ||
	    f->res_short == MAP_FAILED || f->res_ro == MAP_FAILED || f->hole == MAP_FAILED ||
	    mprotect(f->arg_page + f->page, f->page, PROT_NONE) ||
	    mprotect(f->res_short + (res_pages - 1) * f->page, f->page, PROT_NONE)) {
		perror("dmabench-fuzz: mmap");
		return -1;
	}
	return 0;
}

/* Places the case in memory; returns the ioctl argument. */
static void *lay_out(struct fuzz *f, struct fuzz_case *c)
{
	unsigned char *p;

	if (c->cmd == DMABENCH_IOC_RUN) {
		struct dmabench_run *r = (void *)c->data;

		switch (c->res) {
		case RES_VALID: r->results_ptr = (uintptr_t)(f->res_buf + c->res_off); break;
		case RES_HOLE: r->results_ptr = (uintptr_t)f->hole; break;
		case RES_SHORT: r->results_ptr = (uintptr_t)f->res_short; break;
		case RES_READONLY: r->results_ptr = (uintptr_t)f->res_ro; break;
		default: break;
		}
		if (c->res == RES_VALID)
			memset(f->res_buf, 0, RES_SIZE + c->res_off);
	}
	switch (c->arg) {
	case ARG_NULL:
		return NULL;
	case ARG_HOLE:
		return f->hole;
	case ARG_KERNEL:
		return (void *)(uintptr_t)KERNEL_PTR;
	case ARG_STRADDLE:
		p = f->arg_page + f->page - (c->len - c->straddle);
		memcpy(p, c->data, c->len - c->straddle);
		return p;
	case ARG_READONLY:
		mprotect(f->ro_page, f->page, PROT_READ | PROT_WRITE);
		memcpy(f->ro_page, c->data, c->len);
		mprotect(f->ro_page, f->page, PROT_READ);
		return f->ro_page;
	default:
		memcpy(f->arg_page, c->data, c->len);
		return f->arg_page;
	}
}

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The input, before the call: a kernel crash or hang leaves it behind. */
static void save_case(struct fuzz *f, const struct fuzz_case *c, const struct expect *x)
{
	char buf[4096], data[2 * sizeof(c->data) + 1], want[128];
	int n;

	if (f->save_fd < 0)
		return;
	hex(c->data, c->len, data);
	format_expect(x, want, sizeof(want));
	n = snprintf(buf, sizeof(buf),
		     "# dmabench-fuzz input: replay with dmabench-fuzz --replay THIS_FILE\n"
		     "seed %#" PRIx64 "\ncase %" PRIu64 "\nkind %s\nwhat %s\ncmd %#lx\n"
		     "arg %s %u\nresults %s %" PRIu64 "\nexpect %s\ndata %s\n",
		     f->seed, c->index, c->kind, c->what, c->cmd, arg_names[c->arg], c->straddle,
		     res_names[c->res], c->res_off, want, data);
	if (n < 0 || (size_t)n >= sizeof(buf) || pwrite(f->save_fd, buf, (size_t)n, 0) != n ||
	    ftruncate(f->save_fd, n) != 0 || (f->sync && fdatasync(f->save_fd) != 0)) {
		fprintf(stderr, "dmabench-fuzz: cannot save the input to %s: %s\n", f->save,
			strerror(errno));
		close(f->save_fd);
		f->save_fd = -1;
	}
}

static void fail(struct fuzz *f, const struct fuzz_case *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct fuzz *f, const struct fuzz_case *c, const char *fmt, ...)
{
	va_list ap;

	f->failed++;
	if (f->detailed++ >= MAX_DETAIL && !f->verbose)
		return;
	printf("not ok - case %" PRIu64 " (%s: %s): ", c->index, c->kind, c->what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The answer of a successful RUN must be a complete, consistent run. */
static void check_answer(struct fuzz *f, const struct fuzz_case *c)
{
	static struct dmabench_results copy;	/* the answer may sit unaligned */
	const struct dmabench_run *r = (const void *)c->data;
	const struct dmabench_results *res = &copy;
	uint64_t want_n = r->iterations ? r->iterations * r->threads : 0;
	unsigned int ph;
	char bad[160] = "";

	memcpy(&copy, f->res_buf + c->res_off, sizeof(copy));
	if (res->size != RES_SIZE || res->version != DMABENCH_UAPI_VERSION)
		snprintf(bad, sizeof(bad), "results size %u version %u", res->size, res->version);
	else if (res->status != 0)
		snprintf(bad, sizeof(bad), "results.status %d (%s)", res->status, strerror(-res->status));
	else if (res->mode != r->mode || res->threads != r->threads)
		snprintf(bad, sizeof(bad), "mode %u threads %u echo %u %u", res->mode, res->threads,
			 r->mode, r->threads);
	else if (res->batch != kmod_effective_batch(r) ||
		 res->dma_bits != (r->dma_bits ? r->dma_bits : 64))
		snprintf(bad, sizeof(bad), "batch %u dma_bits %u, want %u %u", res->batch,
			 res->dma_bits, kmod_effective_batch(r), r->dma_bits ? r->dma_bits : 64);
	else if (res->hist_layout_version != DMABENCH_HIST_LAYOUT_VERSION ||
		 res->hist_nbuckets != DMABENCH_HIST_NBUCKETS ||
		 res->hist_sub_bits != DMABENCH_HIST_SUB_BITS ||
		 res->hist_max_bits != DMABENCH_HIST_MAX_BITS)
		snprintf(bad, sizeof(bad), "histogram layout %u/%u/%u/%u", res->hist_layout_version,
			 res->hist_sub_bits, res->hist_max_bits, res->hist_nbuckets);
	else if (want_n && res->ops != want_n * res->batch)
		snprintf(bad, sizeof(bad), "ops %" PRIu64 ", want %" PRIu64, (uint64_t)res->ops,
			 want_n * res->batch);
	for (ph = 0; !bad[0] && ph < DMABENCH_NR_PHASES; ph++) {
		const struct dmabench_phase_stats *p = &res->phase[ph];
		uint64_t total = 0;
		size_t i;

		for (i = 0; i < DMABENCH_HIST_NBUCKETS; i++)
			total += p->hist[i];
		if ((want_n && p->n != want_n) || total != p->n || !p->n || p->min_ns > p->max_ns ||
		    p->sum_ns < p->n * p->min_ns)
			snprintf(bad, sizeof(bad), "phase %u: n %" PRIu64 " (want %" PRIu64 "), "
				 "histogram %" PRIu64 ", min %" PRIu64 " max %" PRIu64, ph,
				 (uint64_t)p->n, want_n, total, (uint64_t)p->min_ns,
				 (uint64_t)p->max_ns);
	}
	if (bad[0])
		fail(f, c, "the answer is wrong: %s", bad);
	else
		f->passed++;
}

static void check_info_answer(struct fuzz *f, const struct fuzz_case *c)
{
	const struct dmabench_info *in = (const void *)f->arg_page;

	if (in->size != INFO_SIZE || in->version != DMABENCH_UAPI_VERSION ||
	    in->nr_devices != f->info.nr_devices ||
	    in->modes_supported != f->info.modes_supported)
		fail(f, c, "INFO answer size %u version %u devices %u modes %#" PRIx64, in->size,
		     in->version, in->nr_devices, (uint64_t)in->modes_supported);
	else
		f->passed++;
}

/* Fires one case; returns the errno (0 for success). */
static int fire(struct fuzz *f, struct fuzz_case *c, const struct expect *x)
{
	void *arg = lay_out(f, c);
	int ret, err;

	save_case(f, c, x);
	current_case = c->index;
	snprintf(alarm_msg, sizeof(alarm_msg), "dmabench-fuzz: case %" PRIu64 " has not returned "
		 "after %u s; its input is in %s\n", c->index, f->timeout,
		 f->save_fd >= 0 ? f->save : "(not saved)");
	timed_out = 0;
	alarm(f->timeout);
	ret = ioctl(f->fd, c->cmd, arg);
	err = ret ? errno : 0;
	alarm(0);
	return err;
}

static void run_case(struct fuzz *f, struct fuzz_case *c)
{
	struct expect x;
	char got[32], want[128];
	int err, i, ok = 0;

	expect_case(f, c, &x);
	err = fire(f, c, &x);
	f->by_errno[err >= 0 && err < 256 ? err : 256]++;
	for (i = 0; i < x.n; i++)
		ok |= x.err[i] == err;
	format_errno(err, got, sizeof(got));
	format_expect(&x, want, sizeof(want));
	if (timed_out)
		fail(f, c, "took more than %u s (got %s)", f->timeout, got);
	else if (!ok)
		fail(f, c, "got %s, want %s (%s)", got, want, x.why);
	else
		f->passed++;
	if (f->verbose && ok && !timed_out)
		printf("ok - case %" PRIu64 " (%s: %s): %s\n", c->index, c->kind, c->what, got);
	if (!timed_out && ok && err == 0 && x.runs && c->arg == ARG_VALID)
		(c->cmd == DMABENCH_IOC_RUN ? check_answer : check_info_answer)(f, c);
}

/* ---- replay ---- */

static int unhex(const char *s, unsigned char *out, size_t max, size_t *n)
{
	size_t i;

	for (i = 0; s[2 * i] && s[2 * i] != '\n'; i++) {
		unsigned int v;

		if (i >= max || sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	*n = i;
	return 0;
}

static int find_name(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int load_case(const char *path, struct fuzz *f, struct fuzz_case *c)
{
	char line[4096], word[64];
	FILE *in = fopen(path, "r");
	int have_data = 0, have_cmd = 0;

	if (!in) {
		fprintf(stderr, "dmabench-fuzz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), in)) {
		unsigned long u;
		uint64_t v;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "seed %" SCNx64, &v) == 1)
			f->seed = v;
		else if (sscanf(line, "case %" SCNu64, &v) == 1)
			c->index = v;
		else if (!strncmp(line, "kind ", 5))
			snprintf(c->kind, sizeof(c->kind), "%.23s", line + 5);
		else if (!strncmp(line, "what ", 5))
			snprintf(c->what, sizeof(c->what), "%.95s", line + 5);
		else if (sscanf(line, "cmd %lx", &u) == 1)
			c->cmd = u, have_cmd = 1;
		else if (sscanf(line, "arg %63s %u", word, &c->straddle) == 2 &&
			 find_name(arg_names, ARG_NKINDS, word) >= 0)
			c->arg = (enum arg_kind)find_name(arg_names, ARG_NKINDS, word);
		else if (sscanf(line, "results %63s %" SCNu64, word, &c->res_off) == 2 &&
			 find_name(res_names, RES_NKINDS, word) >= 0)
			c->res = (enum res_kind)find_name(res_names, RES_NKINDS, word);
		else if (!strncmp(line, "data ", 5) && !unhex(line + 5, c->data, sizeof(c->data), &c->len))
			have_data = 1;
	}
	fclose(in);
	if (!have_data || !have_cmd || c->straddle > c->len || c->res_off > 4096) {
		fprintf(stderr, "dmabench-fuzz: %s is not a saved input (needs cmd, arg, results, "
			"data)\n", path);
		return -1;
	}
	return 0;
}

/* ---- setup and main ---- */

static int query_module(struct fuzz *f)
{
	unsigned int i, m;
	char addr[32];

	memset(&f->info, 0, sizeof(f->info));
	f->info.size = INFO_SIZE;
	f->info.version = DMABENCH_UAPI_VERSION;
	if (ioctl(f->fd, DMABENCH_IOC_INFO, &f->info) != 0) {
		fprintf(stderr, "dmabench-fuzz: DMABENCH_IOC_INFO: %s%s\n", strerror(errno),
			errno == EPERM ? " (run as root, or unprivileged with --expect-eperm)" : "");
		return -1;
	}
	kmod_read_limits(&f->lim, f->info.nr_online_cpus, "/sys");
	printf("dmabench-fuzz: module %u.%u, %u CPUs, modes", f->info.module_version >> 16,
	       f->info.module_version & 0xffff, f->info.nr_online_cpus);
	for (m = 1; m < DMABENCH_MODE_NR; m++)
		printf(" %s%s", dmabench_mode_name(m),
		       f->info.modes_supported >> m & 1 ? "" : "(unsupported)");
	printf(", devices:");
	for (i = 0; i < f->info.nr_devices && i < DMABENCH_INFO_MAX_DEVS; i++) {
		const struct dmabench_dev_info *d = &f->info.dev[i];

		snprintf(addr, sizeof(addr), "%04x:%02x:%02x.%u", d->domain, d->bdf >> 8,
			 (d->bdf >> 3) & 0x1f, d->bdf & 7);
		printf(" %s%s", addr, d->flags & DMABENCH_DEVF_P2PMEM ? "(p2pmem)" : "");
	}
	printf("%s\n", f->info.nr_devices ? "" : " none (PCI targets get ENODEV)");
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dmabench-fuzz [-n N] [--seed S] [--start I] [--expect-eperm]\n"
		"                     [--dev PATH] [--save FILE] [--timeout SEC] [--no-sync] [-v]\n"
		"       dmabench-fuzz --replay FILE [--expect-eperm] [--dev PATH]\n"
		"Fires N (default %d) random and invalid ioctls at /dev/dmabench and checks\n"
		"each errno against the uAPI. --seed S (default %#llx) and --start I choose\n"
		"the cases: case I is the same for the same seed. Each input is saved to FILE\n"
		"(default /tmp/dmabench-fuzz.last) before its call; --replay fires it again.\n"
		"--expect-eperm: the caller lacks CAP_SYS_ADMIN, every call must give EPERM.\n"
		"The last line is \"N passed, M failed\"; exit 0 if nothing failed.\n",
		DEFAULT_CASES, (unsigned long long)DEFAULT_SEED);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return *s == '-' || end == s || *end || errno ? -1 : 0;
}

static void print_summary(const struct fuzz *f)
{
	char name[32];
	int e, k, first = 1;

	printf("returns:");
	for (e = 0; e <= 256; e++) {
		if (!f->by_errno[e])
			continue;
		if (e == 256)
			snprintf(name, sizeof(name), "other");
		else
			format_errno(e, name, sizeof(name));
		printf("%s %s %" PRIu64, first ? "" : ",", name, f->by_errno[e]);
		first = 0;
	}
	printf("\ncases:");
	for (k = 0, first = 1; k < K_NKINDS; k++) {
		if (!kind_count[k])
			continue;
		printf("%s %s %" PRIu64, first ? "" : ",", kind_names[k], kind_count[k]);
		first = 0;
	}
	printf("\n");
	if (f->detailed > MAX_DETAIL && !f->verbose)
		printf("(%" PRIu64 " more failures not shown: -v shows all)\n",
		       f->detailed - MAX_DETAIL);
	printf("%" PRIu64 " passed, %" PRIu64 " failed\n", f->passed, f->failed);
}

int main(int argc, char **argv)
{
	struct fuzz f;
	struct fuzz_case c;
	struct sigaction sa;
	const char *replay = NULL;
	uint64_t i, v;
	int a;

	memset(&f, 0, sizeof(f));
	f.dev = KMOD_DEV_PATH;
	f.save = "/tmp/dmabench-fuzz.last";
	f.seed = DEFAULT_SEED;
	f.count = DEFAULT_CASES;
	f.timeout = 10;
	f.sync = 1;
	for (a = 1; a < argc; a++) {
		const char *o = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!strcmp(o, "--expect-eperm")) {
			f.eperm = 1;
		} else if (!strcmp(o, "--no-sync")) {
			f.sync = 0;
		} else if (!strcmp(o, "-v")) {
			f.verbose = 1;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (val && (!strcmp(o, "-n") || !strcmp(o, "--seed") || !strcmp(o, "--start") ||
				   !strcmp(o, "--timeout"))) {
			if (parse_u64(val, &v) || (!strcmp(o, "--timeout") && (v < 1 || v > 3600))) {
				fprintf(stderr, "dmabench-fuzz: %s %s: not a valid number\n", o, val);
				return 2;
			}
			if (!strcmp(o, "-n"))
				f.count = v;
			else if (!strcmp(o, "--seed"))
				f.seed = v;
			else if (!strcmp(o, "--start"))
				f.start = v;
			else
				f.timeout = (unsigned int)v;
			a++;
		} else if (val && !strcmp(o, "--dev")) {
			f.dev = argv[++a];
		} else if (val && !strcmp(o, "--save")) {
			f.save = argv[++a];
		} else if (val && !strcmp(o, "--replay")) {
			replay = argv[++a];
		} else {
			fprintf(stderr, "dmabench-fuzz: unknown or incomplete argument '%s'\n", o);
			usage(stderr);
			return 2;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: an interruptible wait returns */
	sigaction(SIGALRM, &sa, NULL);
	f.fd = open(f.dev, O_RDWR);
	if (f.fd < 0) {
		fprintf(stderr, "dmabench-fuzz: %s: %s\n", f.dev, strerror(errno));
		return 2;
	}
	if (setup_memory(&f) || (!f.eperm && query_module(&f)))
		return 2;
	f.save_fd = replay ? -1 : open(f.save, O_WRONLY | O_CREAT, 0644);
	if (!replay && f.save_fd < 0)
		fprintf(stderr, "dmabench-fuzz: warning: %s: %s: inputs are not saved\n", f.save,
			strerror(errno));
	if (replay) {
		if (load_case(replay, &f, &c))
			return 2;
		printf("dmabench-fuzz: replaying case %" PRIu64 " of seed %#" PRIx64 " from %s: "
		       "%s: %s\n", c.index, f.seed, replay, c.kind, c.what);
		run_case(&f, &c);
		print_summary(&f);
		return f.failed ? 1 : 0;
	}
	printf("dmabench-fuzz: seed %#" PRIx64 ", cases %" PRIu64 "..%" PRIu64 " on %s%s, "
	       "timeout %u s, each input saved to %s first\n", f.seed, f.start,
	       f.start + f.count - (f.count > 0), f.dev, f.eperm ? " (expecting EPERM)" : "",
	       f.timeout, f.save);
	printf("dmabench-fuzz: replay one case with --seed %#" PRIx64 " --start I -n 1, or "
	       "--replay %s\n", f.seed, f.save);
	fflush(stdout);
	for (i = f.start; i < f.start + f.count; i++) {
		rng_seed_case(f.seed, i);
		make_case(&f, &c, i);
		run_case(&f, &c);
	}
	print_summary(&f);
	return f.failed ? 1 : 0;
}
