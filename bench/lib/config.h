/*
 * Benchmark matrix configuration: mmtests-style KEY=value files
 * (the files in bench/configs/) and the equivalent command-line options.
 */
#ifndef DMABENCH_CONFIG_H
#define DMABENCH_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_LIST	32
#define CFG_NAME_MAX	32

/* Values of struct map_benchmark.dma_dir (enum dma_data_direction). */
enum cfg_dir { CFG_DIR_BIDIRECTIONAL = 0, CFG_DIR_TO_DEVICE = 1, CFG_DIR_FROM_DEVICE = 2 };

/* TARGET; the values of dmabench_run.target, 0 = not set */
enum cfg_target { CFG_TARGET_UNSET = 0, CFG_TARGET_PCI = 1, CFG_TARGET_DIRECT = 2 };
/* BAR's owner; the values of dmabench_run.bar_dev, 0 = not set */
enum cfg_bar { CFG_BAR_NONE = 0, CFG_BAR_TARGET = 1, CFG_BAR_P2PMEM = 2 };
/* ATTRS bits; the values of DMABENCH_ATTR_* */
enum cfg_attr { CFG_ATTR_SKIP_CPU_SYNC = 1u << 0, CFG_ATTR_WEAK_ORDERING = 1u << 1 };
#define CFG_ATTR_ALL (CFG_ATTR_SKIP_CPU_SYNC | CFG_ATTR_WEAK_ORDERING)

#define CFG_MAX_NENTS		256
#define CFG_MAX_BATCH		256
#define CFG_MAX_ITERATIONS	100000000ull
#define CFG_NR_BARS		6

struct bench_config {
	char engine[CFG_NAME_MAX];		/* "" until set */
	char modes[CFG_MAX_LIST][CFG_NAME_MAX];
	size_t nmodes;
	uint64_t sizes[CFG_MAX_LIST];		/* bytes */
	size_t nsizes;
	unsigned int threads[CFG_MAX_LIST];
	size_t nthreads;
	unsigned int seconds;
	unsigned int repeat;
	int dir;				/* enum cfg_dir */
	unsigned int dma_bits;
	int node;				/* -1: any node (NUMA_NO_NODE) */
	unsigned int trans_ns;
	/* engine kmod (DESIGN.md section 5); the defaults mean "not used" */
	unsigned int nents[CFG_MAX_LIST];	/* sg entries per mapping */
	size_t nnents;
	unsigned int batch;			/* ops per timestamp; 0: module default */
	uint64_t iterations;			/* samples per thread; 0: SECONDS */
	int target;				/* enum cfg_target */
	int has_device;				/* DEVICE given */
	uint32_t device_domain, device_bdf;	/* bus << 8 | dev << 3 | fn */
	int bar_dev;				/* enum cfg_bar */
	unsigned int bar;			/* 0..5 */
	unsigned int attrs;			/* enum cfg_attr bits */
};

/*
 * Keys, values and limits (a value is one word, a list is words separated
 * by blanks and must then be quoted in a file):
 *   ENGINE    name                     (resolved by the run command)
 *   MODES     list of single page sg phys phys-mmio resource p2p-provider
 *             p2p-pgmap iova-link      (default: single)
 *   SIZES     list, bytes with optional K/M/G suffix (x1024), power of two
 *             in 4K..4M                (default: 4K)
 *   THREADS   list, 1..1024            (default: 1)
 *   SECONDS   1..300                   (default: 1)
 *   REPEAT    1..100                   (default: 3)
 *   DIR       bidirectional|to_device|from_device (or bidir|to|from)
 *   DMA_BITS  20..64                   (default: 64: a 32-bit mask bounces
 *                                       through swiotlb, DESIGN.md section 3)
 *   NODE      -1 (any) or 0..1023      (default: -1)
 *   TRANS_NS  0..10000000 simulated transfer time per map (default: 0)
 * Engine kmod only (the inkernel engine refuses them):
 *   NENTS     list, 1..256 sg entries per mapping, for the modes that take
 *             entries (sg p2p-pgmap iova-link)          (default: 1)
 *   BATCH     0..256 operations per timestamp pair; 0: the module's default
 *   ITERATIONS 1..100000000 samples per thread, instead of SECONDS: setting
 *             one unsets the other (a file may set only one of them)
 *   TARGET    pci|direct: a PCI device bound to the module, or its
 *             device-less dma-direct device               (default: pci)
 *   DEVICE    dddd:bb:dd.f, the PCI target (default: the bound device)
 *   BAR       target:N or p2pmem:N (N 0..5): the BAR the MMIO modes map
 *   ATTRS     list of skip_cpu_sync weak_ordering          (default: none)
 * Lists may not repeat a value: each cell names one result file.
 */
void config_defaults(struct bench_config *c);

/* Sets one key from one value string; on error writes a message to err. */
int config_set(struct bench_config *c, const char *key, const char *value,
	       char *err, size_t errlen);

/*
 * Parses a config text.  Lines: blank, "# comment", or [export ]KEY=value
 * where value is a bare word or a "double" / 'single' quoted string,
 * optionally followed by a # comment.  A key may appear once per file.
 * Errors read "name:line: message".
 */
int config_parse(struct bench_config *c, const char *name, const char *text,
		 char *err, size_t errlen);
int config_load(struct bench_config *c, const char *path, char *err, size_t errlen);

/* "64K" -> 65536.  Returns 0, or -1 for syntax errors and overflow. */
int config_parse_size(const char *s, uint64_t *out);
/* 65536 -> "64K": the largest exact K/M/G unit, else plain bytes. */
void config_format_size(uint64_t bytes, char *buf, size_t len);
/* "bidirectional", "to_device", "from_device"; NULL if out of range. */
const char *config_dir_name(int dir);
/* The inverse (full names only); -1 if unknown. */
int config_dir_from_name(const char *name);
/* "pci", "direct"; NULL for CFG_TARGET_UNSET and out of range. */
const char *config_target_name(int target);
/* "dddd:bb:dd.f" (hex) -> domain and bus << 8 | dev << 3 | fn; 0 or -1. */
int config_parse_pci(const char *s, uint32_t *domain, uint32_t *bdf);
void config_format_pci(uint32_t domain, uint32_t bdf, char *buf, size_t len);
/* "target:N" / "p2pmem:N" -> enum cfg_bar and N; 0 or -1. */
int config_parse_bar(const char *s, int *bar_dev, unsigned int *bar);
/* "target:0"; "" for CFG_BAR_NONE. */
void config_format_bar(int bar_dev, unsigned int bar, char *buf, size_t len);
/* Name of one ATTRS bit ("skip_cpu_sync", ...); NULL if not exactly one known bit. */
const char *config_attr_name(unsigned int bit);

#endif
