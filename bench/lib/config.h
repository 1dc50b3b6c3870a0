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

#endif
