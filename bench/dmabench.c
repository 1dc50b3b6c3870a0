/*
 * dmabench: drives DMA mapping benchmarks and compares their results.
 * See SCHEMA.md for the result files and usage() for the commands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine.h"

void usage(FILE *f)
{
	fputs("usage: dmabench run --engine ENGINE --out DIR [--env FILE] [--config FILE]\n"
	      "                    [cell options] [--dry-run]\n"
	      "       dmabench compare BASE PATCHED [--threshold PCT]\n"
	      "       dmabench import --format FORMAT --out DIR [--env FILE] RUN_OUTPUT...\n"
	      "       dmabench export --csv|--kcidb PATH...\n"
	      "       dmabench export --plot KIND|--table KIND [SELECT] PATH [PATCHED]\n"
	      "       dmabench help\n"
	      "\n"
	      "run: measure every cell (mode x size x nents x threads) REPEAT times and write\n"
	      "  one DIR/<cell>.json per cell plus DIR/summary.json (names in SCHEMA.md).\n"
	      "  --engine ENGINE   inkernel: Linux's built-in dma_map_benchmark\n"
	      "                    (/sys/kernel/debug/dma_map_benchmark, dma_map_single only)\n"
	      "                    kmod: the dmabench module (/dev/dmabench), every mode\n"
	      "  --out DIR         result directory (created if missing)\n"
	      "  --env FILE        key=value facts from the VM runner (series, qemu, tree, ...)\n"
	      "  --config FILE     KEY=value matrix, e.g. configs/kmod-smoke.conf;\n"
	      "                    cell options given on the command line override it\n"
	      "  --dry-run         check everything and print the plan; measure nothing\n"
	      "cell options (LIST: blank-separated words, quoted, e.g. --size \"4K 64K\"):\n"
	      "  --mode LIST       single page sg phys phys-mmio resource p2p-pgmap\n"
	      "                    p2p-provider iova-link (inkernel: single)  [single]\n"
	      "  --size LIST       bytes per map, K/M suffix, power of two 4K..4M  [4K]\n"
	      "  --threads LIST    1..1024 (kmod: 1..64)  [1]\n"
	      "  --seconds N       1..300 per run  [1]\n"
	      "  --repeat R        1..100 runs per cell, for run-to-run spread  [3]\n"
	      "  --dir D           bidirectional|to_device|from_device  [bidirectional]\n"
	      "  --dma-bits N      DMA mask width 20..64 (kmod: 32..64)  [64; 32 would bounce\n"
	      "                    via swiotlb]\n"
	      "  --node N          NUMA node of the benchmark threads, -1 = any  [-1]\n"
	      "  --trans-ns N      simulated transfer time 0..10000000 ns (inkernel)  [0]\n"
	      "kmod only:\n"
	      "  --nents LIST      sg entries 1..256 for sg, p2p-pgmap, iova-link  [1]\n"
	      "  --iterations N    1..100000000 samples per thread, instead of --seconds\n"
	      "  --batch N         0..256 maps per timestamp pair; 0: the module's default  [0]\n"
	      "  --target T        pci (a device bound to the module) | direct (dma-direct)\n"
	      "                    [pci]\n"
	      "  --device BDF      dddd:bb:dd.f of the PCI target  [the one bound device]\n"
	      "  --bar B           target:N | p2pmem:N, the BAR phys-mmio, resource and\n"
	      "                    p2p-provider map (required for them)\n"
	      "  --attrs LIST      skip_cpu_sync weak_ordering  [none]\n"
	      "\n"
	      "compare: match cells of two result dirs (or files) by every cell parameter\n"
	      "  (engine, mode, size, nents, threads, dir, dma_bits, node, target, device, BAR,\n"
	      "  attrs) and print per metric an LKP-style table of the run means, plus p50 and\n"
	      "  p99 tables where both sides have per-run percentiles (kmod):\n"
	      "  base ±stddev%  %change  patched ±stddev%  sig  runs  95% CI  cell\n"
	      "  --threshold PCT   exit 1 if a cell's mean got worse by more than PCT percent\n"
	      "                    and the change is significant: Welch p, Holm-adjusted over\n"
	      "                    all mean comparisons of the run, below 0.05\n"
	      "\n"
	      "export: the result files (PATH: dirs or files) in other shapes, on stdout\n"
	      "  --csv             one row per cell and metric (columns in SCHEMA.md)\n"
	      "  --kcidb           KCIDB v5 \"tests\" rows: mean, p50, p99 with units\n"
	      "  --origin NAME     KCIDB origin  [dmabench]\n"
	      "  --plot size       gnuplot blocks per mode: bytes p50 p99 mean stddev\n"
	      "  --plot threads    the same over threads at --size\n"
	      "  --plot cdf        per mode, from the histogram: ns, fraction at or below\n"
	      "  --plot ab         BASE PATCHED: %change and its 95% CI per cell\n"
	      "  --table modes     Markdown: mean per size and mode, ratio to page\n"
	      "  --table ab        BASE PATCHED: plain text, 72 columns, cover letter\n"
	      "  SELECT: --metric NAME [map+unmap]  --size SIZE [4K]  --threads N [1]\n"
	      "  exit 1 when the input is valid but holds nothing to export (the reason is\n"
	      "  on stderr)\n"
	      "\n"
	      "import: read the outputs of one workload cell, one file per run (workloads/),\n"
	      "  and write DIR/<cell>.json with bw (GB/s), iops (IO/s) and, where measured,\n"
	      "  latency percentiles (ns); a run that failed or did not verify is exit 1.\n"
	      "  --format FORMAT   fio (--output-format=json+), perftest (ib_*_bw stdout),\n"
	      "                    rdma-dmabuf (workloads/rdma-dmabuf stdout)\n"
	      "\n"
	      "exit status: 0 ok, 1 measurement failed or regression found, 2 bad input,\n"
	      "             3 engine not available on this system\n", f);
}

int option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "dmabench: %s needs a value\n", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2, argc, argv);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 2, argv + 2);
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc - 2, argv + 2, argc, argv);
	if (!strcmp(argv[1], "export"))
		return cmd_export(argc - 2, argv + 2);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	fprintf(stderr, "dmabench: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_BADINPUT;
}
