#!/bin/sh
# bench.sh: "make bench". Builds the base and patched kernels and the
# benchmark module for each, boots each kernel once per DMA setup, runs the
# benchmark matrices in the guest, compares base with patched and
# regenerates REPORT.md. With HOST=1 it runs the same guest script natively
# on the running kernel instead (host mode).
#
#   BENCH_CONFIGS  matrices to run, bench/configs/*.conf (default:
#                  inkernel-default kmod-default kmod-p2p workloads)
#   BOOTS          DMA setups to boot (default "off lazy strict swiotlb
#                  strict-icount hostbridge-icount"; see boot_opts in
#                  scripts/lib.sh)
#   HOST=1         host mode; DMABENCH_DEVICE=<bdf> picks the device to bind
#   PERF=1         also profile one cell per mode with perf (per-function
#                  shares of the map and unmap paths in the report)
#
# Layout of results/<timestamp>/: command, <tree>/<boot>/{env,console.log,
# guest.log,<config>/*.json}, compare/<boot>/<config>.txt, REPORT.md.
set -u
. "$(dirname "$0")/lib.sh"

: "${BENCH_CONFIGS:=inkernel-default kmod-default kmod-p2p workloads}"
: "${BOOTS:=off lazy strict swiotlb strict-icount hostbridge-icount}"
: "${HOST:=0}"
: "${PERF:=0}"
case $PERF in 0|1) ;; *) echo "error: PERF=$PERF: want 0 or 1" >&2; exit 2 ;; esac
asked_configs=$BENCH_CONFIGS
# PERF=1: one cell per mode under perf as well (bench/configs/perf.conf)
[ "$PERF" = 1 ] && BENCH_CONFIGS="$BENCH_CONFIGS perf"

configs=""
for c in $BENCH_CONFIGS; do
	f=$c
	[ -f "$f" ] || f=$TOP/bench/configs/$c.conf
	[ -f "$f" ] || { echo "error: no bench config '$c' (bench/configs/*.conf)" >&2; exit 2; }
	configs="$configs $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
done
# Refuse a bad boot name now, not after an hour of kernel builds.
for boot in $BOOTS; do (boot_opts "$boot" >/dev/null) || exit 2; done

ts=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$TOP/results/$ts
mkdir -p "$RUN"
echo "make bench HOST=$HOST PERF=$PERF BENCH_CONFIGS=\"$asked_configs\" BOOTS=\"$BOOTS\"" > "$RUN/command"
log bench "results go to $RUN"

log bench "building the bench tools"
make -s -C "$TOP/bench" || die "building bench/ failed"
make -s -C "$TOP/workloads" || die "building workloads/ failed (libibverbs-dev: make deps)"

if [ "$HOST" = 1 ]; then
	[ "$(id -u)" = 0 ] || die "host mode needs root (it binds a PCI device)"
	# The series' own modes need its symbols in the running kernel.
	for c in $configs; do
		if grep -q -E '^MODES=.*(phys|p2p-provider|iova-link)' "$c" &&
		   ! grep -q -w dma_map_phys /proc/kallsyms; then
			die "the running kernel $(uname -r) lacks the phys-addr DMA series, but $(basename "$c") asks for phys modes; boot the patched kernel or set BENCH_CONFIGS"
		fi
	done
	kdir=/lib/modules/$(uname -r)/build
	if grep -q -E '^ENGINE=(kmod|perf)' $configs; then
		[ -d "$kdir" ] || die "no kernel headers at $kdir to build the module against"
		make -s -C "$TOP/microbench-kmod" KDIR="$kdir" KOBJ="$kdir" KBUILD_LOCK= modules tools ||
			die "building the module against $kdir failed"
	fi
	out=$RUN/host/$(uname -r)
	mkdir -p "$out"
	{
		echo "platform=host"
		echo "dmabench_commit=$(git -C "$TOP" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
		echo "series_hash=${SERIES_HASH:-unknown}"
		echo "tree=running"
		echo "name=$(basename "$kdir")"  # where the module was built: microbench-kmod/out/<name>
	} > "$out/env"
	# shellcheck disable=SC2086
	DMABENCH_OUT=$out DMABENCH_TOP=$TOP sh "$TOP/bench/vm/guest/bench.sh" $configs 2>&1 |
		tee "$out/guest.log"
else
	for tree in base patched; do
		sh "$TOP/scripts/kernel-build.sh" "$tree" || die "kernel build ($tree) failed"
		make -s -C "$TOP/microbench-kmod" KDIR="$WORK/src/$([ $tree = base ] && echo linux || echo patched)" \
			KOBJ="$WORK/obj/$tree" modules tools >&2 || die "module build ($tree) failed"
	done
	for tree in base patched; do
		for boot in $BOOTS; do
			out=$RUN/$tree/$boot
			bconfigs=$configs
			# icount makes device time free: no bandwidth figures there
			case $boot in *icount*) bconfigs=$(echo "$configs" | sed 's#[^ ]*/workloads.conf##') ;; esac
			# shellcheck disable=SC2046,SC2086
			sh "$TOP/bench/vm/run.sh" --kernel "$WORK/obj/$tree" --out "$out" \
				$(boot_opts "$boot") --timeout 3600 \
				"$TOP/bench/vm/guest/bench.sh" $bconfigs ||
				log bench "WARNING: $tree/$boot failed (see $out/guest.log)"
		done
	done
	for boot in $BOOTS; do
		for c in $configs; do
			name=$(basename "$c" .conf)
			[ "$name" = perf ] && continue	# profiles, not cells: the report shows them
			[ -d "$RUN/base/$boot/$name" ] && [ -d "$RUN/patched/$boot/$name" ] || continue
			mkdir -p "$RUN/compare/$boot"
			"$TOP/bench/build/bin/dmabench" compare "$RUN/base/$boot/$name" \
				"$RUN/patched/$boot/$name" > "$RUN/compare/$boot/$name.txt" 2>&1
		done
	done
fi

sh "$TOP/scripts/report.sh" "$RUN" || die "report generation failed"
log bench "done: $RUN, REPORT.md regenerated"
