#!/bin/sh
# dmabuf-import.sh [REPEAT [ITERS]]: the importer measurements of series
# part 3, in a guest whose IOMMU is on and whose P2P may cross the host
# bridge (make bench-dmabuf boots it so). The pci-testdev's 2 MiB BAR is
# exported through vfio-pci and imported by the dmabench module on the edu
# device, both ways: the exporter's sg_table (dmabuf-sg) and the phys list
# the module maps itself (dmabuf-phys), plus attach/detach, at 4 KiB,
# 64 KiB and 1 MiB; REPEAT rounds (default 3) with the order of the two
# paths swapped every round. Then REPEAT revokes per path, of an importer
# holding one mapping (hold=1) and of one mapping in a loop: memory decode
# off in the middle of a run, timed to the module holding no mapping; and
# REPEAT revokes of a held mapping by a function reset (VFIO_DEVICE_RESET)
# of the virtio-rng device, which has one.
# Raw output only, one file per run, in $DMABENCH_OUT/dmabuf-import/;
# scripts/dmabuf-import-report.sh turns them into the table.
. "$(dirname "$0")/lib.sh"

REPEAT=${1:-3}
ITERS=${2:-1000}
KMOD=$DMABENCH_TOP/microbench-kmod
KO=$KMOD/out/$(sed -n 's/^name=//p' "$DMABENCH_OUT/env")/dmabench.ko
SMOKE=$KMOD/out/dmabench-smoke
OUT=$DMABENCH_OUT/dmabuf-import
mkdir -p "$OUT"

dev=$(pci_find $PCI_TESTDEV_ID) || { echo "no pci-testdev" >&2; exit 1; }
edu=$(pci_find $EDU_ID) || { echo "no edu device" >&2; exit 1; }
bar=$(i=0; while read -r s e f; do
	[ $i -lt 6 ] && [ $((e - s + 1)) -eq 2097152 ] && { echo $i; break; }
	i=$((i + 1))
done < "/sys/bus/pci/devices/$dev/resource")
[ -n "$bar" ] || { echo "no 2 MiB BAR on $dev" >&2; exit 1; }
pci_bind "$dev" vfio-pci || { echo "cannot bind $dev to vfio-pci" >&2; exit 1; }
insmod "$KO" || exit 1
pci_bind "$edu" dmabench || { echo "cannot bind $edu to dmabench" >&2; exit 1; }
echo "exporter=$dev bar=$bar importer=$edu repeat=$REPEAT iters=$ITERS" > "$OUT/setup"

rc=0
run() {
	_file=$OUT/$1; shift
	echo "== $SMOKE run $*" > "$_file"
	"$SMOKE" run "$@" >> "$_file" 2>&1 || { rc=1; echo "FAILED: $_file"; tail -n 5 "$_file"; }
}
r=1
while [ $r -le "$REPEAT" ]; do
	if [ $((r % 2)) = 1 ]; then order="dmabuf-sg dmabuf-phys"; else order="dmabuf-phys dmabuf-sg"; fi
	for size in 4096 65536 1048576; do
		for mode in $order dmabuf-attach; do
			run "$mode-$size-r$r.txt" $mode target=$edu vfio=$dev bar=$bar \
				size=$size iters=$ITERS
		done
	done
	for mode in $order; do
		# idle importer holding one mapping (hold=1), then one that maps
		# and unmaps in a loop, taking the reservation lock for each batch
		run "revoke-hold-$mode-r$r.txt" $mode target=$edu vfio=$dev bar=$bar \
			size=65536 secs=3 revoke_ms=700 hold=1
		run "revoke-busy-$mode-r$r.txt" $mode target=$edu vfio=$dev bar=$bar \
			size=65536 secs=3 revoke_ms=700
	done
	r=$((r + 1))
done
# Revoke by a function reset, on the virtio-rng device (pci-testdev has
# no reset): an importer holding one mapping of its BAR, REPEAT times.
rng=$(pci_find $VIRTIO_RNG_ID) || rng=""
if [ -n "$rng" ] && [ -e "/sys/bus/pci/devices/$rng/reset_method" ] &&
   pci_bind "$rng" vfio-pci; then
	rbar=$(pci_largest_mem_bar "$rng")
	r=1
	while [ $r -le "$REPEAT" ]; do
		for mode in dmabuf-sg dmabuf-phys; do
			run "revoke-reset-$mode-r$r.txt" $mode target=$edu vfio=$rng bar=$rbar \
				size=4096 secs=3 revoke_ms=700 hold=1 revoke_by=reset
		done
		r=$((r + 1))
	done
	pci_unbind "$rng"
else
	echo "no virtio-rng device with a reset: no revoke by reset" >&2
fi
pci_unbind "$edu"
rmmod dmabench
pci_unbind "$dev"
exit $rc
