#!/bin/sh
# run.sh: boot a kernel under QEMU TCG, run one guest script, bring back
# its results, and exit with the guest script's exit status.
#
#   bench/vm/run.sh --kernel OBJDIR --out DIR [options] SCRIPT [ARGS...]
#
#   --kernel OBJDIR     a kernel O= dir from scripts/kernel-build.sh
#                       (its arch/x86/boot/bzImage and build-info are used)
#   --out DIR           results dir, writable by the guest (made if missing)
#   --iommu MODE        off | passthrough | lazy | strict   (default strict)
#   --swiotlb-force     add swiotlb=force
#   --icount            -icount shift=0: guest time = instructions executed
#   --kunit             let built-in KUnit suites run at boot (default: off)
#   --append ARGS       extra kernel command line
#   --timeout SECONDS   wall-clock limit for the whole boot (default 900)
#   --smp N, --mem SIZE guest shape (default 2, 4G)
#   --p2p-host-bridge   put the NVMe on the root complex instead of the
#                       switch, and show the guest an AMD family 17h CPU,
#                       which the kernel trusts to route P2P through its
#                       host bridge: edu <-> CMB then maps THRU_HOST_BRIDGE
#                       instead of BUS_ADDR (the only way to reach that
#                       path in QEMU; vendor and family change, nothing else)
#
# SCRIPT runs in the guest as root with the host's / as a read-only 9p
# root, /tmp as tmpfs, and DIR mounted at $DMABENCH_OUT. Its stdout and
# stderr land in DIR/guest.log; the console in DIR/console.log.
#
# Guest hardware (DESIGN.md section 3): q35, intel-iommu, and one PCIe
# switch holding an NVMe drive with a 64 MiB CMB (the 6.12 struct-page P2P
# provider) and a QEMU edu device (the spare device the benchmark module
# binds to). Both sit below the same switch, so P2P between them is allowed.
# On the root bus, a pci-testdev with a 2 MiB memory BAR is the device the
# vfio-pci dma-buf selftest binds to vfio-pci (its own IOMMU group).
# A virtio-rng device on a root port of its own (ACS: its own group too)
# is the device with a function reset, for the revoke-by-reset check.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/scripts/lib.sh"

usage() { sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

kobj="" out="" iommu=strict swiotlb=0 icount=0 kunit=0 append="" timeout=900
smp=2 mem=4G p2p_host_bridge=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kobj=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--iommu) iommu=$2; shift 2 ;;
	--swiotlb-force) swiotlb=1; shift ;;
	--icount) icount=1; shift ;;
	--kunit) kunit=1; shift ;;
	--append) append=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--p2p-host-bridge) p2p_host_bridge=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "run.sh: no guest script given" >&2; usage; }
[ -n "$kobj" ] && [ -n "$out" ] || { echo "run.sh: --kernel and --out are required" >&2; usage; }
script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
[ -f "$script" ] || die "guest script $script not found"
image=$kobj/arch/x86/boot/bzImage
[ -f "$image" ] || die "no kernel image at $image: build it first (make kernel)"
case $timeout in ''|*[!0-9]*) die "--timeout takes whole seconds" ;; esac

case $iommu in
off)		iommu_args="intel_iommu=off" ;;
passthrough)	iommu_args="intel_iommu=on iommu.passthrough=1" ;;
lazy)		iommu_args="intel_iommu=on iommu.passthrough=0 iommu.strict=0" ;;
strict)		iommu_args="intel_iommu=on iommu.passthrough=0 iommu.strict=1" ;;
*)		die "--iommu takes off, passthrough, lazy or strict, not '$iommu'" ;;
esac
[ "$swiotlb" = 1 ] && iommu_args="$iommu_args swiotlb=force"
kunit_arg="kunit.enable=0"
[ "$kunit" = 1 ] && kunit_arg="kunit.enable=1"

mkdir -p "$out" "$WORK/vm"
out=$(cd "$out" && pwd)
rm -f "$out/exit-status" "$out/console.log" "$out/guest.log"

# The NVMe backing file is scratch space: workloads may overwrite it. Each
# boot gets its own (sparse, so free until written), because QEMU locks the
# image and a second boot sharing it would not start.
nvme_img=$(mktemp "$WORK/vm/nvme-XXXXXX.img")
trap 'rm -f "$nvme_img"' EXIT
truncate -s 1G "$nvme_img"

accel="tcg,thread=single"
icount_args=""
[ "$icount" = 1 ] && icount_args="-icount shift=0"

# no_timer_check: under TCG on a loaded host the IO-APIC timer check can
# miss its ticks and panic ("timer doesn't work through Interrupt-remapped
# IO-APIC"), seen once here; the guest's timer works, the check is what
# races with the host.
cmdline="console=ttyS0 no_timer_check root=hostroot rootfstype=9p"
cmdline="$cmdline rootflags=trans=virtio,version=9p2000.L,msize=512000 ro"
cmdline="$cmdline init=$TOP/bench/vm/guest-init.sh panic=-1 oops=panic"
cmdline="$cmdline $iommu_args $kunit_arg $append"

