#!/bin/sh
# lifetime-loop.sh [TAG]: the lifetime rules, repeated.
#
#  - The provider's owner goes away under a live mapping: a p2p-provider
#    run maps the NVMe CMB while the NVMe driver is unbound. The run pins
#    the provider, so the unbind waits for the run, the run ends normally,
#    and the NVMe probes again with its CMB. LOOPS times.
#  - The module is loaded, bound to the edu device, run, unbound and
#    removed. LOOPS times.
# Afterwards dma-debug (debug kernels) must hold no mapping of either
# device. LOOPS is 100 on a debug kernel (make test-debug), 10 otherwise;
# LIFETIME_LOOPS overrides it.
. "$(dirname "$0")/lib.sh"

TAG=lifetime:${1:-host}
LOOPS=10
[ -e /sys/kernel/debug/kmemleak ] && LOOPS=100
LOOPS=${LIFETIME_LOOPS:-$LOOPS}
KMOD=$DMABENCH_TOP/microbench-kmod
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null)
KO=$KMOD/out/${tree:-patched}/dmabench.ko
SMOKE=$KMOD/out/dmabench-smoke
LOG=$DMABENCH_OUT/lifetime.log
: > "$LOG"

edu=$(pci_find $EDU_ID) || { case_fail "$TAG:edu-present"; exit 1; }
nvme=$(pci_find_class $NVME_CLASS) || nvme=""
cmb_bar=""
[ -n "$nvme" ] && cmb_bar=$(pci_p2pmem_bar "$nvme")

# until_busy BDF: until a run holds BDF, polled inside one process (a
# process per look is too slow for a debug guest); until_cmb: until the
# NVMe published its CMB again. At most 60 s each.
until_busy() { "$SMOKE" wait-busy "$1" 60; }
until_cmb() {
	_i=0
	while [ $_i -lt 600 ]; do
		grep -qx 1 "/sys/bus/pci/devices/$nvme/p2pmem/published" 2>/dev/null && return 0
		sleep 0.1; _i=$((_i + 1))
	done
	return 1
}

if [ -z "$cmb_bar" ]; then
	case_skip "$TAG:owner-unbind-under-mapping (no NVMe CMB published as p2pmem)"
elif ! { insmod "$KO" && pci_bind "$edu" dmabench; }; then
	case_fail "$TAG:owner-unbind-setup"
else
	good=0 i=0
	while [ $i -lt "$LOOPS" ]; do
		i=$((i + 1))
		"$SMOKE" run p2p-provider target=$edu size=4096 secs=3 bardev=p2pmem \
			bar=$cmb_bar > /tmp/lifetime-run 2>&1 &
		pid=$!
		if ! until_busy "$edu"; then
			echo "round $i: the run never started" >> "$LOG"
			wait $pid; break
		fi
		echo "$nvme" > "/sys/bus/pci/devices/$nvme/driver/unbind"
		wait $pid
		rc=$?
		echo "$nvme" > /sys/bus/pci/drivers_probe
		if [ $rc = 0 ] && grep -q 'status=0' /tmp/lifetime-run && until_cmb; then
			good=$((good + 1))
		else
			echo "round $i: run exit $rc, CMB $(cat /sys/bus/pci/devices/$nvme/p2pmem/published 2>/dev/null || echo gone)" >> "$LOG"
			cat /tmp/lifetime-run >> "$LOG"
			until_cmb || break
		fi
	done
	echo "lifetime: owner unbind under a live provider mapping: $good of $LOOPS rounds clean"
	guest_check "$TAG:owner-unbind-under-mapping-$LOOPS-rounds" test "$good" = "$LOOPS"
	pci_unbind "$edu"
	guest_check "$TAG:rmmod-after-unbind-rounds" rmmod dmabench
	guest_check "$TAG:nvme-back-with-its-driver" sh -c \
		"[ \"\$(basename \$(readlink /sys/bus/pci/devices/$nvme/driver))\" = nvme ]"
fi

good=0 i=0
while [ $i -lt "$LOOPS" ]; do
	i=$((i + 1))
	if insmod "$KO" && pci_bind "$edu" dmabench &&
	   "$SMOKE" run page target=$edu size=4096 iters=20 > /tmp/lifetime-run 2>&1; then
		good=$((good + 1))
	else
		echo "load round $i failed" >> "$LOG"
		cat /tmp/lifetime-run >> "$LOG" 2>/dev/null
	fi
	pci_unbind "$edu"
	rmmod dmabench 2>>"$LOG"
done
echo "lifetime: load, bind, run, unbind, unload: $good of $LOOPS rounds clean"
guest_check "$TAG:load-bind-run-unbind-unload-$LOOPS-rounds" test "$good" = "$LOOPS"
guest_check "$TAG:module-gone" test ! -e /sys/module/dmabench

# dma-debug's table of live mappings: none left for either device. Only
# while dma-debug runs: when an allocation of its own fails (fault
# injection) it disables itself and stops removing entries on unmap.
if [ "$(cat /sys/kernel/debug/dma-api/disabled 2>/dev/null)" = Y ]; then
	case_skip "$TAG:no-mapping-left-in-dma-debug (dma-debug disabled itself earlier in this boot)"
elif [ -r /sys/kernel/debug/dma-api/dump ]; then
	guest_check "$TAG:no-mapping-left-in-dma-debug" sh -c \
		"! grep -q -e '$edu' /sys/kernel/debug/dma-api/dump"
fi
grep -q "^FAIL guest:$TAG" "$DMABENCH_OUT/cases" 2>/dev/null && exit 1
exit 0
