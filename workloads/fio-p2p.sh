#!/bin/sh
# fio-p2p.sh: O_DIRECT NVMe bandwidth into host memory and into a CMB
# (p2pmem), with every byte verified, as dmabench result files.
#
#   fio-p2p.sh --out DIR [--env FILE] [--device /dev/nvmeXnY] [--quick]
#              [--repeat N] [--size BYTES] [--rw LIST] [--bs LIST]
#              [--ioengine LIST] [--buffers LIST] [--iodepth N]
#
# Without --device it uses the first NVMe namespace that nobody uses (not
# mounted, no filesystem, partitions, holders or swap); a named device is
# still refused if it holds a filesystem or is mounted (exit 2). The data
# on the device is overwritten.
#
# Cells: rw (read write randread randwrite) x bs (4k 128k 1m) x ioengine
# (libaio io_uring) x buffer (host: malloc; p2pmem: the controller's own
# CMB, mem=mmapshared:/sys/bus/pci/devices/<bdf>/p2pmem/allocate). Each
# cell runs REPEAT times (default 3); read cells read data a fill job wrote
# with the same block size, and every job checks crc32c headers, so a path
# that moves nothing fails. Each job covers SIZE bytes from offset 0
# (default 16m), at least 8 blocks. --quick: read and write at 128k, 1 run
# of 2m.
#
# Results: DIR/fio-<rw>-<ioengine>-<buffer>-<bs>-t1.json (bench/SCHEMA.md),
# raw fio JSON in DIR/raw/. Exit 0 when every cell that could run verified
# (skips are one line each), 1 when a run failed, 2 on bad input.
set -u
. "$(dirname "$0")/lib.sh"

out="" WL_ENV="" device="" quick=0 repeat=3 size="" iodepth=8
rws="read write randread randwrite" bss="4k 128k 1m" engines="libaio io_uring"
buffers="host p2pmem"
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=${2-}; shift 2 || wl_usage_error "--out needs a directory" ;;
	--env) WL_ENV=${2-}; shift 2 || wl_usage_error "--env needs a file" ;;
	--device) device=${2-}; shift 2 || wl_usage_error "--device needs a block device" ;;
	--quick) quick=1; shift ;;
	--repeat) repeat=${2-}; shift 2 || wl_usage_error "--repeat needs a number" ;;
	--size) size=${2-}; shift 2 || wl_usage_error "--size needs a byte count" ;;
	--iodepth) iodepth=${2-}; shift 2 || wl_usage_error "--iodepth needs a number" ;;
	--rw) rws=${2-}; shift 2 || wl_usage_error "--rw needs a list" ;;
	--bs) bss=${2-}; shift 2 || wl_usage_error "--bs needs a list" ;;
	--ioengine) engines=${2-}; shift 2 || wl_usage_error "--ioengine needs a list" ;;
	--buffers) buffers=${2-}; shift 2 || wl_usage_error "--buffers needs a list" ;;
	-h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) wl_usage_error "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$out" ] || wl_usage_error "--out DIR is required"
[ -z "$WL_ENV" ] || [ -f "$WL_ENV" ] || wl_usage_error "--env $WL_ENV: no such file"
if [ "$quick" = 1 ]; then
	rws="read write" bss="128k" repeat=1
	: "${size:=2m}"
fi
: "${size:=16m}"
wl_number --repeat "$repeat" 1 100
wl_number --iodepth "$iodepth" 1 1024
case $size in [0-9]*[0-9kKmMgG]|[0-9]) ;; *) wl_usage_error "--size takes bytes with k/m/g, not '$size'" ;; esac
case ${size%[kKmMgG]} in *[!0-9]*) wl_usage_error "--size takes bytes with k/m/g, not '$size'" ;; esac
for x in $rws; do
	case $x in read|write|randread|randwrite) ;; *) wl_usage_error "--rw: unknown '$x'" ;; esac
done
for x in $bss; do
	case ${x%[kKmM]} in ''|*[!0-9]*) wl_usage_error "--bs: '$x' is not a size" ;; esac
done
for x in $engines; do
	case $x in libaio|io_uring) ;; *) wl_usage_error "--ioengine: want libaio or io_uring, not '$x'" ;; esac
done
for x in $buffers; do
	case $x in host|p2pmem) ;; *) wl_usage_error "--buffers: want host or p2pmem, not '$x'" ;; esac
done