# What every result records about where it ran (DESIGN.md section 5).
{
	cat "$kobj/build-info" 2>/dev/null || true
	echo "platform=qemu-tcg"
	echo "dmabench_commit=$(git -C "$TOP" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "accel=$accel"
	echo "icount=$([ "$icount" = 1 ] && echo shift=0 || echo off)"
	echo "iommu_mode=$iommu"
	echo "swiotlb_force=$swiotlb"
	echo "guest_smp=$smp"
	echo "guest_mem=$mem"
} > "$out/env"

cpu=max nvme_bus=sw0p0
if [ "$p2p_host_bridge" = 1 ]; then
	cpu="max,vendor=AuthenticAMD,family=23,model=1"
	nvme_bus=pcie.0
	echo "p2p_topology=host-bridge" >> "$out/env"
else
	echo "p2p_topology=switch" >> "$out/env"
fi

# The guest init sources this from the results share.
{
	printf 'DMABENCH_SCRIPT=%s\n' "'$script'"
	printf 'DMABENCH_TOP=%s\n' "'$TOP'"
	printf 'DMABENCH_ARGS=%s\n' "'$*'"
} > "$out/guest.env"

set -- -machine q35 -accel "$accel" -cpu "$cpu" -smp "$smp" -m "$mem" \
	$icount_args \
	-nographic -no-reboot -nic none -monitor none \
	-serial "file:$out/console.log" \
	-kernel "$image" -append "$cmdline" \
	-device intel-iommu,intremap=on \
	-fsdev "local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=results,path=$out,security_model=none" \
	-device virtio-9p-pci,fsdev=results,mount_tag=results \
	-fsdev "local,id=top,path=$TOP,readonly=on,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=top,mount_tag=dmabench-top \
	-device pcie-root-port,id=rp0,chassis=1 \
	-device x3130-upstream,id=sw0,bus=rp0 \
	-device xio3130-downstream,id=sw0p0,bus=sw0,chassis=2,slot=0 \
	-device xio3130-downstream,id=sw0p1,bus=sw0,chassis=3,slot=0 \
	-drive "if=none,id=nvme0,file=$nvme_img,format=raw" \
	-device nvme,drive=nvme0,serial=dmabench0,cmb_size_mb=64,bus="$nvme_bus" \
	-device edu,bus=sw0p1 \
	-device pci-testdev,membar=2M \
	-device pcie-root-port,id=rp1,chassis=4,slot=0 \
	-device virtio-rng-pci,bus=rp1,disable-legacy=on
echo "qemu-system-x86_64 $*" > "$out/qemu-cmd"

log vm "booting $(sed -n 's/^kernelrelease=//p' "$kobj/build-info" 2>/dev/null) iommu=$iommu$([ "$swiotlb" = 1 ] && echo ' swiotlb=force')$([ "$icount" = 1 ] && echo ' icount'): $(basename "$script")"
qemu-system-x86_64 "$@" </dev/null >"$out/qemu.log" 2>&1 &
qpid=$!
start=$(date +%s)
timed_out=0
while kill -0 "$qpid" 2>/dev/null; do
	sleep 1
	now=$(date +%s)
	if [ $((now - start)) -ge "$timeout" ]; then
		timed_out=1
		kill "$qpid" 2>/dev/null || true
		break
	fi
	# Long boots (KUnit, benchmark matrices) say where they are every 30 s.
	if [ $(((now - start) % 30)) = 0 ]; then
		last=$(tr -d '\r' < "$out/console.log" 2>/dev/null | grep -v '^$' | tail -n 1 | cut -c1-100)
		log vm "$((now - start))s, console: $last"
	fi
done
wait "$qpid" 2>/dev/null || true
elapsed=$(( $(date +%s) - start ))

show_tail() {
	echo "---- last console lines ($out/console.log) ----" >&2
	tr -d '\r' < "$out/console.log" | tail -n "${1:-25}" >&2
	echo "----" >&2
}
if grep -q -e 'Kernel panic' -e 'BUG: kernel NULL' "$out/console.log" 2>/dev/null; then
	echo "error: the guest kernel panicked after ${elapsed}s:" >&2
	tr -d '\r' < "$out/console.log" |
		grep -B 5 -A 25 -m 1 -e 'Kernel panic' -e 'BUG:' -e 'Oops' >&2 || show_tail
	exit 3
fi
if [ "$timed_out" = 1 ]; then
	echo "error: the guest did not power off within ${timeout}s" >&2
	show_tail
	exit 124
fi
if [ ! -f "$out/exit-status" ]; then
	echo "error: the guest stopped after ${elapsed}s without reporting an exit status" >&2
	cat "$out/qemu.log" >&2
	show_tail
	exit 3
fi
rc=$(cat "$out/exit-status")
log vm "guest finished in ${elapsed}s, script exit status $rc"
exit "$rc"
