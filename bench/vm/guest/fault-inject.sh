#!/bin/sh
# fault-inject.sh [TAG]: the module's matrix, and the vfio-pci dma-buf
# export, under failslab and fail_page_alloc (debug kernels:
# CONFIG_FAULT_INJECTION). Each mode runs
# ROUNDS times per injector with the run ioctl (and, through the module,
# its threads) marked for failure, at a probability that hits the buffer
# setup, the sg table allocation and the IOMMU's IOVA and page-table
# allocations. Every run must either succeed or come back to the caller
# as an error (errno or results.status); afterwards, with injection off,
# every mode must run cleanly again: the device and the module are still
# usable. The boot's console scan and kmemleak (test-boot.sh) then catch
# any WARN, splat or leak the failures caused.
#
#   FAULT_ROUNDS (default 6); FAULT_PROBABILITY percent (default 10 for
#   failslab, 50 for fail_page_alloc, whose failures mostly land on
#   allocations with a fallback: those must not surface at all)
. "$(dirname "$0")/lib.sh"

TAG=fault:${1:-host}
ROUNDS=${FAULT_ROUNDS:-6}
DBG=/sys/kernel/debug
KMOD=$DMABENCH_TOP/microbench-kmod
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null)
KO=$KMOD/out/${tree:-patched}/dmabench.ko
SMOKE=$KMOD/out/dmabench-smoke
LOG=$DMABENCH_OUT/fault-inject

[ -d $DBG/failslab ] && [ -d $DBG/fail_page_alloc ] ||
	{ case_skip "$TAG:not-a-fault-injection-kernel"; exit 0; }
edu=$(pci_find $EDU_ID) || { case_fail "$TAG:edu-present"; exit 1; }
guest_check "$TAG:insmod" insmod "$KO"
guest_check "$TAG:bind-edu" pci_bind "$edu" dmabench
nvme=$(pci_find_class $NVME_CLASS) || nvme=""
cmb_bar=""
[ -n "$nvme" ] && cmb_bar=$(pci_p2pmem_bar "$nvme")

# inject NAME on PERCENT | inject NAME off: one injector, task-filtered, for order-0 pages too
inject() {
	_d=$DBG/$1
	if [ "$2" = on ]; then
		echo Y > $_d/task-filter
		echo 0 > $_d/verbose
		echo 0 > $_d/space
		echo "$3" > $_d/probability
		echo 1 > $_d/interval
		echo 1000000 > $_d/times
		echo N > $_d/ignore-gfp-wait
		[ -e $_d/min-order ] && echo 0 > $_d/min-order
		[ -e $_d/ignore-gfp-highmem ] && echo N > $_d/ignore-gfp-highmem
	else
		echo 0 > $_d/probability
		echo 0 > $_d/times
	fi
}

cell="target=$edu size=65536 threads=2 iters=50"
# one line per mode: MODE ARGS...
modes="single $cell;page $cell;sg $cell nents=8;phys $cell"
modes="$modes;phys-mmio $cell bardev=target bar=0;resource $cell bardev=target bar=0"
[ -n "$cmb_bar" ] && modes="$modes;p2p-pgmap $cell nents=2;p2p-provider $cell bardev=p2pmem bar=$cmb_bar"
# classify RC OUTPUT: ok, errno (the ioctl failed), status (the run stopped
# early and said why), or bad (a crash, or figures that fail the checks
# with no error reported: the failure was swallowed)
classify() {
	case $1 in
	0) echo ok ;;
	1) if grep -q ' error=' "$2"; then echo errno
	   elif grep -q ' status=-[1-9]' "$2"; then echo status
	   else echo bad; fi ;;
	*) echo bad ;;
	esac
}

