#!/bin/sh
# test-boot.sh BOOT: the guest half of one make-test boot (BOOT is off,
# strict, swiotlb or hostbridge). KUnit already ran before init; this checks
# the guest hardware the benchmarks depend on and smoke-runs the tools that
# exist.
BOOT=${1:?usage: test-boot.sh off|strict|swiotlb|hostbridge}
. "$(dirname "$0")/lib.sh"

edu=$(pci_find $EDU_ID) || edu=""
nvme=$(pci_find_class $NVME_CLASS) || nvme=""
guest_check "$BOOT:edu-device-present" test -n "$edu"
guest_check "$BOOT:nvme-present" test -n "$nvme"
if [ -n "$nvme" ]; then
	# The CMB registered as a struct-page P2P provider (nvme_map_cmb).
	guest_check "$BOOT:nvme-cmb-p2pmem-published" \
		grep -qx 1 "/sys/bus/pci/devices/$nvme/p2pmem/published"
	# Plain block I/O through the (possibly remapped) DMA path: write a
	# pattern with O_DIRECT, read it back and compare.
	blk=$(ls "/sys/bus/pci/devices/$nvme/nvme/"*/ 2>/dev/null | grep -m1 '^nvme[0-9]*n[0-9]*$')
	if [ -n "$blk" ]; then
		dd if=/dev/urandom of=/tmp/pattern bs=64k count=16 2>/dev/null
		guest_check "$BOOT:nvme-direct-io-roundtrip" sh -c "
			dd if=/tmp/pattern of=/dev/$blk bs=64k oflag=direct 2>/dev/null &&
			dd if=/dev/$blk of=/tmp/readback bs=64k count=16 iflag=direct 2>/dev/null &&
			cmp /tmp/pattern /tmp/readback"
	else
		case_fail "$BOOT:nvme-namespace-present"
	fi
fi
# The P2P topology the KUnit P2P cases and the p2p modes rely on: the NVMe
# behind the edu device's switch, or on the root bus with a CPU the P2P
# core trusts to route through the host bridge (bench/vm/run.sh).
if [ -n "$nvme" ]; then
	case $BOOT in
	hostbridge) guest_check "$BOOT:nvme-on-root-bus-amd-17h-cpu" sh -c "
		case $nvme in 0000:00:*) ;; *) exit 1 ;; esac
		grep -m1 -q '^cpu family.*: 23' /proc/cpuinfo" ;;
	*) guest_check "$BOOT:nvme-behind-switch" sh -c "case $nvme in 0000:00:*) exit 1 ;; esac" ;;
	esac
fi
if [ -n "$edu" ]; then
	case $BOOT in
	strict|hostbridge) guest_check "$BOOT:edu-in-iommu-group" test -e "/sys/bus/pci/devices/$edu/iommu_group" ;;
	*) guest_check "$BOOT:edu-no-iommu" test ! -e "/sys/bus/pci/devices/$edu/iommu_group" ;;
	esac
fi

# The in-tree benchmark through dmabench: one short cell, a valid result.
if [ "$BOOT" = strict ] && [ -n "$edu" ] && [ -x "$DMABENCH" ]; then
	if pci_bind "$edu" dma_map_benchmark; then
		guest_check "$BOOT:inkernel-benchmark-cell" "$DMABENCH" run --engine inkernel \
			--size 4K --seconds 1 --repeat 2 --env "$DMABENCH_OUT/env" \
			--out "$DMABENCH_OUT/inkernel"
		pci_unbind "$edu"
		guest_check "$BOOT:edu-unbound-after-benchmark" test ! -e "/sys/bus/pci/devices/$edu/driver"
	else
		case_fail "$BOOT:bind-edu-to-dma_map_benchmark"
	fi
fi

# The benchmark module: every mode once, bad ioctls, lifetime rules.
sh "$(dirname "$0")/kmod-smoke.sh" "$BOOT"

# The vfio-pci dma-buf export selftest and the module as its importer
# (vfio-pci needs the IOMMU of these two boots; the host-bridge one lets the
# importer reach the exported BAR).
case $BOOT in strict|hostbridge) sh "$(dirname "$0")/vfio-dmabuf.sh" "$BOOT" ;; esac

# The regression gate against a slowdown injected on purpose, and noise.
[ "$BOOT" = strict ] && sh "$(dirname "$0")/verdict-smoke.sh" "$BOOT"

# The lifetime rules repeated: owner unbind under a live provider mapping,
# module load/bind/unbind/unload (100 rounds on a debug kernel, 10 here).
[ "$BOOT" = strict ] && sh "$(dirname "$0")/lifetime-loop.sh" "$BOOT"

# Debug kernels: the module matrix under failslab and fail_page_alloc
# (skipped, and said so, on a kernel without fault injection). After the
# lifetime loops: an injected failure can make dma-debug disable itself.
[ "$BOOT" = strict ] && sh "$(dirname "$0")/fault-inject.sh" "$BOOT"

# The fio and RDMA workloads, briefly (strict boot only: they take a while).
[ "$BOOT" = strict ] && sh "$(dirname "$0")/workloads-smoke.sh" "$BOOT"

# The module's ioctl under fuzzing: 10,000 seeded inputs as root, each
# checked against the errno the uAPI rules predict, then 1,000 as nobody,
# which must all get EPERM. The last input is saved before every call.
FUZZ=$DMABENCH_TOP/bench/build/bin/dmabench-fuzz
KO=$DMABENCH_TOP/microbench-kmod/out/$(sed -n 's/^name=//p' "$DMABENCH_OUT/env")/dmabench.ko
if [ "$BOOT" != strict ]; then
	:
elif ! { [ -x "$FUZZ" ] && [ -n "$edu" ] && insmod "$KO"; }; then
	case_fail "$BOOT:fuzz-setup (fuzzer, edu device and module needed)"
else
	pci_bind "$edu" dmabench
	# 100,000 inputs on a debug kernel (make test-debug), 10,000 otherwise
	nfuzz=10000
	[ -e /sys/kernel/debug/kmemleak ] && nfuzz=100000
	guest_check "$BOOT:fuzz-ioctl-$nfuzz-as-root" "$FUZZ" -n $nfuzz --seed 1 \
		--save "$DMABENCH_OUT/fuzz-root.last"
	chmod 0666 /dev/dmabench
	guest_check "$BOOT:fuzz-ioctl-1000-unprivileged-eperm" setpriv --reuid=65534 \
		--regid=65534 --clear-groups "$FUZZ" --expect-eperm -n 1000 --seed 2 \
		--save /tmp/fuzz-nobody.last
	pci_unbind "$edu"
	guest_check "$BOOT:rmmod-after-fuzz" rmmod dmabench
fi

# Debug kernels: nothing the boot, KUnit and the smoke runs allocated may
# leak. kmemleak needs two scans to report an object as unreferenced.
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 1
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > "$DMABENCH_OUT/kmemleak"
	guest_check "$BOOT:kmemleak-clean" test ! -s "$DMABENCH_OUT/kmemleak"
fi

grep -q '^FAIL' "$DMABENCH_OUT/cases" 2>/dev/null && exit 1
exit 0
