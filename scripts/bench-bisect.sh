#!/bin/sh
# bench-bisect.sh: "make bench-bisect". The cost of every patch of the
# series: the guest kernel is built after each patch in turn (bisect.sh
# with SAVE=, so this is also the bisect check), each point is booted in
# the instruction-count setup and runs the small fixed matrix
# bench/configs/bisect.conf, and the plot shows map+unmap per patch
# against the unpatched base (point 0, the make kernel-base build with the
# same guest config). Under icount the figures are instruction costs, so
# a boot may run while the next kernel builds without disturbing them.
#
#   FROM=N         first patch to measure (default 1); the base is always
#                  measured
#   BISECT_BOOT    DMA setup (default strict-icount; scripts/lib.sh)
#   BISECT_CONFIG  matrix (default bisect: bench/configs/bisect.conf)
#
# Writes results/bisect-<timestamp>/: command, NN/<boot>/{env,console.log,
# guest.log,<config>/*.json} for NN = 00 (base) .. the last patch, and
# per-patch/ (table and figures, regenerated offline by
# scripts/bench-bisect-report.sh RUN). Exit 1 if a patch did not build or
# a boot failed.
set -u
. "$(dirname "$0")/lib.sh"

: "${FROM:=1}"
: "${BISECT_BOOT:=strict-icount}"
: "${BISECT_CONFIG:=bisect}"
conf=$TOP/bench/configs/$BISECT_CONFIG.conf

# boot_point NN KERNELDIR: one point of the series, measured (bisect.sh
# calls it back as "bench-bisect.sh --point NN DIR" after each step)
boot_point() {
	_out=$RUN/$1/$BISECT_BOOT
	# shellcheck disable=SC2086
	if sh "$TOP/bench/vm/run.sh" --kernel "$2" --out "$_out" $opts --timeout 3600 \
		"$TOP/bench/vm/guest/bench.sh" "$conf" >"$RUN/$1.boot.log" 2>&1; then
		log bench-bisect "point $1 measured"
	else
		log bench-bisect "WARNING: point $1 boot failed (see $RUN/$1.boot.log)"
		echo "$1" >> "$RUN/failed"
	fi
}

[ -f "$conf" ] || { echo "error: no bench config '$BISECT_CONFIG' (bench/configs/*.conf)" >&2; exit 2; }
opts=$(boot_opts "$BISECT_BOOT") || exit 2
if [ "${1:-}" = --point ]; then
	: "${RUN:?--point is the call back of bisect.sh, with RUN set}"
	boot_point "$(printf %02d "$2")" "$3"
	exit 0
fi

RUN=$TOP/results/bisect-$(date -u +%Y%m%dT%H%M%SZ)
export RUN
mkdir -p "$RUN"
echo "make bench-bisect FROM=$FROM BISECT_BOOT=$BISECT_BOOT BISECT_CONFIG=$BISECT_CONFIG" > "$RUN/command"
log bench-bisect "results go to $RUN"
make -s -C "$TOP/bench" || die "building bench/ failed"

# the two ends: the base, and the patched tree bisect.sh steps through
sh "$TOP/scripts/kernel-build.sh" base || die "base kernel build failed"
sh "$TOP/scripts/kernel-build.sh" patched || die "patched kernel build failed"
make -s -C "$TOP/microbench-kmod" KDIR="$WORK/src/linux" KOBJ="$WORK/obj/base" \
	modules tools >&2 || die "module build (base) failed"

# Point 00 boots while the first patches build.
boot_point 00 "$WORK/obj/base" &
base_pid=$!
ok=1
{ SAVE=$WORK/bisect ON_STEP="sh $TOP/scripts/bench-bisect.sh --point" FROM=$FROM \
	sh "$TOP/scripts/bisect.sh" || echo "bisect.sh exit $?" > "$RUN/bisect.failed"; } 2>&1 |
	tee "$RUN/bisect.log"
[ -e "$RUN/bisect.failed" ] && ok=0
wait "$base_pid"
[ -s "$RUN/failed" ] && ok=0

sh "$TOP/scripts/bench-bisect-report.sh" "$RUN" || ok=0
log bench-bisect "done: $RUN/per-patch/"
[ "$ok" = 1 ]
