#!/bin/sh
# vfio-dmabuf.sh BOOT: the vfio-pci dma-buf export selftest of the series
# (tools/testing/selftests/vfio), on the spare pci-testdev that
# bench/vm/run.sh gives every guest. The device is bound to vfio-pci for
# the test and handed back afterwards. Each kselftest case becomes one
# case of make test. Then the dmabench module imports a buffer of that BAR
# (attach, sg_table map, phys-list map) and, where P2P can reach it, a
# revoke in the middle of a run must end that run once nothing is mapped.
BOOT=${1:?usage: vfio-dmabuf.sh BOOT}
. "$(dirname "$0")/lib.sh"

TEST=$DMABENCH_TOP/bench/build/selftests/vfio/vfio_dmabuf_export_test
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

VFIO_DMABUF_TEST_BDF=$dev "$TEST" > "$DMABENCH_OUT/vfio-dmabuf.tap" 2>&1
rc=$?
# "ok 3 dmabuf.whole_bar", "not ok 4 ...", "ok 5 ... # SKIP why"
while read -r line; do
	case $line in
	"ok "*"# SKIP"*) case_skip "$BOOT:vfio-dmabuf:$(echo "$line" | cut -d' ' -f3)" ;;
	"ok "*) case_pass "$BOOT:vfio-dmabuf:$(echo "$line" | cut -d' ' -f3)" ;;
	"not ok "*) case_fail "$BOOT:vfio-dmabuf:$(echo "$line" | cut -d' ' -f4)" ;;
	esac
done < "$DMABENCH_OUT/vfio-dmabuf.tap"
guest_check "$BOOT:vfio-dmabuf:selftest-exit-status" test "$rc" = 0
grep -q '^ok ' "$DMABENCH_OUT/vfio-dmabuf.tap" ||
	case_fail "$BOOT:vfio-dmabuf:no-test-ran (see vfio-dmabuf.tap)"
grep '^not ok\|^#' "$DMABENCH_OUT/vfio-dmabuf.tap" | grep -v '^# *\(ok\|PASS\|RUN\|OK\|Totals\)' | head -n 20

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

pci_unbind "$dev"
guest_check "$BOOT:vfio-dmabuf:device-released" test ! -e "/sys/bus/pci/devices/$dev/driver"
