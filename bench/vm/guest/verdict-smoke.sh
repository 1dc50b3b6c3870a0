#!/bin/sh
# verdict-smoke.sh [TAG]: does "dmabench compare --threshold" tell a real
# slowdown from noise? One small kmod cell is measured three times in this
# boot: A, A again (A2), and B with the module's test-only
# test_map_delay_ns making every map 20 us slower. A vs A2 must pass the
# gate and A vs B must fail it, naming the map metric. The threshold is
# 50 %: far above this cell's boot-to-boot noise under TCG, far below the
# injected +20 us on a map of a few us, so neither verdict is luck.
#
# Needs the module built for this kernel and the edu device (see
# kmod-smoke.sh). The results stay in $DMABENCH_OUT/verdict/ for review.
. "$(dirname "$0")/lib.sh"

TAG=verdict:${1:-host}
# A debug kernel (KASAN, lockdep, kmemleak) is never timed: its map costs
# hundreds of microseconds and follow the host's load, so neither verdict
# would say anything about the gate.
if [ -e /sys/kernel/debug/kmemleak ]; then
	case_skip "$TAG:timing-on-a-debug-kernel-means-nothing"
	exit 0
fi
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null)
KO=$DMABENCH_TOP/microbench-kmod/out/${tree:-patched}/dmabench.ko
PARAM=/sys/module/dmabench/parameters/test_map_delay_ns
OUT=$DMABENCH_OUT/verdict
DELAY_NS=20000

edu=$(pci_find $EDU_ID) || { case_fail "$TAG:edu-present"; exit 1; }
[ -x "$DMABENCH" ] && [ -f "$KO" ] || { case_fail "$TAG:built (dmabench and $KO)"; exit 1; }
guest_check "$TAG:insmod" insmod "$KO"
guest_check "$TAG:bind-edu" pci_bind "$edu" dmabench

# measure NAME: the one cell, six runs, into $OUT/NAME (three were too
# few on a loaded host: +2919 % was p 0.02, not significant after Holm)
measure() {
	"$DMABENCH" run --engine kmod --mode single --size 4K --threads 1 \
		--iterations 300 --batch 8 --repeat 6 --target pci \
		--env "$DMABENCH_OUT/env" --out "$OUT/$1" >"$OUT/$1.log" 2>&1
}
mkdir -p "$OUT"
guest_check "$TAG:delay-param-refuses-out-of-range" sh -c "! echo 100001 > $PARAM"
guest_check "$TAG:delay-param-refuses-garbage" sh -c "! echo 12ab > $PARAM"
guest_check "$TAG:delay-param-off-by-default" grep -qx 0 "$PARAM"
guest_check "$TAG:run-A" measure A
guest_check "$TAG:run-A2" measure A2
echo $DELAY_NS > "$PARAM"
guest_check "$TAG:run-B-slowed" measure B
echo 0 > "$PARAM"
guest_check "$TAG:slowed-result-says-so" grep -q "\"injected_map_delay_ns\": $DELAY_NS" \
	"$OUT/B/kmod-single-4K-t1-pci-bidir.json"
guest_check "$TAG:real-result-has-no-delay-key" sh -c \
	"! grep -q injected_map_delay_ns $OUT/A/kmod-single-4K-t1-pci-bidir.json"

"$DMABENCH" compare --threshold 50 "$OUT/A" "$OUT/A2" >"$OUT/aa.txt" 2>&1
rc=$?
cat "$OUT/aa.txt"
guest_check "$TAG:a-vs-a-no-regression-exit-0" test $rc = 0
"$DMABENCH" compare --threshold 50 "$OUT/A" "$OUT/B" >"$OUT/ab.txt" 2>&1
rc=$?
cat "$OUT/ab.txt"
guest_check "$TAG:injected-slowdown-exit-1" test $rc = 1
guest_check "$TAG:injected-slowdown-names-map" grep -q '\^ regression: .*map' "$OUT/ab.txt"

pci_unbind "$edu"
guest_check "$TAG:rmmod" rmmod dmabench
grep -q "^FAIL guest:$TAG" "$DMABENCH_OUT/cases" 2>/dev/null && exit 1
exit 0
