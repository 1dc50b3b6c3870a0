#!/bin/sh
# bench-dmabuf.sh: "make bench-dmabuf". The importer side of series part 3
# measured: a vfio-pci dma-buf of a BAR mapped by the dmabench module
# through the exporter's sg_table and through the phys list, at 4 KiB,
# 64 KiB and 1 MiB, and the revoke latency (memory decode off to the
# importer holding no mapping). One guest boot with the IOMMU strict and
# P2P allowed through the host bridge (the only way the guest's importer
# reaches the exported BAR); the patched kernel only, since the base has no
# export. Timings are QEMU TCG (emulated): compare the two paths as ratios.
#
#   DMABUF_REPEAT  rounds per path and size (default 3)
#   DMABUF_ITERS   samples per run (default 1000, each a batch of 32)
#   DMABUF_BOOT    hostbridge (default) or hostbridge-icount, where one ns is
#                  one guest instruction: host load does not move it
#
# Writes results/dmabuf-<timestamp>/: command, <boot>/{env,console.log,
# guest.log,dmabuf-import/*.txt} and dmabuf-import.txt, the table that
# scripts/dmabuf-import-report.sh regenerates offline from the raw files.
set -eu
. "$(dirname "$0")/lib.sh"

: "${DMABUF_REPEAT:=3}"
: "${DMABUF_ITERS:=1000}"
: "${DMABUF_BOOT:=hostbridge}"
case $DMABUF_BOOT in hostbridge|hostbridge-icount) ;; *) die "DMABUF_BOOT: hostbridge or hostbridge-icount" ;; esac
RUN=$TOP/results/dmabuf-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"
echo "make bench-dmabuf DMABUF_REPEAT=$DMABUF_REPEAT DMABUF_ITERS=$DMABUF_ITERS DMABUF_BOOT=$DMABUF_BOOT" > "$RUN/command"

sh "$TOP/scripts/kernel-build.sh" patched >&2
kobj=$WORK/obj/patched
make -s -C "$TOP/microbench-kmod" KDIR="$WORK/src/patched" KOBJ="$kobj" modules tools >&2
log bench-dmabuf "booting $DMABUF_BOOT: $DMABUF_REPEAT rounds, $DMABUF_ITERS samples a run"
# shellcheck disable=SC2046
sh "$TOP/bench/vm/run.sh" --kernel "$kobj" --out "$RUN/$DMABUF_BOOT" --timeout 3600 \
	$(boot_opts $DMABUF_BOOT) "$TOP/bench/vm/guest/dmabuf-import.sh" \
	"$DMABUF_REPEAT" "$DMABUF_ITERS"
sh "$TOP/scripts/dmabuf-import-report.sh" "$RUN" | tee "$RUN/dmabuf-import.txt"
log bench-dmabuf "results in $RUN"
