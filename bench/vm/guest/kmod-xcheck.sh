#!/bin/sh
# kmod-xcheck.sh [SECONDS]: cross-check the dmabench module against the
# in-tree kernel/dma/map_benchmark in one boot, on the same edu device:
# single mode, 4 KiB, 1 thread, 64-bit mask, bidirectional. Also reports
# the timer overhead and its share of the fastest mode (dma-direct).
# Timings from a QEMU TCG guest are emulated.
. "$(dirname "$0")/lib.sh"

SECS=${1:-10}
KMOD=$DMABENCH_TOP/microbench-kmod
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null)
TAG=xcheck:$(sed -n 's/^iommu_mode=//p' "$DMABENCH_OUT/env" 2>/dev/null)
SMOKE=$KMOD/out/dmabench-smoke
edu=$(pci_find $EDU_ID) || { case_fail "$TAG:edu-present"; exit 1; }

guest_check "$TAG:insmod" insmod "$KMOD/out/${tree:-patched}/dmabench.ko"
guest_check "$TAG:bind-dmabench" pci_bind "$edu" dmabench
"$SMOKE" info
for b in 0 1; do
	echo "== module single 4K batch=$b (0: default)"
	guest_check "$TAG:module-batch$b" "$SMOKE" run single target="$edu" \
		size=4096 threads=1 secs="$SECS" batch="$b"
done
# The fastest mode: dma-direct on the device-less target
echo "== module single 4K direct (fastest mode)"
guest_check "$TAG:module-direct" "$SMOKE" run single target=direct \
	size=4096 threads=1 secs="$SECS"
pci_unbind "$edu"
rmmod dmabench

if [ -d /sys/bus/pci/drivers/dma_map_benchmark ] &&
   pci_bind "$edu" dma_map_benchmark; then
	echo "== in-tree dma_map_benchmark"
	guest_check "$TAG:inkernel" "$SMOKE" inkernel "$SECS"
	pci_unbind "$edu"
else
	case_skip "$TAG:inkernel (no CONFIG_DMA_MAP_BENCHMARK)"
fi
grep -q "^FAIL guest:$TAG" "$DMABENCH_OUT/cases" 2>/dev/null && exit 1
exit 0
