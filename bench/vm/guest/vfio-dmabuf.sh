#!/bin/sh
# vfio-dmabuf.sh BOOT: the vfio-pci dma-buf selftests of the series
# (tools/testing/selftests/vfio: the export, and iommufd mapping the
# buffer with IOMMU_IOAS_MAP_FILE), on the spare pci-testdev that
# bench/vm/run.sh gives every guest, and the iommufd one also on the
# virtio-rng device, which can be reset. Each device is bound to vfio-pci
# for the tests and handed back afterwards. Each kselftest case becomes one
# case of make test. Then the dmabench module imports a buffer of that BAR
# (attach, sg_table map, phys-list map) and, where P2P can reach it, a
# revoke in the middle of a run must end that run once nothing is mapped.
BOOT=${1:?usage: vfio-dmabuf.sh BOOT}
. "$(dirname "$0")/lib.sh"

TEST=$DMABENCH_TOP/bench/build/selftests/vfio/vfio_dmabuf_export_test
ITEST=$DMABENCH_TOP/bench/build/selftests/vfio/vfio_dmabuf_iommufd_test
dev=$(pci_find $PCI_TESTDEV_ID) || dev=""

if [ ! -e "/sys/bus/pci/devices/${dev:-none}/iommu_group" ]; then
	# vfio-pci needs an IOMMU group: this boot has no IOMMU.
	case_skip "$BOOT:vfio-dmabuf (no pci-testdev in an IOMMU group)"
	exit 0
fi
guest_check "$BOOT:vfio-dmabuf:selftest-built" test -x "$TEST" || exit 0
if ! pci_bind "$dev" vfio-pci; then
	case_fail "$BOOT:vfio-dmabuf:bind-$dev-to-vfio-pci"
	exit 0
fi

# kselftest NAME BDF PROGRAM: run one selftest program on BDF, its output
# in NAME.tap; each of its cases becomes a case NAME:<case>.
kselftest() {
	_tap=$DMABENCH_OUT/$1.tap
	VFIO_DMABUF_TEST_BDF=$2 "$3" > "$_tap" 2>&1
	_rc=$?
	# "ok 3 dmabuf.whole_bar", "not ok 4 ...", "ok 5 ... # SKIP why"
	while read -r line; do
		case $line in
		"ok "*"# SKIP"*) case_skip "$BOOT:$1:$(echo "$line" | cut -d' ' -f3)" ;;
		"ok "*) case_pass "$BOOT:$1:$(echo "$line" | cut -d' ' -f3)" ;;
		"not ok "*) case_fail "$BOOT:$1:$(echo "$line" | cut -d' ' -f4)" ;;
		esac
	done < "$_tap"
	guest_check "$BOOT:$1:selftest-exit-status" test "$_rc" = 0
	grep -q '^ok ' "$_tap" || case_fail "$BOOT:$1:no-test-ran (see $1.tap)"
	grep '^not ok\|^#' "$_tap" | grep -v '^# *\(ok\|PASS\|RUN\|OK\|Totals\)' | head -n 20
}

kselftest vfio-dmabuf "$dev" "$TEST"
# iommufd as the importer: IOMMU_IOAS_MAP_FILE of a buffer of the BAR,
# checked in the device's IO page table (the Intel IOMMU's debugfs dump),
# and its revoke by memory decode off, device close and buffer close
kselftest vfio-dmabuf-iommufd "$dev" "$ITEST"

# Real DMA through that mapping: edu, behind an IOAS, copies within one
# page of the NVMe's CMB (memory the CPU can read back, unlike the
# pci-testdev's BAR) through an IOVA mapped with IOMMU_IOAS_MAP_FILE;
# after a revoke nothing arrives and the IOMMU reports edu's fault.
DMACHECK=$DMABENCH_TOP/microbench-kmod/out/iommufd-dma-check
edu=$(pci_find $EDU_ID) || edu=""
nvme=$(pci_find_class $NVME_CLASS) || nvme=""
cmb=""
[ -n "$nvme" ] && cmb=$(pci_p2pmem_bar "$nvme")
if [ -z "$edu" ] || [ -z "$cmb" ]; then
	case_fail "$BOOT:iommufd-dma:setup (needs edu and the NVMe CMB)"
