#!/bin/sh
# Host mode of workloads/ on a machine without the hardware (CI, developer
# boxes: no NVMe, no RDMA device, no vfio): every workload says in one line
# what it skips and exits 0; bad input exits 2; a mounted block device is
# refused before anything touches it. A machine that has NVMe or RDMA
# devices does not run the discovery half (it would measure, and write).
W=$(cd "$(dirname "$0")/../../workloads" && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect STATUS PATTERN SCRIPT ARGS...: exit status and a line on stdout/stderr
expect() {
	_st=$1 _pat=$2
	shift 2
	sh "$@" >"$d/out" 2>&1
	_rc=$?
	if [ "$_rc" != "$_st" ] || ! grep -q -- "$_pat" "$d/out"; then
		bad "$* exited $_rc (want $_st) or printed no '$_pat':"
		sed 's/^/    /' "$d/out"
	else
		echo "ok: $(basename "$1") ${2:-} ... -> $_rc: $(grep -m1 -- "$_pat" "$d/out")"
	fi
}

if ls /sys/class/nvme/nvme* >/dev/null 2>&1; then
	echo "note: this machine has NVMe controllers: fio-p2p discovery not run here"
else
	expect 0 'fio-p2p: skip: no NVMe namespace' "$W/fio-p2p.sh" --out "$d/r"
fi
if ls /sys/class/infiniband/* >/dev/null 2>&1; then
	echo "note: this machine has RDMA devices: RDMA discovery not run here"
else
	expect 0 'rdma-perftest: skip: no RDMA device' "$W/rdma-perftest.sh" --out "$d/r"
	expect 0 'rdma-dmabuf: skip: no RDMA device' "$W/rdma-dmabuf.sh" --out "$d/r"
	expect 0 'rdma-dmabuf: skip: vfio buffer' "$W/rdma-dmabuf.sh" --out "$d/r"
fi

# bad input: exit 2 with a message, for every workload
for s in fio-p2p rdma-perftest rdma-dmabuf; do
	expect 2 'is required' "$W/$s.sh"
	expect 2 'unknown argument' "$W/$s.sh" --out "$d/r" --bogus
	expect 2 'repeat must be 1..100' "$W/$s.sh" --out "$d/r" --repeat 0
done
expect 2 'not a block device' "$W/fio-p2p.sh" --out "$d/r" --device /dev/null
expect 2 'no such network device' "$W/rdma-perftest.sh" --out "$d/r" --rxe no-such-netdev0

# a mounted block device, named explicitly, is refused (nothing is written:
# the check runs before fio is even looked for)
mounted=""
while read -r src _; do
	case $src in /dev/*) [ -b "$src" ] && { mounted=$src; break; } ;; esac
done < /proc/mounts
if [ -n "$mounted" ]; then
	expect 2 "refusing to write: $mounted is in use" "$W/fio-p2p.sh" --out "$d/r" \
		--device "$mounted"
else
	echo "note: no mounted block device here to check the refusal with"
fi
[ "$fails" = 0 ]