# ---- the device: named, or the first unused NVMe namespace
ctrl=""
if [ -n "$device" ]; then
	why=$(wl_blockdev_refusal "$device") && wl_usage_error "refusing to write: $why"
	name=$(basename "$(readlink -f "$device")")
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/$name" ] && ctrl=$(basename "$(readlink -f "$c/device")")
	done
else
	found=$(wl_nvme_namespaces)
	if [ -z "$found" ]; then
		wl_skip "no NVMe namespace on this machine"
		exit 0
	fi
	while read -r bdf ns; do
		if why=$(wl_blockdev_refusal "$ns"); then
			wl_skip "$ns: $why"
			continue
		fi
		device=$ns ctrl=$bdf
		break
	done <<EOF
$found
EOF
	if [ -z "$device" ]; then
		wl_skip "no unused NVMe namespace (name one with --device to use it anyway)"
		exit 0
	fi
fi
if [ ! -w "$device" ]; then
	wl_skip "$device is not writable by $(id -un) (run as root)"
	exit 0
fi
command -v fio >/dev/null 2>&1 || { wl_skip "no fio installed (make deps)"; exit 0; }
wl_need_dmabench

# ---- buffer sources
p2pmem=""
for b in $buffers; do
	[ "$b" = p2pmem ] || continue
	if [ -n "$ctrl" ] && wl_p2pmem_published "$ctrl"; then
		p2pmem=/sys/bus/pci/devices/$ctrl/p2pmem/allocate
	else
		wl_skip "p2pmem buffer: ${ctrl:-$device} publishes no p2pmem (no CMB, or CONFIG_PCI_P2PDMA off)"
	fi
done
mem_of() { [ "$1" = p2pmem ] && echo "mmapshared:$p2pmem" || echo malloc; }

mkdir -p "$out/raw" || wl_usage_error "cannot create $out/raw"
wl_log "device $device (controller ${ctrl:-unknown}), ${size} per job (at least 8 blocks), $repeat run(s) per cell"

# bytes N[k|m|g]: the byte count
bytes() {
	case $1 in
	*[kK]) echo $(( ${1%?} * 1024 )) ;;
	*[mM]) echo $(( ${1%?} * 1048576 )) ;;
	*[gG]) echo $(( ${1%?} * 1073741824 )) ;;
	*) echo "$1" ;;
	esac
}
# job_size BS: --size, but at least 8 blocks, so that large blocks still
# give each run several I/Os
job_size() {
	_s=$(bytes "$size") _b=$(bytes "$1")
	[ "$_s" -ge $((8 * _b)) ] && echo "$_s" || echo $((8 * _b))
}

# run_fio RAWFILE RW BS ENGINE MEM VERIFYWRITE: one fio job, JSON in RAWFILE.
run_fio() {
	FIO_FILENAME=$device FIO_RW=$2 FIO_BS=$3 FIO_IOENGINE=$4 FIO_MEM=$5 \
	FIO_IODEPTH=$iodepth FIO_SIZE=$(job_size "$3") FIO_VERIFY_WRITE=$6 \
		fio --output-format=json+ --output="$1" "$WL_DIR/fio-p2p.fio" >/dev/null 2>"$1.err"
}

rc=0
for bs in $bss; do
	# read cells check what this fill wrote, block by block
	if echo " $rws " | grep -q ' read \| randread '; then
		if ! run_fio "$out/raw/fill-$bs.json" write "$bs" libaio malloc 1; then
			wl_log "FAIL fill job at bs=$bs (see $out/raw/fill-$bs.json.err)"
			rc=1
			continue
		fi
	fi
	for rw in $rws; do
		for eng in $engines; do
			for buf in $buffers; do
				[ "$buf" = p2pmem ] && [ -z "$p2pmem" ] && continue
				cell=$rw-$eng-$buf-$bs
				vw=0
				case $rw in *write) vw=1 ;; esac
				files="" ok=1 i=1
				while [ "$i" -le "$repeat" ]; do
					f=$out/raw/$cell.run$i.json
					if ! run_fio "$f" "$rw" "$bs" "$eng" "$(mem_of "$buf")" "$vw"; then
						ok=0
					fi
					files="$files $f"
					i=$((i + 1))
				done
				# the importer judges the runs (errors, verify, zero bytes)
				# shellcheck disable=SC2086
				if ! wl_import "$out" fio $files || [ "$ok" = 0 ]; then
					wl_log "FAIL $cell (raw output and fio's stderr in $out/raw)"
					rc=1
				fi
			done
		done
	done
done
exit $rc
