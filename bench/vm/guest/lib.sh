# Helpers for guest scripts (sourced). They run as root inside the QEMU
# guest (bench/vm/run.sh) or, in host mode, on a real machine.
: "${DMABENCH_OUT:?not set: run through bench/vm/run.sh}"
: "${DMABENCH_TOP:?not set}"
DMABENCH=$DMABENCH_TOP/bench/build/bin/dmabench

# One test case per line, in the format make test tallies.
case_pass() { echo "PASS guest:$*" >> "$DMABENCH_OUT/cases"; echo "PASS $*"; }
case_fail() { echo "FAIL guest:$*" >> "$DMABENCH_OUT/cases"; echo "FAIL $*"; }
case_skip() { echo "SKIP guest:$*" >> "$DMABENCH_OUT/cases"; echo "SKIP $*"; }
# guest_check NAME CMD...: a case whose verdict is CMD's exit status.
guest_check() {
	_n=$1; shift
	if "$@"; then case_pass "$_n"; else case_fail "$_n"; fi
}

# pci_find VENDOR DEVICE: the first PCI address (0000:bb:dd.f) with these
# IDs. Devices are matched by ID and address, never by probe order.
pci_find() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ] &&
			{ basename "$d"; return 0; }
	done
	return 1
}

# pci_find_class CLASS: the first PCI address of class CLASS (e.g. 0x010802).
pci_find_class() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/class")" = "$1" ] && { basename "$d"; return 0; }
	done
	return 1
}

# pci_bind BDF DRIVER: bind through driver_override, which is what the
# in-tree dma_map_benchmark and our module expect. pci_unbind undoes it and
# hands the device back to whatever driver matches it normally.
pci_bind() {
	_dev=/sys/bus/pci/devices/$1
	[ -e "$_dev/driver" ] && echo "$1" > "$_dev/driver/unbind"
	echo "$2" > "$_dev/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink "$_dev/driver")")" = "$2" ]
}
pci_unbind() {
	_dev=/sys/bus/pci/devices/$1
	[ -e "$_dev/driver" ] && echo "$1" > "$_dev/driver/unbind"
	echo > "$_dev/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe 2>/dev/null || true
}

EDU_ID="0x1234 0x11e8"
# QEMU pci-testdev: the device the vfio-pci dma-buf selftest owns.
PCI_TESTDEV_ID="0x1b36 0x0005"
NVME_CLASS=0x010802

# pci_p2pmem_bar BDF: the index of the BAR that BDF registered as p2pmem,
# found by matching the range the P2P core logged against the device's
# resource table (sysfs has no direct link between the two).
pci_p2pmem_bar() {
	_start=$(dmesg | sed -n "s/.* $1: added peer-to-peer DMA memory \(0x[0-9a-f]*\)-.*/\1/p" | tail -n 1)
	[ -n "$_start" ] || return 1
	_bar=0
	while read -r _s _e _f; do
		[ $_bar -ge 6 ] && break
		if [ $((_s)) -ne 0 ] && [ $((_start)) -ge $((_s)) ] && [ $((_start)) -le $((_e)) ]; then
			echo $_bar
			return 0
		fi
		_bar=$((_bar + 1))
	done < "/sys/bus/pci/devices/$1/resource"
	return 1
}

# virtio-rng on a root port of its own: a device with a function reset,
# for the vfio-pci revoke-by-reset check
VIRTIO_RNG_ID="0x1af4 0x1044"

# pci_largest_mem_bar BDF: the index of BDF's largest memory BAR
pci_largest_mem_bar() {
	_i=0 _best="" _bestlen=0
	while read -r _s _e _f; do
		[ $_i -ge 6 ] && break
		if [ $((_f & 0x200)) -ne 0 ] && [ $((_e - _s + 1)) -gt $_bestlen ]; then
			_best=$_i _bestlen=$((_e - _s + 1))
		fi
		_i=$((_i + 1))
	done < "/sys/bus/pci/devices/$1/resource"
	echo "$_best"
}