elif ! pci_bind "$nvme" vfio-pci || ! pci_bind "$edu" vfio-pci; then
	case_fail "$BOOT:iommufd-dma:bind-to-vfio-pci"
else
	revokes=decode
	[ -e "/sys/bus/pci/devices/$nvme/reset_method" ] && revokes="decode reset"
	for how in $revokes; do
		"$DMACHECK" --dma "$edu" --target "$nvme" --bar "$cmb" --revoke $how \
			> /tmp/dma.out 2>&1
		rc=$?
		cat /tmp/dma.out
		guest_check "$BOOT:iommufd-dma:$how:copy-through-mapping" grep -q '^ok mapped' /tmp/dma.out
		guest_check "$BOOT:iommufd-dma:$how:nothing-after-revoke" grep -q '^ok revoked' /tmp/dma.out
		guest_check "$BOOT:iommufd-dma:$how:unmap-revoked" grep -q '^ok unmap' /tmp/dma.out
		guest_check "$BOOT:iommufd-dma:$how:exit-status" test $rc = 0
	done
	dmesg | grep 'DMAR:.*fault addr 0x100000' | tail -n 2
	guest_check "$BOOT:iommufd-dma:iommu-fault-logged" sh -c \
		"dmesg | grep -q 'DMAR:.*fault addr 0x100000'"
fi
[ -n "$edu" ] && pci_unbind "$edu"
[ -n "$nvme" ] && pci_unbind "$nvme"

# VFIO_DEVICE_FEATURE_DMA_BUF under fuzzing: 10,000 seeded requests, each
# checked against the errno the uAPI rules give (or a dma-buf of the right
# size); the input is saved before every call for --replay.
VFUZZ=$DMABENCH_TOP/bench/build/bin/dmabench-vfio-fuzz
guest_check "$BOOT:vfio-dmabuf:fuzz-10000-requests" sh -c \
	"'$VFUZZ' --bdf $dev -n 10000 --seed 1 --save '$DMABENCH_OUT/vfio-fuzz.last' \
		> '$DMABENCH_OUT/vfio-fuzz.log' 2>&1"
head -n 1 "$DMABENCH_OUT/vfio-fuzz.log"
grep -m 20 '^not ok' "$DMABENCH_OUT/vfio-fuzz.log"
tail -n 2 "$DMABENCH_OUT/vfio-fuzz.log"

# The benchmark module as a dma-buf importer of the exported BAR: attach,
# map through the exporter's sg_table and through its phys list, and a
# revoke (memory decode off) in the middle of a run, which must end the
# run with ENODEV once the module holds no mapping.
KMOD=$DMABENCH_TOP/microbench-kmod
KO=$KMOD/out/$(sed -n 's/^name=//p' "$DMABENCH_OUT/env")/dmabench.ko
SMOKE=$KMOD/out/dmabench-smoke
edu=$(pci_find $EDU_ID) || edu=""
# the BAR the selftest used: pci-testdev's 2 MiB memory BAR
bar=$(i=0; while read -r s e f; do
	[ $i -lt 6 ] && [ $((e - s + 1)) -eq 2097152 ] && { echo $i; break; }
	i=$((i + 1))
done < "/sys/bus/pci/devices/$dev/resource")
if [ -z "$edu" ] || [ -z "$bar" ] || ! insmod "$KO"; then
	case_fail "$BOOT:vfio-dmabuf:importer-setup (edu, the 2 MiB BAR and dmabench.ko needed)"
elif ! pci_bind "$edu" dmabench; then
	case_fail "$BOOT:vfio-dmabuf:bind-edu-to-dmabench"
	rmmod dmabench
