#!/bin/sh
# bench.sh CONFIG: the guest (or host-mode) half of "make bench": run the
# matrix a bench/configs/*.conf file describes and leave one JSON file per
# cell plus summary.json in $DMABENCH_OUT/cells.
#
# Engines that need a device get it here: the in-tree dma_map_benchmark is
# bound to the spare edu device through driver_override and unbound after,
# so the device's normal driver (none, for edu) can take it back.
CONFIG=${1:?usage: bench.sh CONFIG}
. "$(dirname "$0")/lib.sh"

rc=0
if grep -q '^ENGINE=.*inkernel' "$CONFIG"; then
	dev=${DMABENCH_DEVICE:-$(pci_find $EDU_ID)} || dev=""
	if [ -z "$dev" ]; then
		echo "bench: skip inkernel: no device to bind (set DMABENCH_DEVICE=<bdf>)"
	elif [ ! -d /sys/bus/pci/drivers/dma_map_benchmark ]; then
		echo "bench: skip inkernel: this kernel has no CONFIG_DMA_MAP_BENCHMARK"
	elif pci_bind "$dev" dma_map_benchmark; then
		"$DMABENCH" run --config "$CONFIG" --env "$DMABENCH_OUT/env" \
			--out "$DMABENCH_OUT/cells" || rc=$?
		pci_unbind "$dev"
	else
		echo "bench: cannot bind $dev to dma_map_benchmark"
		rc=1
	fi
fi
exit $rc
