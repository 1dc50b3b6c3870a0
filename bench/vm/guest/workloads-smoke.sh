#!/bin/sh
# workloads-smoke.sh BOOT: a short run of every workload in workloads/ in
# the guest; each must produce verified, non-zero bandwidth (the importer
# refuses anything else) as result files that read back. Results go to
# $DMABENCH_OUT/workloads/<workload>/.
BOOT=${1:?usage: workloads-smoke.sh BOOT}
. "$(dirname "$0")/lib.sh"

WL=$DMABENCH_TOP/workloads
W=$DMABENCH_OUT/workloads
mkdir -p "$W"
ENVF=$DMABENCH_OUT/env

# wl_case NAME DIR SCRIPT ARGS...: the workload's exit status is the case.
wl_case() {
	_n=$1 _d=$2
	shift 2
	guest_check "$BOOT:workload-$_n" sh "$@" --out "$W/$_d" --env "$ENVF" --quick
}

wl_case fio-p2p fio-p2p "$WL/fio-p2p.sh"
# the guest has a CMB: both buffer sources must have measured
for b in host p2pmem; do
	guest_check "$BOOT:workload-fio-$b-results" \
		sh -c "ls '$W/fio-p2p/'fio-*-$b-*.json >/dev/null 2>&1"
done
wl_case rdma-perftest rdma-perftest "$WL/rdma-perftest.sh" --rxe dummy0
guest_check "$BOOT:workload-perftest-results" \
	sh -c "ls '$W/rdma-perftest/'perftest-*.json >/dev/null 2>&1"
wl_case rdma-dmabuf rdma-dmabuf "$WL/rdma-dmabuf.sh" --rxe dummy0
guest_check "$BOOT:workload-rdma-dmabuf-host-measured" \
	grep -q '"status": "ok"' "$W/rdma-dmabuf/rdma-dmabuf-write-host-64K-t1.json"
# rxe has no dma-buf MRs in 6.12: the result must say so, with the errno
guest_check "$BOOT:workload-rdma-dmabuf-udmabuf-reported" \
	grep -q -e '"status": "ok"' -e '"status": "unsupported"' \
	"$W/rdma-dmabuf/rdma-dmabuf-write-udmabuf-64K-t1.json"
