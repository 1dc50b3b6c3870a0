#!/bin/sh
# rdma-dmabuf.sh: RDMA WRITE/READ bandwidth and latency into memory
# registered as a dma-buf MR (ibv_reg_dmabuf_mr), against host memory
# (ibv_reg_mr), with workloads/rdma-dmabuf.c, as dmabench result files.
#
#   rdma-dmabuf.sh --out DIR [--env FILE] [--dev NAME] [--rxe NETDEV]
#                  [--quick] [--repeat N] [--seconds N] [--size BYTES]
#                  [--buffers LIST] [--ops LIST] [--lat-iters N]
#
# Buffers: host, udmabuf (a memfd exported by /dev/udmabuf) and, once series
# part 3 is in, vfio:BDF:BAR (a BAR range exported by vfio-pci). A device
# that cannot take a dma-buf MR (rxe in 6.12: EOPNOTSUPP) gives an
# "unsupported" result with the errno, not a failure. Each cell runs REPEAT
# times (default 3) for SECONDS (default 2), then times LAT_ITERS single
# operations (default 1000); --quick: write only, 1 run of 1 s, 100
# latency samples. Every run checks the moved bytes.
#
# Results: DIR/rdma-dmabuf-<op>-<buffer>-<size>-t1.json; raw output in
# DIR/raw/. Exit 0 when every cell measured or said unsupported, 1 when one
# failed, 2 on bad input.
set -u
. "$(dirname "$0")/lib.sh"

out="" WL_ENV="" dev="" rxe="" quick=0 repeat=3 seconds=2 size=65536 lat_iters=1000
buffers="host udmabuf" ops="write read"
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=${2-}; shift 2 || wl_usage_error "--out needs a directory" ;;
	--env) WL_ENV=${2-}; shift 2 || wl_usage_error "--env needs a file" ;;
	--dev) dev=${2-}; shift 2 || wl_usage_error "--dev needs a device name" ;;
	--rxe) rxe=${2-}; shift 2 || wl_usage_error "--rxe needs a netdev" ;;
	--quick) quick=1; shift ;;
	--repeat) repeat=${2-}; shift 2 || wl_usage_error "--repeat needs a number" ;;
	--seconds) seconds=${2-}; shift 2 || wl_usage_error "--seconds needs a number" ;;
	--size) size=${2-}; shift 2 || wl_usage_error "--size needs a byte count" ;;
	--buffers) buffers=${2-}; shift 2 || wl_usage_error "--buffers needs a list" ;;
	--ops) ops=${2-}; shift 2 || wl_usage_error "--ops needs a list" ;;
	--lat-iters) lat_iters=${2-}; shift 2 || wl_usage_error "--lat-iters needs a number" ;;
	-h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) wl_usage_error "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$out" ] || wl_usage_error "--out DIR is required"
[ -z "$WL_ENV" ] || [ -f "$WL_ENV" ] || wl_usage_error "--env $WL_ENV: no such file"
[ "$quick" = 1 ] && repeat=1 seconds=1 ops=write lat_iters=100
wl_number --repeat "$repeat" 1 100
wl_number --seconds "$seconds" 1 3600
wl_number --lat-iters "$lat_iters" 1 100000
wl_number --size "$size" 4096 1073741824
[ $((size % 4096)) = 0 ] || wl_usage_error "--size must be a multiple of 4096 (udmabuf pages)"
for b in $buffers; do
	case $b in host|udmabuf|vfio:*:*) ;; *) wl_usage_error "--buffers: want host, udmabuf or vfio:BDF:BAR, not '$b'" ;; esac
done
for o in $ops; do
	case $o in write|read) ;; *) wl_usage_error "--ops: want write or read, not '$o'" ;; esac
done

# vfio-pci BARs: only a device the user bound to vfio-pci is ever used
if ! echo " $buffers " | grep -q ' vfio:'; then
	bound=""
	for d in /sys/bus/pci/drivers/vfio-pci/[0-9a-f]*:*; do
		[ -e "$d" ] && bound="$bound $(basename "$d")"
	done
	if [ -n "$bound" ]; then
		wl_skip "vfio buffer: not asked for (devices bound to vfio-pci:$bound; pass --buffers vfio:BDF:BAR)"
	else
		wl_skip "vfio buffer: no device bound to vfio-pci (the BAR dma-buf export is series part 3)"
	fi
fi
prog=$WL_DIR/build/rdma-dmabuf
[ -x "$prog" ] || wl_die "no $prog: build it first (make -C workloads)"
if [ -n "$rxe" ] && [ -z "$(wl_rdma_devices)" ]; then
	[ -e "/sys/class/net/$rxe" ] || wl_usage_error "--rxe $rxe: no such network device"
	why=$(wl_rxe_setup "$rxe") || { wl_skip "soft-RoCE on $rxe: $why"; exit 0; }
fi
if [ -z "$dev" ]; then
	dev=$(wl_rdma_devices | head -n 1)
	[ -n "$dev" ] || { wl_skip "no RDMA device (ibv_devices lists none)"; exit 0; }
elif [ ! -e "/sys/class/infiniband/$dev" ]; then
	wl_usage_error "--dev $dev: no such RDMA device (have: $(wl_rdma_devices | tr '\n' ' '))"
fi
wl_need_dmabench
if echo " $buffers " | grep -q ' udmabuf ' && [ ! -e /dev/udmabuf ]; then
	wl_skip "udmabuf buffer: no /dev/udmabuf (CONFIG_UDMABUF)"
	buffers=$(echo " $buffers " | sed 's/ udmabuf / /')
fi

gidx=$(wl_roce_gid_index "$dev") && gidx="--gid-index $gidx"
mkdir -p "$out/raw" || wl_usage_error "cannot create $out/raw"
wl_log "device $dev, $size bytes, ${seconds}s per run, $repeat run(s) per cell"

rc=0
for b in $buffers; do
	for o in $ops; do
		cell=$o-$(echo "$b" | tr ':' '_')-$size
		files="" ok=1 i=1
		while [ "$i" -le "$repeat" ]; do
			f=$out/raw/$cell.run$i.txt
			# shellcheck disable=SC2086
			"$prog" --dev "$dev" $gidx --buffer "$b" --op "$o" --size "$size" \
				--seconds "$seconds" --lat-iters "$lat_iters" >"$f" 2>"$f.err" || ok=0
			files="$files $f"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		if ! wl_import "$out" rdma-dmabuf $files || [ "$ok" = 0 ]; then
			wl_log "FAIL $o into $b (raw output in $out/raw)"
			rc=1
		fi
	done
done
exit $rc