for inj in failslab fail_page_alloc; do
	: > "$LOG.$inj"
	prob=${FAULT_PROBABILITY:-10}
	[ $inj = fail_page_alloc ] && prob=${FAULT_PROBABILITY:-50}
	inject $inj on "$prob"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		echo "$modes" | tr ';' '\n' > /tmp/fault-modes
		while read -r mode args; do
			# shellcheck disable=SC2086
			DMABENCH_SMOKE_MAKE_IT_FAIL=1 "$SMOKE" run $mode $args > /tmp/fault-out 2>&1
			rc=$?
			echo "$inj $mode round $r: rc=$rc $(classify $rc /tmp/fault-out): $(head -n 1 /tmp/fault-out)" >> "$LOG.$inj"
		done < /tmp/fault-modes
	done
	left=$(cat $DBG/$inj/times)
	inject $inj off
	injected=$((1000000 - left))
	n_ok=$(grep -c ': rc=[0-9]* ok:' "$LOG.$inj")
	n_errno=$(grep -c ': rc=[0-9]* errno:' "$LOG.$inj")
	n_status=$(grep -c ': rc=[0-9]* status:' "$LOG.$inj")
	n_bad=$(grep -c ': rc=[0-9]* bad:' "$LOG.$inj")
	echo "fault: $inj p=$prob%: $injected allocations failed; runs: $n_ok ran, $n_errno errno, $n_status results.status, $n_bad bad (log $LOG.$inj)"
	grep ': rc=[0-9]* bad:' "$LOG.$inj" | head -n 5
	guest_check "$TAG:$inj-failures-injected" test "$injected" -gt 0
	# slab failures in the ioctl and setup paths have no fallback: some must
	# reach the caller, or the injection missed the code under test
	[ $inj = failslab ] && guest_check "$TAG:$inj-some-runs-failed" test $((n_errno + n_status)) -gt 0
	guest_check "$TAG:$inj-every-failure-reached-the-caller" test "$n_bad" = 0
done

# Afterwards everything works: each mode once more, injection off.
echo "$modes" | tr ';' '\n' | while read -r mode args; do
	# shellcheck disable=SC2086
	guest_check "$TAG:$mode-clean-after-injection" "$SMOKE" run $mode $args
done
pci_unbind "$edu"
guest_check "$TAG:rmmod" rmmod dmabench

# The vfio-pci dma-buf export path under the same injectors: 1,000 fuzzed
# VFIO_DEVICE_FEATURE_DMA_BUF requests each, the ioctl alone marked. Each
# must get the errno the uAPI rules give or ENOMEM, and every valid export
# a dma-buf of the right size; then 1,000 more without injection must all
# pass (the device is still usable). kmemleak (test-boot.sh) catches leaks.
VFUZZ=$DMABENCH_TOP/bench/build/bin/dmabench-vfio-fuzz
vdev=$(pci_find $PCI_TESTDEV_ID) || vdev=""
if [ -z "$vdev" ] || [ ! -e "/sys/bus/pci/devices/$vdev/iommu_group" ]; then
	case_skip "$TAG:vfio-export (no pci-testdev in an IOMMU group)"
elif ! pci_bind "$vdev" vfio-pci; then
	case_fail "$TAG:vfio-export-bind-vfio-pci"
else
	for inj in failslab fail_page_alloc; do
		prob=${FAULT_PROBABILITY:-10}
		[ $inj = fail_page_alloc ] && prob=${FAULT_PROBABILITY:-50}
		inject $inj on "$prob"
		"$VFUZZ" --bdf "$vdev" -n 1000 --seed 7 --make-it-fail \
			--save "$LOG.vfio.$inj.last" > "$LOG.vfio.$inj" 2>&1
		rc=$?
		left=$(cat $DBG/$inj/times)
		inject $inj off
		echo "fault: vfio export under $inj p=$prob%: $((1000000 - left)) allocations failed; $(grep 'injected ENOMEM' "$LOG.vfio.$inj" | cut -d: -f2-); $(tail -n 1 "$LOG.vfio.$inj")"
		grep -m 5 '^not ok' "$LOG.vfio.$inj"
		guest_check "$TAG:vfio-export-$inj-errno-as-promised" test $rc = 0
		[ $inj = failslab ] && guest_check "$TAG:vfio-export-$inj-failures-reached-the-caller" \
			sh -c "grep -q ' [1-9][0-9]* injected ENOMEMs came back' '$LOG.vfio.$inj'"
	done
	guest_check "$TAG:vfio-export-clean-after-injection" sh -c \
		"'$VFUZZ' --bdf $vdev -n 1000 --seed 8 > '$LOG.vfio.after' 2>&1"
	pci_unbind "$vdev"
fi
grep -q "^FAIL guest:$TAG" "$DMABENCH_OUT/cases" 2>/dev/null && exit 1
exit 0