else
	# Whether edu may reach the pci-testdev at all: P2P across the host
	# bridge is allowed only on the hostbridge boot's CPU.
	if grep -m1 -q '^cpu family.*: 23' /proc/cpuinfo; then reach=yes; else reach=no; fi
	cell="target=$edu vfio=$dev bar=$bar size=4096 iters=200"
	for mode in dmabuf-attach dmabuf-sg dmabuf-phys; do
		echo "== $SMOKE run $mode $cell"
		"$SMOKE" run $mode $cell > /tmp/imp.out 2>&1
		rc=$?
		cat /tmp/imp.out
		if [ $mode = dmabuf-attach ] || [ $reach = yes ]; then
			guest_check "$BOOT:vfio-dmabuf:importer-$mode" test $rc = 0
		else
			# refused, and said so, not a crash or a half-made mapping
			guest_check "$BOOT:vfio-dmabuf:importer-$mode-p2p-refused" \
				grep -q 'Remote I/O error' /tmp/imp.out
		fi
	done
	if [ $reach = yes ]; then
		for mode in dmabuf-sg dmabuf-phys; do
			"$SMOKE" run $mode target=$edu vfio=$dev bar=$bar size=65536 secs=3 \
				revoke_ms=700 > /tmp/imp.out 2>&1
			rc=$?
			cat /tmp/imp.out
			guest_check "$BOOT:vfio-dmabuf:revoke-ends-$mode-run" test $rc = 0
		done
		# the importer idle, holding one mapping: move_notify unmaps it
		for mode in dmabuf-sg dmabuf-phys; do
			"$SMOKE" run $mode target=$edu vfio=$dev bar=$bar size=65536 secs=3 \
				revoke_ms=700 hold=1 > /tmp/imp.out 2>&1
			rc=$?
			cat /tmp/imp.out
			guest_check "$BOOT:vfio-dmabuf:revoke-unmaps-held-$mode" test $rc = 0
		done
	fi
	pci_unbind "$edu"
	guest_check "$BOOT:vfio-dmabuf:rmmod-dmabench" rmmod dmabench
fi

# Revoke by a function reset (VFIO_DEVICE_RESET), on a device that has
# one: the virtio-rng device on a root port of its own (bench/vm/run.sh);
# pci-testdev has no reset. The importer holds a mapping of its BAR, the
# reset revokes it, and after the reset a new mapping works again.
rng=$(pci_find $VIRTIO_RNG_ID) || rng=""
# iommufd's mapping revoked by a reset, the case pci-testdev skips
if [ -n "$rng" ] && pci_bind "$rng" vfio-pci; then
	kselftest vfio-dmabuf-iommufd-reset "$rng" "$ITEST"
	pci_unbind "$rng"
else
	case_fail "$BOOT:vfio-dmabuf-iommufd-reset:bind-virtio-rng-to-vfio-pci"
fi
if [ -z "$rng" ] || [ ! -e "/sys/bus/pci/devices/$rng/reset_method" ] || [ "$reach" != yes ]; then
	case_skip "$BOOT:vfio-dmabuf:reset (needs the virtio-rng device with a reset, reachable by P2P)"
elif ! pci_bind "$rng" vfio-pci || ! insmod "$KO" || ! pci_bind "$edu" dmabench; then
	case_fail "$BOOT:vfio-dmabuf:reset-setup"
else
	rbar=$(pci_largest_mem_bar "$rng")
	for mode in dmabuf-sg dmabuf-phys; do
		"$SMOKE" run $mode target=$edu vfio=$rng bar=$rbar size=4096 secs=3 \
			revoke_ms=700 hold=1 revoke_by=reset > /tmp/imp.out 2>&1
		rc=$?
		cat /tmp/imp.out
		guest_check "$BOOT:vfio-dmabuf:reset-unmaps-held-$mode" test $rc = 0
		guest_check "$BOOT:vfio-dmabuf:maps-again-after-reset-$mode" "$SMOKE" run $mode \
			target=$edu vfio=$rng bar=$rbar size=4096 iters=50
	done
	pci_unbind "$edu"
	guest_check "$BOOT:vfio-dmabuf:reset-rmmod-dmabench" rmmod dmabench
	pci_unbind "$rng"
fi

pci_unbind "$dev"
guest_check "$BOOT:vfio-dmabuf:device-released" test ! -e "/sys/bus/pci/devices/$dev/driver"
