# Helpers for the workload scripts (sourced; POSIX sh). The same scripts run
# inside the QEMU guest (bench/vm/guest/) and natively in host mode: they
# discover what the machine has, run that and skip the rest with one line.
WL_TOP=$(cd "$(dirname "$0")/.." && pwd)
WL_DIR=$WL_TOP/workloads
DMABENCH=${DMABENCH:-$WL_TOP/bench/build/bin/dmabench}
WL_NAME=$(basename "$0" .sh)

wl_log() { echo "$WL_NAME: $*"; }
# wl_skip REASON: one line saying what was not run and why.
wl_skip() { echo "$WL_NAME: skip: $*"; }
# wl_usage_error MSG: bad user input, exit 2.
wl_usage_error() { echo "$WL_NAME: error: $*" >&2; exit 2; }
wl_die() { echo "$WL_NAME: error: $*" >&2; exit 1; }

# wl_number NAME VALUE MIN MAX: a whole number in range, or exit 2.
wl_number() {
	case $2 in ''|*[!0-9]*) wl_usage_error "$1 takes a whole number, not '$2'" ;; esac
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || wl_usage_error "$1 must be $3..$4, not $2"
}

# wl_need_dmabench: the importer that writes our result files.
wl_need_dmabench() {
	[ -x "$DMABENCH" ] || wl_die "no $DMABENCH: build it first (make -C bench)"
}

# wl_blockdev_refusal DEV: prints why writing to DEV must be refused (and
# returns 0), or returns 1 when DEV is a whole block device nobody uses:
# not mounted (nor any partition of it), not swap, no holders (md, dm), no
# partitions and no filesystem or other signature on it.
wl_blockdev_refusal() {
	_dev=$1
	if [ ! -b "$_dev" ]; then
		echo "$_dev is not a block device"
		return 0
	fi
	_real=$(readlink -f "$_dev")
	_name=$(basename "$_real")
	_sys=/sys/class/block/$_name
	if [ -e "$_sys/partition" ]; then
		echo "$_dev is a partition; name a whole, unused device"
		return 0
	fi
	# the device or any of its partitions mounted (by any name of its node)
	while read -r _src _mnt _rest; do
		case $_src in /dev/*) ;; *) continue ;; esac
		[ -b "$_src" ] || continue
		_s=$(basename "$(readlink -f "$_src")")
		if [ "$_s" = "$_name" ] || [ -e "$_sys/$_s/partition" ]; then
			echo "$_dev is in use: $_src is mounted on $_mnt"
			return 0
		fi
	done < /proc/mounts
	if grep -q "^${_real}[[:space:]]" /proc/swaps 2>/dev/null; then
		echo "$_dev is in use as swap"
		return 0
	fi
	if [ -n "$(ls "$_sys/holders" 2>/dev/null)" ]; then
		echo "$_dev is in use by $(ls "$_sys/holders" | tr '\n' ' ')(holders)"
		return 0
	fi
	for _p in "$_sys"/"$_name"*; do
		if [ -e "$_p/partition" ]; then
			echo "$_dev holds a partition table ($(basename "$_p"))"
			return 0
		fi
	done
	_type=""
	if command -v blkid >/dev/null 2>&1; then
		_type=$(blkid -p -o value -s TYPE "$_real" 2>/dev/null)
		[ -n "$_type" ] || _type=$(blkid -p -o value -s PTTYPE "$_real" 2>/dev/null)
	fi
	if [ -z "$_type" ] && command -v lsblk >/dev/null 2>&1; then
		_type=$(lsblk -dno FSTYPE "$_real" 2>/dev/null)
	fi
	if [ -n "$_type" ]; then
		echo "$_dev holds a $_type filesystem or signature (wipe it yourself if it is scratch)"
		return 0
	fi
	return 1
}

# wl_nvme_namespaces: "CTRL_BDF /dev/NS" per line for every NVMe namespace
# behind a PCI controller.
wl_nvme_namespaces() {
	for _c in /sys/class/nvme/nvme*; do
		[ -e "$_c/device" ] || continue
		_bdf=$(basename "$(readlink -f "$_c/device")")
		for _n in $(ls "$_c" | grep '^nvme[0-9]*n[0-9]*$'); do
			echo "$_bdf /dev/$_n"
		done
	done
}

# wl_p2pmem_published BDF: the device publishes a p2pmem pool (e.g. a CMB).
wl_p2pmem_published() {
	grep -qx 1 "/sys/bus/pci/devices/$1/p2pmem/published" 2>/dev/null
}

# wl_rdma_devices: names of the RDMA devices, one per line.
wl_rdma_devices() {
	ls /sys/class/infiniband 2>/dev/null
}

# wl_rxe_setup NETDEV: a soft-RoCE device on NETDEV (brought up first),
# unless one exists already. RoCE v2 needs an IP address for a routable
# GID: a NETDEV without IPv4 gets 10.213.0.1/24 (the guest's dummy0).
# Prints nothing; fails with a message.
wl_rxe_setup() {
	[ -n "$(wl_rdma_devices)" ] && return 0
	command -v rdma >/dev/null 2>&1 || { echo "no rdma tool (iproute2)"; return 1; }
	ip link set lo up 2>/dev/null
	ip link set "$1" up || { echo "cannot bring up $1"; return 1; }
	if ! ip -4 addr show dev "$1" | grep -q inet; then
		ip addr add 10.213.0.1/24 dev "$1" || { echo "cannot give $1 an address"; return 1; }
	fi
	rdma link add "rxe_$1" type rxe netdev "$1" ||
		{ echo "rdma link add rxe_$1 type rxe netdev $1 failed (CONFIG_RDMA_RXE?)"; return 1; }
	[ -n "$(wl_rdma_devices)" ] || { echo "no RDMA device after rdma link add"; return 1; }
}

# wl_import OUTDIR FORMAT RUN_FILE...: one result file for one cell.
wl_import() {
	_o=$1 _f=$2
	shift 2
	"$DMABENCH" import --format "$_f" --out "$_o" ${WL_ENV:+--env "$WL_ENV"} "$@"
}

# wl_roce_gid_index DEV: the index of DEV's first IPv4-mapped RoCE GID on
# port 1 (::ffff:a.b.c.d), which loopback over RoCE v2 routes; nothing
# for InfiniBand or when there is none.
wl_roce_gid_index() {
	for _g in /sys/class/infiniband/"$1"/ports/1/gids/*; do
		case $(cat "$_g" 2>/dev/null) in
		0000:0000:0000:0000:0000:ffff:*) basename "$_g"; return 0 ;;
		esac
	done
	return 1
}
