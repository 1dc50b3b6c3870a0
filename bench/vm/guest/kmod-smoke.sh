#!/bin/sh
# kmod-smoke.sh [TAG]: smoke test of the dmabench module in the guest (or a
# host-mode machine). Loads it, binds the edu device through
# driver_override, runs every mode once for one small cell, checks the
# uAPI's rejections (also as an unprivileged user), then the lifetime
# rules: no rmmod under a run, unbind stops a run, the device's own driver
# binds again. TAG (default: the IOMMU mode) prefixes the case names.
#
# Needs: microbench-kmod/out/<tree>/dmabench.ko and out/dmabench-smoke
# (make -C microbench-kmod). <tree> comes from $DMABENCH_OUT/env.
. "$(dirname "$0")/lib.sh"

KMOD=$DMABENCH_TOP/microbench-kmod
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null)
TAG=${1:-$(sed -n 's/^iommu_mode=//p' "$DMABENCH_OUT/env" 2>/dev/null)}
TAG=kmod:${TAG:-host}
KO=$KMOD/out/${tree:-patched}/dmabench.ko
SMOKE=$KMOD/out/dmabench-smoke
DEV=/dev/dmabench

check() { guest_check "$TAG:$1" sh -c "$2"; }
# wait_busy BDF: until a run holds BDF (the module says so in INFO), at most
# 60 s. A fixed sleep is not enough on a slow (debug, loaded) guest, where
# the client may not even have opened the device a second later.
wait_busy() { "$SMOKE" wait-busy "$1" 60; }
# run_case NAME ARGS...: one cell; exit 3 means the module said unsupported
run_case() {
	_name=$1; shift
	echo "== $SMOKE run $*"
	"$SMOKE" run "$@"
	_rc=$?
	case $_rc in
	0) case_pass "$TAG:run-$_name" ;;
	3) if grep -q " $1=unsupported" /tmp/kmod-info; then
		   case_pass "$TAG:run-$_name-unsupported"
	   else
		   case_fail "$TAG:run-$_name-unexpectedly-unsupported"
	   fi ;;
	*) case_fail "$TAG:run-$_name" ;;
	esac
}

[ -f "$KO" ] && [ -x "$SMOKE" ] ||
	{ case_fail "$TAG:built (no $KO or $SMOKE: make -C microbench-kmod)"; exit 1; }
echo "kernel $(uname -r), module $KO"

# Only what the kernel logs from here on is this script's business: KUnit
# cases that provoke a WARN on purpose ran before init.
dmesg_start=$(dmesg | wc -l)
guest_check "$TAG:insmod" insmod "$KO"
check dev-node-0600 "[ \"\$(stat -c %a $DEV)\" = 600 ]"

edu=$(pci_find $EDU_ID) || { case_fail "$TAG:edu-present"; exit 1; }
guest_check "$TAG:bind-edu" pci_bind "$edu" dmabench

"$SMOKE" info | tee /tmp/kmod-info
check info "grep -q '^dev $edu ' /tmp/kmod-info"

# Every mode once, 4 KiB, one thread, a few hundred samples. The MMIO modes
# map the edu BAR0; p2p-pgmap uses the NVMe CMB found by pci_p2pmem_find.
cell="target=$edu size=4096 threads=1 iters=200"
run_case single single $cell
run_case single-direct single target=direct size=4096 iters=200
run_case page page $cell
run_case sg4 sg $cell nents=4
run_case phys phys $cell
# With the series, MMIO never bounces: under swiotlb=force the module must
# refuse the MMIO modes up front (EREMOTEIO) instead of timing failures.
if grep -q '^swiotlb_force=1' "$DMABENCH_OUT/env" && grep -q ' phys-mmio=yes' /tmp/kmod-info; then
	for m in phys-mmio resource; do
		"$SMOKE" run $m $cell bardev=target bar=0 > /tmp/refused.$m 2>&1
		rc=$?
		cat /tmp/refused.$m
		if [ $rc != 0 ] && grep -q 'Remote I/O error' /tmp/refused.$m; then
			case_pass "$TAG:$m-refused-under-swiotlb-force"
		else
			case_fail "$TAG:$m-refused-under-swiotlb-force (exit $rc)"
		fi
	done
else
	run_case phys-mmio phys-mmio $cell bardev=target bar=0
	run_case resource resource $cell bardev=target bar=0
fi
run_case p2p-pgmap p2p-pgmap $cell nents=2
# The provider path twice: the target's own BAR (the module sets the
# provider up, same function: bus address), and the NVMe CMB behind the
# same switch, the BAR p2p-pgmap allocates from.
run_case p2p-provider p2p-provider $cell bardev=target bar=0
nvme=$(pci_find_class $NVME_CLASS) || nvme=""
cmb_bar=""
[ -n "$nvme" ] && cmb_bar=$(pci_p2pmem_bar "$nvme")
if [ -n "$cmb_bar" ]; then
	run_case p2p-provider-cmb p2p-provider $cell bardev=p2pmem bar=$cmb_bar
else
	case_fail "$TAG:nvme-cmb-bar-found"
fi
run_case iova-link iova-link $cell
# two threads, a time limit, swiotlb-prone 32-bit mask, 64 KiB
run_case page-2thr-secs page target=$edu size=65536 threads=2 secs=1 bits=32

# Invalid requests get the documented errno, and nothing is left behind.
"$SMOKE" reject > /tmp/kmod-reject
rc=$?
cat /tmp/kmod-reject
while read -r verdict name _; do
	[ "$verdict" = ok ] && case_pass "$TAG:reject-$name" || case_fail "$TAG:reject-$name"
