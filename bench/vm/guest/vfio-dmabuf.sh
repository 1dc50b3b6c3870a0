#!/bin/sh
# vfio-dmabuf.sh BOOT: the vfio-pci dma-buf export selftest of the series
# (tools/testing/selftests/vfio), on the spare pci-testdev that
# bench/vm/run.sh gives every guest. The device is bound to vfio-pci for
# the test and handed back afterwards. Each kselftest case becomes one
# case of make test.
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

pci_unbind "$dev"
guest_check "$BOOT:vfio-dmabuf:device-released" test ! -e "/sys/bus/pci/devices/$dev/driver"
