#!/bin/sh
# bench.sh: "make bench". Builds the base and patched kernels, boots each
# once per DMA setup, runs the benchmark matrix in the guest, compares base
# with patched and regenerates REPORT.md. With HOST=1 it runs the same
# guest script natively on the running kernel instead (host mode).
#
#   BENCH_CONFIG  matrix to run (default bench/configs/inkernel-default.conf)
#   BOOTS         DMA setups to boot (default "off lazy strict swiotlb
#                 strict-icount"; see boot_opts in scripts/lib.sh)
#   HOST=1        host mode; DMABENCH_DEVICE=<bdf> picks the device to bind
set -u
. "$(dirname "$0")/lib.sh"

: "${BENCH_CONFIG:=$TOP/bench/configs/inkernel-default.conf}"
: "${BOOTS:=off lazy strict swiotlb strict-icount}"
: "${HOST:=0}"
[ -f "$BENCH_CONFIG" ] || die "BENCH_CONFIG=$BENCH_CONFIG does not exist"
BENCH_CONFIG=$(cd "$(dirname "$BENCH_CONFIG")" && pwd)/$(basename "$BENCH_CONFIG")
# Refuse a bad boot name now, not after an hour of kernel builds.
for boot in $BOOTS; do (boot_opts "$boot" >/dev/null) || exit 2; done

ts=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$TOP/results/$ts
mkdir -p "$RUN"
echo "make bench HOST=$HOST BENCH_CONFIG=$BENCH_CONFIG BOOTS=\"$BOOTS\"" > "$RUN/command"
log bench "results go to $RUN"

log bench "building the bench tools"
make -s -C "$TOP/bench" || die "building bench/ failed"

if [ "$HOST" = 1 ]; then
	[ "$(id -u)" = 0 ] || die "host mode needs root (it binds a PCI device)"
	# The series' own modes need its symbols in the running kernel.
	if grep -q -E '^MODES=.*\b(phys|phys-mmio|p2p-provider|iova-link)\b' "$BENCH_CONFIG" &&
	   ! grep -q -w dma_map_phys /proc/kallsyms; then
		die "the running kernel $(uname -r) lacks the phys-addr DMA series, but $BENCH_CONFIG asks for phys modes; boot the patched kernel or pick a config without them"
	fi
	out=$RUN/host/$(uname -r)
	mkdir -p "$out"
	{
		echo "platform=host"
		echo "dmabench_commit=$(git -C "$TOP" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
		echo "series_hash=${SERIES_HASH:-unknown}"
		echo "tree=${TREE:-running}"
	} > "$out/env"
	DMABENCH_OUT=$out DMABENCH_TOP=$TOP sh "$TOP/bench/vm/guest/bench.sh" "$BENCH_CONFIG" 2>&1 |
		tee "$out/guest.log"
else
	for tree in base patched; do
		sh "$TOP/scripts/kernel-build.sh" "$tree" || die "kernel build ($tree) failed"
	done
	for tree in base patched; do
		for boot in $BOOTS; do
			opts=$(boot_opts "$boot") || exit 2
			out=$RUN/$tree/$boot
			# shellcheck disable=SC2086
			sh "$TOP/bench/vm/run.sh" --kernel "$WORK/obj/$tree" --out "$out" \
				$opts "$TOP/bench/vm/guest/bench.sh" "$BENCH_CONFIG" ||
				log bench "WARNING: $tree/$boot failed (see $out/guest.log)"
		done
	done
	for boot in $BOOTS; do
		[ -d "$RUN/base/$boot/cells" ] && [ -d "$RUN/patched/$boot/cells" ] || continue
		"$TOP/bench/build/bin/dmabench" compare "$RUN/base/$boot/cells" \
			"$RUN/patched/$boot/cells" > "$RUN/compare-$boot.txt" 2>&1
	done
fi

sh "$TOP/scripts/report.sh" "$RUN" || die "report generation failed"
log bench "done: $RUN, REPORT.md regenerated"
