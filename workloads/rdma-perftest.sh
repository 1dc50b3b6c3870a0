#!/bin/sh
# rdma-perftest.sh: RDMA WRITE and READ bandwidth into host memory with
# perftest's ib_write_bw / ib_read_bw (the baseline for dma-buf MRs), as
# dmabench result files.
#
#   rdma-perftest.sh --out DIR [--env FILE] [--dev NAME] [--rxe NETDEV]
#                    [--quick] [--repeat N] [--seconds N] [--size BYTES]
#                    [--tests LIST]
#
# Server and client run on this machine over 127.0.0.1, on the first RDMA
# device (or --dev). --rxe NETDEV first creates a soft-RoCE device on NETDEV
# when there is none (the QEMU guest uses dummy0; see wl_rxe_setup). Each test runs REPEAT
# times (default 3) for SECONDS (default 2) at SIZE bytes (default 65536);
# --quick: 1 run of 1 s. With perftest's --out_json (when the installed
# perftest has it) its JSON report is kept next to the text output in
# DIR/raw/; the text output is what dmabench import reads.
#
# Results: DIR/perftest-<write|read>-host-<size>-t1.json. Exit 0 when every
# test that could run produced a bandwidth, 1 when one failed, 2 on bad input.
set -u
. "$(dirname "$0")/lib.sh"

out="" WL_ENV="" dev="" rxe="" quick=0 repeat=3 seconds=2 size=65536
tests="ib_write_bw ib_read_bw"
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
	--tests) tests=${2-}; shift 2 || wl_usage_error "--tests needs a list" ;;
	-h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) wl_usage_error "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$out" ] || wl_usage_error "--out DIR is required"
[ -z "$WL_ENV" ] || [ -f "$WL_ENV" ] || wl_usage_error "--env $WL_ENV: no such file"
[ "$quick" = 1 ] && repeat=1 seconds=1
wl_number --repeat "$repeat" 1 100
wl_number --seconds "$seconds" 1 3600
wl_number --size "$size" 1 1073741824
for t in $tests; do
	case $t in ib_write_bw|ib_read_bw) ;; *) wl_usage_error "--tests: want ib_write_bw or ib_read_bw, not '$t'" ;; esac
done

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
for t in $tests; do
	command -v "$t" >/dev/null 2>&1 || { wl_skip "no $t installed (perftest; make deps)"; exit 0; }
done
wl_need_dmabench
# RoCE: the IPv4-mapped GID (perftest's default index 0 is link-local)
gidx=$(wl_roce_gid_index "$dev") && gidx="-x $gidx"
json_opt=0
ib_write_bw --help 2>&1 | grep -q -- '--out_json' && json_opt=1

mkdir -p "$out/raw" || wl_usage_error "cannot create $out/raw"
wl_log "device $dev${gidx:+ (GID index ${gidx#-x })}, $size bytes, ${seconds}s per run, $repeat run(s) per test"

port=18515
# run_one TEST RAW: server in the background, client in the foreground;
# the client's stdout is the run's output.
run_one() {
	port=$((port + 1))
	_j=""
	# shellcheck disable=SC2086
	"$1" -d "$dev" $gidx -s "$size" -D "$seconds" -p "$port" -F >"$2.server" 2>&1 &
	_spid=$!
	_try=0
	# the server needs a moment to listen; the client retries until then
	while :; do
		[ "$json_opt" = 1 ] && _j="--out_json --out_json_file=$2.perftest.json"
		# shellcheck disable=SC2086
		"$1" -d "$dev" $gidx -s "$size" -D "$seconds" -p "$port" -F $_j 127.0.0.1 >"$2" 2>&1 &&
			break
		_try=$((_try + 1))
		if [ "$_try" -ge 20 ] || ! kill -0 "$_spid" 2>/dev/null; then
			kill "$_spid" 2>/dev/null
			wait "$_spid" 2>/dev/null
			return 1
		fi
		sleep 1
	done
	wait "$_spid"
}

rc=0
for t in $tests; do
	files="" ok=1 i=1
	while [ "$i" -le "$repeat" ]; do
		f=$out/raw/$t-$size.run$i.txt
		run_one "$t" "$f" || ok=0
		files="$files $f"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	if ! wl_import "$out" perftest $files || [ "$ok" = 0 ]; then
		wl_log "FAIL $t (raw output in $out/raw)"
		rc=1
	fi
done
exit $rc
