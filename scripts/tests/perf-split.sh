#!/bin/sh
# The perf split of make bench PERF=1 (bench/vm/guest/perf-profile.sh):
# samples of the module's threads go to the map or unmap path by the
# module's mode function on their chain, other tasks are dropped, the
# leaf functions are counted per path, and TOP limits each path's list.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
S=$(dirname "$0")/../../bench/vm/guest/perf-profile.sh
sample() { # COMM LEAF [CALLER...]: one sample as perf script prints it
	printf '%s \n' "$1"; shift
	for fn in "$@"; do
		case $fn in page_map|page_unmap|dmabench_*) dso='[dmabench]' ;; *) dso='[kernel.kallsyms]' ;; esac
		printf '\t ffffffff81000000 %s+0x1f (%s)\n' "$fn" "$dso"
	done
	echo
}
{
	for _ in 1 2 3; do sample dmabench/0 iommu_map intel_iommu_map page_map dmabench_measure; done
	sample dmabench/0 iova_alloc dma_map_page_attrs page_map dmabench_measure
	for _ in 1 2; do sample dmabench/1 __iommu_unmap page_unmap dmabench_measure; done
	sample dmabench/0 ktime_get dmabench_measure
	# a kernel function named *_map that is not the module's mode function
	sample dmabench/0 pte_map dmabench_measure
	sample kworker/0:1 iommu_map process_one_work
} > "$d/script"
sh "$S" --split 1 "$d/paths" < "$d/script" > "$d/top" || exit 1
printf 'map\tiommu_map\t3\t0.7500\nother\tktime_get\t1\t0.5000\nunmap\t__iommu_unmap\t2\t1.0000\n' > "$d/want"
cmp -s "$d/top" "$d/want" || { echo "top per path:"; cat "$d/top"; exit 1; }
printf 'map\t4\t0.5000\nother\t2\t0.2500\nunmap\t2\t0.2500\n' > "$d/want"
cmp -s "$d/paths" "$d/want" || { echo "paths:"; cat "$d/paths"; exit 1; }
sh "$S" --split 8 "$d/paths" < "$d/script" | grep -q "^map	iova_alloc	1	0.2500$" ||
	{ echo "the second map function is missing with TOP 8"; exit 1; }
exit 0
