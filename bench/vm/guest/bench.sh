#!/bin/sh
# bench.sh CONFIG...: the guest (or host-mode) half of "make bench": run
# each matrix a bench/configs/*.conf file describes and leave one JSON file
# per cell plus summary.json in $DMABENCH_OUT/<config name>/.
#
# Each engine gets its device here and gives it back after: the in-tree
# dma_map_benchmark and our module (microbench-kmod) both bind the spare
# device through driver_override; it is unbound after each config, so the
# device's normal driver can take it back.
. "$(dirname "$0")/lib.sh"

KMOD=$DMABENCH_TOP/microbench-kmod
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null | tail -n 1)
dev=${DMABENCH_DEVICE:-$(pci_find $EDU_ID)} || dev=""

# run_config CONFIG DRIVER: bind, run dmabench, unbind. A config whose
# engine cannot run here is skipped with the reason; a failed run is not.
run_config() {
	_out=$DMABENCH_OUT/$(basename "$1" .conf)
	if ! pci_bind "$dev" "$2"; then
		echo "bench: cannot bind $dev to $2"
		return 1
	fi
	"$DMABENCH" run --config "$1" --env "$DMABENCH_OUT/env" --out "$_out" \
		${modes_opt:+--mode "$modes_opt"}
	_rc=$?
	pci_unbind "$dev"
	return $_rc
}

# run_workloads CONFIG: the workload scripts (workloads/), each with its
# *_ARGS line of the config; all results in one directory.
run_workloads() {
	_out=$DMABENCH_OUT/$(basename "$1" .conf)
	_rc=0
	for _w in fio-p2p:FIO rdma-perftest:PERFTEST rdma-dmabuf:RDMA_DMABUF; do
		_args=$(sed -n "s/^${_w#*:}_ARGS=//p" "$1")
		# shellcheck disable=SC2086
		sh "$DMABENCH_TOP/workloads/${_w%%:*}.sh" --out "$_out" --env "$DMABENCH_OUT/env" \
			$_args || _rc=1
	done
	return $_rc
}

rc=0
modes_opt=""
for config in "$@"; do
	modes_opt=""
	engine=$(sed -n 's/^ENGINE=\([a-z]*\).*/\1/p' "$config")
	if [ "$engine" = workloads ]; then
		run_workloads "$config" || rc=1
		continue
	fi
	if [ "$engine" = perf ]; then
		sh "$(dirname "$0")/perf-profile.sh" "$config" || rc=1
		continue
	fi
	if [ -z "$dev" ]; then
		echo "bench: skip $config: no device to bind (set DMABENCH_DEVICE=<bdf>)"
		continue
	fi
	case $engine in
	inkernel)
		if [ ! -d /sys/bus/pci/drivers/dma_map_benchmark ]; then
			echo "bench: skip $config: this kernel has no CONFIG_DMA_MAP_BENCHMARK"
			continue
		fi
		run_config "$config" dma_map_benchmark || rc=1
		;;
	kmod)
		# The P2P modes need a p2pmem provider (an NVMe CMB), and the
		# engine refuses a whole matrix that asks for one it cannot
		# reach. Without one, run the other modes and say which were
		# left out, or skip a matrix that has nothing else.
		modes_opt=""
		if ! cat /sys/bus/pci/devices/*/p2pmem/published 2>/dev/null | grep -qx 1; then
			all=$(sed -n 's/^MODES="\{0,1\}\([^"#]*\)"\{0,1\}.*/\1/p' "$config")
			rest=$(echo $all | tr ' ' '\n' | grep -v '^p2p-' | tr '\n' ' ')
			if [ "$rest" != "$(echo $all | tr ' ' '\n' | tr '\n' ' ')" ]; then
				echo "bench: $config: no PCI device here publishes p2pmem (an NVMe with a CMB): leaving out $(echo $all | tr ' ' '\n' | grep '^p2p-' | tr '\n' ' ')"
				[ -n "$rest" ] || continue
				modes_opt=$rest
			fi
		fi
		ko=$KMOD/out/${tree:-$(uname -r)}/dmabench.ko
		if [ ! -f "$ko" ]; then
			echo "bench: skip $config: no module at $ko (make -C microbench-kmod)"
			continue
		fi
		insmod "$ko" || { echo "bench: insmod $ko failed"; rc=1; continue; }
		run_config "$config" dmabench || rc=1
		rmmod dmabench || rc=1
		;;
	*)
		echo "bench: $config: unknown ENGINE '$engine'"
		rc=1
		;;
	esac
done
exit $rc