done < /tmp/kmod-reject
[ $rc = 0 ] || case_fail "$TAG:reject-exit"

# Unprivileged: even with the node opened up, every ioctl is EPERM.
chmod 0666 $DEV
setpriv --reuid=65534 --regid=65534 --clear-groups "$SMOKE" eperm > /tmp/kmod-eperm
rc=$?
chmod 0600 $DEV
cat /tmp/kmod-eperm
check unprivileged-eperm "[ $rc = 0 ] && [ \$(grep -c '^ok' /tmp/kmod-eperm) = 2 ]"

# Lifetime. A run keeps the module pinned: rmmod must fail while it lasts.
# Then a killed caller ends its run within a sample, and the module stays
# usable. The run is long (30 s) so that even a debug guest, where starting
# rmmod takes seconds, acts while it lasts; the kill ends it early.
"$SMOKE" run single target=$edu secs=30 > /dev/null 2>&1 &
pid=$!
wait_busy "$edu"
check rmmod-refused-during-run "! rmmod dmabench 2>/dev/null"
start=$(date +%s)
kill -9 $pid
wait $pid 2>/dev/null
check killed-run-ends "[ \$((\$(date +%s) - $start)) -lt 5 ] && $SMOKE info > /dev/null"

# Unbinding during a run stops it (status ENODEV) and then completes.
"$SMOKE" run single target=$edu secs=20 > /tmp/kmod-unbind 2>&1 &
pid=$!
wait_busy "$edu"
start=$(date +%s)
echo "$edu" > "/sys/bus/pci/devices/$edu/driver/unbind"
wait $pid
cat /tmp/kmod-unbind
check unbind-stops-run "grep -q 'status=-19' /tmp/kmod-unbind && [ \$((\$(date +%s) - $start)) -lt 10 ]"
check unbound "[ ! -e /sys/bus/pci/devices/$edu/driver ]"
guest_check "$TAG:rebind-edu" pci_bind "$edu" dmabench
run_case single-after-rebind single $cell

# The CMB's owner unbinds while a p2p-provider run maps its BAR. The run
# pins the provider, so the unbind waits for it and completes after it;
# the run itself ends normally, and the NVMe comes back with its CMB.
if [ -n "$cmb_bar" ] && grep -q ' p2p-provider=yes' /tmp/kmod-info; then
	"$SMOKE" run p2p-provider target=$edu size=4096 secs=8 bardev=p2pmem \
		bar=$cmb_bar > /tmp/kmod-provider-unbind 2>&1 &
	pid=$!
	wait_busy "$edu"
	# busy comes before the provider is pinned: give the run its start
	sleep 1
	started=$(date +%s)
	echo "$nvme" > "/sys/bus/pci/devices/$nvme/driver/unbind"
	waited=$(($(date +%s) - started))
	wait $pid
	cat /tmp/kmod-provider-unbind
	echo "the owner's unbind returned ${waited} s after the 8 s run began"
	check provider-run-survives-owner-unbind "grep -q 'status=0' /tmp/kmod-provider-unbind"
	check provider-owner-unbind-waited-for-run "[ $waited -ge 2 ]"
	check provider-owner-unbound "[ ! -e /sys/bus/pci/devices/$nvme/driver ] && [ ! -e /sys/bus/pci/devices/$nvme/p2pmem ]"
	echo "$nvme" > /sys/bus/pci/drivers_probe
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -qx 1 "/sys/bus/pci/devices/$nvme/p2pmem/published" 2>/dev/null && break
		sleep 1
	done
	check provider-owner-back "grep -qx 1 /sys/bus/pci/devices/$nvme/p2pmem/published"
	run_case p2p-provider-cmb-after-rebind p2p-provider $cell bardev=p2pmem bar=$cmb_bar
fi

# Hand the device back: driver_override cleared, no driver left on it
# (edu has none of its own).
pci_unbind "$edu"
check edu-released "[ ! -e /sys/bus/pci/devices/$edu/driver ] && [ \"\$(cat /sys/bus/pci/devices/$edu/driver_override)\" = '(null)' ]"

# The original driver binds again after us: borrow the NVMe drive.
if [ -n "$nvme" ]; then
	if pci_bind "$nvme" dmabench; then
		case_pass "$TAG:bind-nvme"
		run_case single-nvme single target=$nvme size=4096 iters=100
		pci_unbind "$nvme"
		# nvme probes asynchronously; the CMB comes back with its reset
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			grep -qx 1 "/sys/bus/pci/devices/$nvme/p2pmem/published" 2>/dev/null && break
			sleep 1
		done
		check nvme-driver-rebinds "[ \"\$(basename \$(readlink /sys/bus/pci/devices/$nvme/driver))\" = nvme ]"
		check nvme-cmb-back "grep -qx 1 /sys/bus/pci/devices/$nvme/p2pmem/published"
	else
		case_fail "$TAG:bind-nvme"
		pci_unbind "$nvme"
	fi
fi

guest_check "$TAG:rmmod" rmmod dmabench
check no-oops-or-warn "! dmesg | tail -n +$((dmesg_start + 1)) | grep -E 'BUG:|WARNING:|Oops|general protection|refcount_t'"
dmesg | grep -i dmabench | tail -n 20

grep -q "^FAIL guest:$TAG" "$DMABENCH_OUT/cases" 2>/dev/null && exit 1
exit 0
