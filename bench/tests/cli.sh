#!/bin/sh
# End-to-end tests of the dmabench command line: exit codes, messages and
# the exact compare output for hand-made result files in tests/data/.
# Usage: sh tests/cli.sh PATH/TO/dmabench   (run from bench/)
DMABENCH=$1
DATA=tests/data
TMP=$(mktemp -d /tmp/dmabench-cli.XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT
n=0
passed=0
failed=0

report() { # report OK NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		echo "#   status $status; stdout/stderr:"
		sed 's/^/#   /' "$TMP/out" "$TMP/err" | head -n 20
	fi
}

run() { # run ARGS... : sets $status, output in $TMP/out and $TMP/err
	"$DMABENCH" "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}

# check STATUS 'text expected in stderr (or "" for none)' NAME
check() {
	ok=0
	[ "$status" -eq "$1" ] || ok=1
	if [ -n "$2" ] && ! grep -qF -- "$2" "$TMP/err"; then
		ok=1
	fi
	report $ok "$3"
}

run
check 2 "usage: dmabench run" "no arguments: usage on stderr, exit 2"
run help
status_help=$status
grep -qF "usage: dmabench run" "$TMP/out"
report $((status_help + $?)) "help: usage on stdout, exit 0"
run frobnicate
check 2 "unknown command 'frobnicate'" "unknown command: exit 2"

run run --out "$TMP/r"
check 2 "no engine (--engine or ENGINE= in the config)" "run without engine: exit 2"
run run --engine nope --out "$TMP/r"
check 2 "unknown engine 'nope' (known: inkernel kmod)" "unknown engine: exit 2"
run run --engine inkernel
check 2 "--out DIR is required" "run without --out: exit 2"
run run --engine inkernel --out "$TMP/r" --size 3K
check 2 "--size 3K: SIZES: 3K must be a power of two from 4K to 4M" "bad --size: exit 2"
run run --engine inkernel --out "$TMP/r" --threads
check 2 "--threads needs a value" "option without value: exit 2"
run run --engine inkernel --out "$TMP/r" --bogus
check 2 "unknown argument '--bogus'" "unknown option: exit 2"
printf 'ENGINE=inkernel\nTHREADS=2000\n' >"$TMP/bad.conf"
run run --config "$TMP/bad.conf" --out "$TMP/r"
check 2 "$TMP/bad.conf:2: THREADS: 2000 is out of range 1..1024" "bad config: file:line, exit 2"
run run --config "$TMP/none.conf" --out "$TMP/r"
check 2 "$TMP/none.conf: No such file or directory" "missing config: exit 2"
run run --engine inkernel --out "$TMP/r" --mode page
check 2 "engine inkernel supports only mode 'single'" "unsupported mode: exit 2"
printf 'tree=base\nseries_patches=x\n' >"$TMP/bad.env"
run run --engine inkernel --out "$TMP/r" --env "$TMP/bad.env"
check 2 "$TMP/bad.env:2: series_patches must be a non-negative integer, got 'x'" \
	"bad env file: exit 2"

run run --config configs/inkernel-smoke.conf --dry-run
printf '%s\n' \
	"inkernel-single-4K-t1.json  bidirectional, dma_bits 64, node -1, 3 x 1 s" \
	"inkernel-single-64K-t1.json  bidirectional, dma_bits 64, node -1, 3 x 1 s" \
	"2 cells on engine inkernel, 6s of measurement" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want"
report $((status + $?)) "dry run of the smoke config prints the plan"
run run --size 1M --config configs/inkernel-default.conf --repeat 1 --dry-run --dir to
printf '%s\n' \
	"inkernel-single-1M-t1.json  to_device, dma_bits 64, node -1, 1 x 2 s" \
	"inkernel-single-1M-t2.json  to_device, dma_bits 64, node -1, 1 x 2 s" \
	"2 cells on engine inkernel, 4s of measurement" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want"
report $((status + $?)) "command-line options override the config wherever they appear"

if [ ! -e /sys/kernel/debug/dma_map_benchmark ]; then
	run run --engine inkernel --out "$TMP/r"
	check 3 "/sys/kernel/debug/dma_map_benchmark does not exist" \
		"no dma_map_benchmark here: clean message, exit 3"
	[ ! -e "$TMP/r" ]
	report $? "... and nothing is written"
fi

# The run path end to end, against tests/fake_dma_map_benchmark.c preloaded
# in place of the kernel's debugfs file (sanitizer builds must allow that).
FAKE=$(dirname "$DMABENCH")/../tests/fake_dma_map_benchmark.so
export ASAN_OPTIONS=verify_asan_link_order=0
printf 'tree=patched\nseries_patches=12\nplatform=qemu-tcg\nvm_mem=4G\n' >"$TMP/ok.env"
LD_PRELOAD=$FAKE "$DMABENCH" run --config configs/inkernel-smoke.conf --env "$TMP/ok.env" \
	--out "$TMP/run" >"$TMP/out" 2>"$TMP/err"
status=$?
ok=0
for f in inkernel-single-4K-t1.json inkernel-single-64K-t1.json summary.json; do
	[ -f "$TMP/run/$f" ] || ok=1
done
report $((status + ok)) "run with a fake kernel: one file per cell plus summary.json"
grep -qF "dmabench: [cell 2/2, run 3/3] inkernel-single-64K-t1 (1 s), ETA" "$TMP/err"
report $? "run: progress per run with an ETA on stderr"
grep -qF "dmabench: inkernel-single-64K-t1.json: map 333 ns ±17.3% unmap 400 ns ±0.0%" "$TMP/err"
report $? "run: per-cell figures on stderr (fake 64K: map 4,3,4 x 100 ns)"
tr -d ' \n' <"$TMP/run/inkernel-single-64K-t1.json" >"$TMP/flat"
ok=0
for want in '"granule":16,"page_size":' '"tree":"patched"' '"series_patches":12' \
	'"vm_mem":"4G"' '"name":"map","unit":"ns","better":"lower","n":null,"runs":3,"mean":333.3' \
	'"raw":{"avg_map_100ns":3,"map_stddev":1,"avg_unmap_100ns":4,"unmap_stddev":1}' \
	'"p50":null' '"resolution_ns":100' "\"command\":\"$DMABENCH" ; do
	grep -qF -- "$want" "$TMP/flat" || { echo "#   missing $want"; ok=1; }
done
report $ok "run: result file carries cell, env file keys, metrics and raw kernel fields"
tr -d ' \n' <"$TMP/run/summary.json" >"$TMP/flat"
grep -qF '"complete":true,"cells":[{"file":"inkernel-single-4K-t1.json","engine":"inkernel","mode":"single","size":4096,"threads":1,"dir":"bidirectional","dma_bits":64,"status":"ok"},{"file":"inkernel-single-64K-t1.json"' "$TMP/flat"
report $? "run: summary.json lists the cells and says complete"
LD_PRELOAD=$FAKE "$DMABENCH" run --engine inkernel --out "$TMP/run" >"$TMP/out" 2>"$TMP/err"
status=$?
check 2 "$TMP/run already holds a run (summary.json); choose a new --out directory" \
	"run into a directory that holds a run: refused, exit 2"
run compare "$TMP/run" "$TMP/run" --threshold 0
check 0 "" "compare a fresh run with itself: no regression"
FAKE_DMA_FAIL_AT=5 LD_PRELOAD=$FAKE "$DMABENCH" run --config configs/inkernel-smoke.conf \
	--out "$TMP/fail" >"$TMP/out" 2>"$TMP/err"
status=$?
check 1 "inkernel-single-64K-t1 run 2 failed: DMA_MAP_BENCHMARK ioctl: Invalid argument" \
	"a failing ioctl stops the run with exit 1"
tr -d ' \n' <"$TMP/fail/summary.json" >"$TMP/flat"
ok=0
grep -qF '"complete":false' "$TMP/flat" || ok=1
[ -f "$TMP/fail/inkernel-single-4K-t1.json" ] && [ ! -e "$TMP/fail/inkernel-single-64K-t1.json" ] ||
	ok=1
report $ok "... keeping finished cells and an incomplete summary.json"
unset ASAN_OPTIONS

# ---- engine kmod: our module, /dev/dmabench ----
run run --engine kmod --out "$TMP/r" --mode phys-mmio
check 2 "cell kmod-phys-mmio-4K-t1-pci-bidir: mode phys-mmio maps a BAR: set BAR=target:N or BAR=p2pmem:N" \
	"kmod: an MMIO mode without BAR: exit 2"
run run --engine kmod --out "$TMP/r" --threads 65
check 2 "threads 65: the module runs 1..64 threads" "kmod: 65 threads: exit 2"
run run --engine kmod --out "$TMP/r" --mode sg --nents "1 8" --size 4M --threads 64 --batch 1
check 2 "cell kmod-sg-4M-n8-t64-pci-bidir: the module would refuse this cell: threads x nents x buf_size x batch = 2147483648 bytes is above 268435456" \
	"kmod: more than 256 MiB of buffers: exit 2"
run run --engine kmod --out "$TMP/r" --seconds 1 --iterations 10
check 2 "--seconds and --iterations are alternatives: give one" "--seconds with --iterations: exit 2"
run run --engine kmod --out "$TMP/r" --device 0000:00:3.0
check 2 "--device 0000:00:3.0: DEVICE: '0000:00:3.0' is not a PCI address dddd:bb:dd.f" \
	"bad --device: exit 2"
printf 'ENGINE=kmod\nBAR=target:0\nATTRS=fast\n' >"$TMP/bad.conf"
run run --config "$TMP/bad.conf" --out "$TMP/r"
check 2 "$TMP/bad.conf:3: ATTRS: unknown attribute 'fast' (known: skip_cpu_sync weak_ordering)" \
	"bad ATTRS in a config: file:line, exit 2"
run run --engine inkernel --out "$TMP/r" --nents "1 4"
check 2 "NENTS: engine inkernel has no mode with sg entries" "inkernel with NENTS: exit 2"
run run --engine inkernel --out "$TMP/r" --iterations 100
check 2 "engine inkernel runs for SECONDS, not ITERATIONS" "inkernel with ITERATIONS: exit 2"
run run --engine inkernel --out "$TMP/r" --target direct
check 2 "engine inkernel takes none of BATCH TARGET DEVICE BAR ATTRS" "inkernel with TARGET: exit 2"

run run --config configs/kmod-smoke.conf --dry-run
ok=0
[ "$(head -n 2 "$TMP/out")" = "kmod-single-4K-t1-pci-bidir.json  bidirectional, dma_bits 64, node -1, 2 x 200 iterations, batch: module default, device bound to the module
kmod-page-4K-t1-pci-bidir.json  bidirectional, dma_bits 64, node -1, 2 x 200 iterations, batch: module default, device bound to the module" ] || ok=1
grep -qxF "kmod-phys-mmio-4K-t1-pci-bidir-target-bar0.json  bidirectional, dma_bits 64, node -1, 2 x 200 iterations, batch: module default, device bound to the module, BAR target:0" "$TMP/out" || ok=1
grep -qxF "kmod-sg-4K-n4-t1-pci-bidir.json  bidirectional, dma_bits 64, node -1, 2 x 200 iterations, batch: module default, device bound to the module" "$TMP/out" || ok=1
[ "$(tail -n 1 "$TMP/out")" = "12 cells on engine kmod, 24 runs of 200 iterations (their time depends on the mode)" ] || ok=1
report $((status + ok)) "kmod: dry run of the smoke config: every mode once, sg-type modes with 1 and 4 entries"
run run --config configs/kmod-default.conf --dry-run
ok=0
[ "$(tail -n 1 "$TMP/out")" = "54 cells on engine kmod, 162 runs of 1000 iterations (their time depends on the mode)" ] || ok=1
grep -qF "kmod-p2p-pgmap-1M-n8-t2-pci-bidir.json  bidirectional, dma_bits 64, node -1, 3 x 1000 iterations, batch 2," "$TMP/out" || ok=1
[ "$(cut -d' ' -f1 "$TMP/out" | sort | uniq -d)" = "" ] || ok=1
report $((status + ok)) "kmod: the default matrix is 54 distinct cells"

if [ ! -e /dev/dmabench ]; then
	run run --config configs/kmod-smoke.conf --out "$TMP/r"
	check 3 "engine kmod is not available: /dev/dmabench does not exist: load the benchmark module" \
		"no /dev/dmabench here: clean message, exit 3"
	[ ! -e "$TMP/r" ]
	report $? "... and nothing is written"
fi

# The kmod run path end to end, against tests/fake_dmabench.c preloaded in
# place of /dev/dmabench.
FAKEK=$(dirname "$DMABENCH")/../tests/fake_dmabench.so
FUZZ=$(dirname "$DMABENCH")/dmabench-fuzz
export ASAN_OPTIONS=verify_asan_link_order=0
kmod() { # kmod ARGS...: dmabench with the fake module, sets $status
	LD_PRELOAD=$FAKEK "$DMABENCH" "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}
kmod run --config configs/kmod-smoke.conf --env "$TMP/ok.env" --out "$TMP/krun"
ok=0
for f in kmod-single-4K-t1-pci-bidir.json kmod-sg-4K-n4-t1-pci-bidir.json \
	kmod-resource-4K-t1-pci-bidir-target-bar0.json kmod-iova-link-4K-n4-t1-pci-bidir.json \
	summary.json; do
	[ -f "$TMP/krun/$f" ] || { echo "#   missing $f"; ok=1; }
done
[ "$(ls "$TMP/krun" | wc -l)" -eq 13 ] || ok=1
report $((status + ok)) "kmod run with a fake module: 12 cells plus summary.json, exit 0"
grep -qF "dmabench: kmod-iova-link-4K-n1-t1-pci-bidir.json: unsupported: DMABENCH_IOC_RUN: Operation not supported" "$TMP/err"
report $? "kmod run: an EOPNOTSUPP mode is reported unsupported and the run goes on"
tr -d ' \n' <"$TMP/krun/kmod-iova-link-4K-n4-t1-pci-bidir.json" >"$TMP/flat"
ok=0
for want in '"status":"unsupported","status_detail":"DMABENCH_IOC_RUN:Operationnotsupported' \
	'"n":null,"runs":0,"mean":null' '"runs":[]}' '"device":"0000:00:03.0"'; do
	grep -qF -- "$want" "$TMP/flat" || { echo "#   missing $want"; ok=1; }
done
report $ok "kmod run: the unsupported cell's file: status, errno text, null metrics, no runs"
tr -d ' \n' <"$TMP/krun/kmod-sg-4K-n4-t1-pci-bidir.json" >"$TMP/flat"
ok=0
for want in '"nents":4,"iterations":200,"batch":0,"target":"pci","device":"0000:00:03.0","bar":null,"attrs":[]' \
	'"engine_params":{"batch":32,"timer_overhead_ns":26},"iommu_domain":"dma-fq","timer_overhead_share":' \
	'"status":"ok","status_detail":null' '"name":"map","unit":"ns","better":"lower","n":400,"runs":2,' \
	'"p50":' '"resolution_ns":1' '"raw":{"status":0,"batch":32,"dma_bits":64,"iommu":2,' \
	'"histogram":{"layout":"dmabench-log-linear","layout_version":1,"map":{"sub_bits":5,"max_bits":40,"n":400,"buckets":[['; do
	grep -qF -- "$want" "$TMP/flat" || { echo "#   missing $want"; ok=1; }
done
report $ok "kmod run: cell keys, engine params, percentiles, raw fields and the histogram"
tr -d ' \n' <"$TMP/krun/summary.json" >"$TMP/flat"
grep -qF '{"file":"kmod-sg-4K-n4-t1-pci-bidir.json","engine":"kmod","mode":"sg","size":4096,"threads":1,"dir":"bidirectional","dma_bits":64,"nents":4,"node":-1,"target":"pci","device":"0000:00:03.0","bar":null,"attrs":[],"status":"ok"}' "$TMP/flat" &&
	grep -qF '"complete":true' "$TMP/flat" && grep -qF '"p2p-provider","size":4096,"threads":1,"dir":"bidirectional","dma_bits":64,"nents":null,"node":-1,"target":"pci","device":"0000:00:03.0","bar":"target:0","attrs":[],"status":"unsupported"}' "$TMP/flat"
report $? "kmod run: summary.json lists every cell with its status"
kmod compare "$TMP/krun" "$TMP/krun" --threshold 0
ok=0
grep -q "^map p50, ns per operation" "$TMP/out" && grep -q "^map+unmap p99, ns per operation" "$TMP/out" || ok=1
report $((status + ok)) "kmod compare of a run with itself: p50 and p99 tables, no regression"
kmod run --config configs/kmod-smoke.conf --mode "single page" --repeat 4 --out "$TMP/kfast"
FAKE_KMOD_EXTRA_NS=60 kmod run --config configs/kmod-smoke.conf --mode "single page" --repeat 4 \
	--out "$TMP/kslow"
kmod compare "$TMP/kfast" "$TMP/kslow" --threshold 5
ok=0
[ "$status" -eq 1 ] || ok=1
grep -q "^  ^ regression: kmod-single-4K-t1-pci-bidir 0000:00:03.0 map +" "$TMP/out" || ok=1
report $ok "kmod compare --threshold 5 against a slower fake: regressions, exit 1"

FAKE_KMOD_FAIL_AT=3 kmod run --config configs/kmod-smoke.conf --out "$TMP/kfail"
check 1 "kmod-page-4K-t1-pci-bidir run 1 failed: DMABENCH_IOC_RUN: Input/output error" \
	"kmod: a failing ioctl stops the run with exit 1 and the errno text"
grep -qF '"complete":false' "$TMP/kfail/summary.json" 2>/dev/null || tr -d ' \n' <"$TMP/kfail/summary.json" | grep -qF '"complete":false'
report $? "... and an incomplete summary.json"
FAKE_KMOD_STATUS_AT=2 kmod run --config configs/kmod-smoke.conf --out "$TMP/kstatus"
check 1 "kmod-single-4K-t1-pci-bidir run 2 failed: the run stopped early: Cannot allocate memory (results.status -12)" \
	"kmod: a run the module stopped early (results.status) fails, exit 1"
FAKE_KMOD_DEVICES=0 kmod run --config configs/kmod-smoke.conf --out "$TMP/knodev"
check 3 "engine kmod is not available: no PCI device is bound to the dmabench module" \
	"kmod: no device bound: exit 3"
FAKE_KMOD_DEVICES=0 kmod run --config configs/kmod-smoke.conf --mode "single sg" --target direct --out "$TMP/kdirect"
ok=0
[ -f "$TMP/kdirect/kmod-sg-4K-n4-t1-direct-bidir.json" ] || ok=1
tr -d ' \n' <"$TMP/kdirect/kmod-single-4K-t1-direct-bidir.json" | grep -qF '"target":"direct","device":null' || ok=1
report $((status + ok)) "kmod: TARGET=direct needs no bound device"
FAKE_KMOD_DEVICES=2 kmod run --config configs/kmod-smoke.conf --out "$TMP/k2"
check 2 "engine kmod: 2 PCI devices are bound to the dmabench module (0000:00:03.0 0000:00:04.0): choose one with DEVICE=" \
	"kmod: two devices bound and no DEVICE: exit 2"
FAKE_KMOD_DEVICES=2 kmod run --config configs/kmod-smoke.conf --mode page --device 0000:00:04.0 --out "$TMP/k2"
tr -d ' \n' <"$TMP/k2/kmod-page-4K-t1-pci-bidir.json" | grep -qF '"device":"0000:00:04.0"'
report $((status + $?)) "kmod: DEVICE picks one of two bound devices"
FAKE_KMOD_EPERM=1 kmod run --config configs/kmod-smoke.conf --out "$TMP/keperm"
check 3 "DMABENCH_IOC_INFO: Operation not permitted (the module needs CAP_SYS_ADMIN)" \
	"kmod: not privileged: exit 3"

# ---- the ioctl fuzzer, against the same fake ----
fuzz() { # fuzz ARGS...: dmabench-fuzz with the fake module, sets $status
	LD_PRELOAD=$FAKEK "$FUZZ" --save "$TMP/fuzz.last" --no-sync "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}
fuzz -n 3000
ok=0
grep -qF "dmabench-fuzz: seed 0x646d6162656e6368, cases 0..2999 on /dev/dmabench, timeout 10 s" "$TMP/out" || ok=1
grep -q "^returns: success [0-9]*, EBADF [0-9]*, EFAULT [0-9]*, ENODEV [0-9]*, EINVAL [0-9]*, ENOTTY [0-9]*, EOPNOTSUPP [0-9]*$" "$TMP/out" || ok=1
tail -n 1 "$TMP/out" | grep -q "^[0-9]* passed, 0 failed$" || ok=1
report $((status + ok)) "fuzz: 3000 cases against the fake module, every errno as expected"
FAKE_KMOD_BUG=reserved fuzz -n 1000
ok=0
[ "$status" -eq 1 ] || ok=1
grep -q "^not ok - case [0-9]* (reserved: reserved\[[0-7]\] non-zero): got success, want EINVAL (reserved\[[0-7]\] is not 0)$" "$TMP/out" || ok=1
tail -n 1 "$TMP/out" | grep -q "^[0-9]* passed, [1-9][0-9]* failed$" || ok=1
report $ok "fuzz: a module that accepts non-zero reserved fields is reported, exit 1"
FAKE_KMOD_EPERM=1 fuzz -n 300 --expect-eperm
ok=0
grep -qx "returns: EPERM 300" "$TMP/out" && [ "$(tail -n 1 "$TMP/out")" = "300 passed, 0 failed" ] || ok=1
report $((status + ok)) "fuzz --expect-eperm: every call EPERM"
fuzz -n 20 --expect-eperm
[ "$status" -eq 1 ] && tail -n 1 "$TMP/out" | grep -q "^0 passed, 20 failed$"
report $? "fuzz --expect-eperm against a privileged module: every call fails the check"
fuzz -n 1 --start 1234 --seed 7
what=$(sed -n 's/^what //p' "$TMP/fuzz.last")
ok=0
[ -n "$what" ] && [ "$(sed -n 's/^case //p' "$TMP/fuzz.last")" = 1234 ] || ok=1
cp "$TMP/fuzz.last" "$TMP/case1234"
fuzz -n 2 --start 1233 --seed 7
cmp -s "$TMP/fuzz.last" "$TMP/case1234" || ok=1
report $((status + ok)) "fuzz: case 1234 of a seed is the same whichever cases ran before it"
ok=0
LD_PRELOAD=$FAKEK "$FUZZ" --replay "$TMP/case1234" >"$TMP/out" 2>"$TMP/err"
status=$?
grep -qF "replaying case 1234 of seed 0x7 from $TMP/case1234: " "$TMP/out" &&
	grep -qF ": $what" "$TMP/out" && [ "$(tail -n 1 "$TMP/out")" = "1 passed, 0 failed" ] || ok=1
report $((status + ok)) "fuzz: the saved input of a case replays it (--replay)"
"$FUZZ" -n 1 --dev "$TMP/none" >"$TMP/out" 2>"$TMP/err"
status=$?
check 2 "dmabench-fuzz: $TMP/none: No such file or directory" "fuzz without a device: exit 2"
"$FUZZ" -n x >"$TMP/out" 2>"$TMP/err"
status=$?
check 2 "dmabench-fuzz: -n x: not a valid number" "fuzz with a bad number: exit 2"
unset ASAN_OPTIONS

run compare "$DATA/kmod-base" "$DATA/kmod-patched"
sed "s|@DATA@|$DATA|g" "$DATA/compare-kmod-expected.txt" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want"
report $((status + $?)) "compare kmod results: exact tables of means, p50 and p99, unsupported cells listed"
[ ! -s "$TMP/err" ]
report $? "compare kmod results: nothing on stderr"
run compare "$DATA/kmod-base" "$DATA/base"
check 2 "no cell of $DATA/kmod-base matches a cell of $DATA/base" "kmod and inkernel cells never match"

run compare "$DATA/base" "$DATA/patched"
sed "s|@DATA@|$DATA|g" "$DATA/compare-expected.txt" >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want"
report $((status + $?)) "compare: exact LKP-style table for the fixture dirs"
[ ! -s "$TMP/err" ]
report $? "compare: nothing on stderr for like-for-like inputs"
run compare "$DATA/base" "$DATA/patched" --threshold 10
ok=0
[ "$status" -eq 1 ] || ok=1
[ "$(tail -n 1 "$TMP/out")" = "2 significant regressions beyond 10%" ] || ok=1
report $ok "compare --threshold 10: two significant regressions, exit 1"
run compare "$DATA/kmod-base" "$DATA/kmod-patched" --threshold 5
ok=0
grep -qF -- "--threshold 5: a regression is a mean worse by more than 5% whose" "$TMP/out" || ok=1
grep -qF "Holm-adjusted p < 0.05 over the 9 mean comparisons above" "$TMP/out" || ok=1
grep -q "regression" "$TMP/out" && grep -q "^  ^ regression" "$TMP/out" && ok=1
report $((status + ok)) "compare --threshold 5: +7..+12% at p = 0.033 in each of 9 tests is no regression after Holm"
run compare "$DATA/base" "$DATA/patched" --threshold 10
grep -qF "map +30.8% (p = 1.53e-05, Holm-adjusted 9.18e-05 of 6 tests) exceeds 10%" "$TMP/out"
report $((1 - status + $?)) "compare --threshold: a regression line gives p, its Holm adjustment and the family size"
run compare --threshold=31 "$DATA/base" "$DATA/patched"
check 0 "" "compare --threshold 31: +30.8% is within it, exit 0"
run compare "$DATA/base" "$DATA/patched" --threshold 1
grep -q "unmap +2.0%" "$TMP/out"
report $((1 - $?)) "a non-significant change beyond the threshold is not a regression"
run compare "$DATA/base/inkernel-single-4K-t1.json" "$DATA/patched/inkernel-single-4K-t1.json"
grep -q "inkernel-single-4K-t1 bidirectional/64" "$TMP/out"
report $((status + $?)) "compare two files"
run compare "$DATA/base" "$DATA/patched" --threshold -1
check 2 "--threshold -1: want a percentage >= 0" "negative threshold: exit 2"
run compare "$DATA/base" "$DATA/patched" --threshold 5x
check 2 "--threshold 5x: want a percentage >= 0" "junk threshold: exit 2"
run compare "$DATA/base"
check 2 "compare needs BASE and PATCHED" "compare with one path: exit 2"
run compare "$DATA/base" "$DATA/patched" extra
check 2 "unexpected argument 'extra'" "compare with three paths: exit 2"
run compare "$DATA/base" "$TMP/nowhere"
check 2 "$TMP/nowhere: No such file or directory" "missing path: exit 2"

mkdir "$TMP/empty"
run compare "$DATA/base" "$TMP/empty"
check 2 "$TMP/empty: no result files (*.json)" "empty dir: exit 2"
mkdir "$TMP/broken"
printf '{"schema": "dmabench-result",\n "schema_version": 1,,}\n' >"$TMP/broken/x.json"
run compare "$DATA/base" "$TMP/broken"
check 2 "$TMP/broken/x.json: byte 51 (line 2, column 22): expected string key in object" \
	"malformed JSON: byte offset, exit 2"
mkdir "$TMP/v2"
sed 's/"schema_version": 1/"schema_version": 2/' "$DATA/base/inkernel-single-4K-t1.json" \
	>"$TMP/v2/a.json"
run compare "$TMP/v2" "$DATA/patched"
check 2 "$TMP/v2/a.json: schema_version 2 is not supported (this dmabench reads 1)" \
	"schema_version mismatch: exit 2"
mkdir "$TMP/dup"
cp "$DATA/base/inkernel-single-4K-t1.json" "$TMP/dup/a.json"
cp "$DATA/base/inkernel-single-4K-t1.json" "$TMP/dup/b.json"
run compare "$TMP/dup" "$DATA/patched"
check 2 "hold the same cell inkernel-single-4K-t1 bidirectional/64" "duplicate cell: exit 2"
run compare "$DATA/base/inkernel-single-4K-t1.json" "$DATA/patched/inkernel-single-1M-t1.json"
check 2 "no cell of $DATA/base/inkernel-single-4K-t1.json matches a cell of" \
	"no cells in common: exit 2, never an empty pass"
mkdir "$TMP/lazy"
sed 's/"iommu_mode": "strict"/"iommu_mode": "lazy"/' "$DATA/patched/inkernel-single-4K-t1.json" \
	>"$TMP/lazy/a.json"
run compare "$DATA/base" "$TMP/lazy"
check 0 "base and patched differ in iommu_mode (strict vs lazy)" \
	"different IOMMU modes: warning on stderr"

# ---- export ----
expect_file() { # expect_file FILE NAME: stdout equals FILE with @DATA@ filled in
	sed "s|@DATA@|$DATA|g" "$1" >"$TMP/want"
	cmp -s "$TMP/out" "$TMP/want"
	report $((status + $?)) "$2"
}
run export --csv "$DATA/kmod-base" "$DATA/base"
expect_file "$DATA/export-csv-expected.txt" \
	"export --csv: a row per cell and metric, empty unknowns, quoted commas"
run export --kcidb "$DATA/base" "$DATA/kmod-patched/kmod-page-4K-t1-pci-bidir.json" \
	"$DATA/kmod-base/kmod-iova-link-4K-n1-t1-pci-bidir.json"
expect_file "$DATA/export-kcidb-expected.json" \
	"export --kcidb: DONE rows with value and unit, SKIP for unsupported cells"
{
	"$DMABENCH" export --plot size "$DATA/kmod-patched"
	echo "# cdf"
	"$DMABENCH" export --plot cdf --metric map "$DATA/kmod-base"
	echo "# threads"
	"$DMABENCH" export --plot threads "$DATA/kmod-base"
	echo "# ab"
	"$DMABENCH" export --plot ab "$DATA/kmod-base" "$DATA/kmod-patched"
	echo "# modes"
	"$DMABENCH" export --table modes --metric map "$DATA/kmod-patched"
	echo "# table ab"
	"$DMABENCH" export --table ab "$DATA/kmod-base" "$DATA/kmod-patched"
} >"$TMP/out" 2>"$TMP/err"
status=$?
expect_file "$DATA/export-plot-expected.txt" \
	"export --plot size/cdf/threads/ab, --table modes/ab: exact output"
run export --table ab "$DATA/kmod-base" "$DATA/kmod-patched"
ok=0
[ "$(wc -L <"$TMP/out")" -le 72 ] || ok=1
report $((status + ok)) "export --table ab: no line wider than 72 columns"
mkdir "$TMP/slow"
for f in "$DATA/kmod-patched"/*.json; do
	# every run mean gets a leading 9: changes of +2000 % and more
	sed 's/"mean": \([0-9]\)/"mean": 9\1/' "$f" >"$TMP/slow/$(basename "$f")"
done
run export --table ab "$DATA/kmod-base" "$TMP/slow"
ok=0
[ "$(wc -L <"$TMP/out")" -le 72 ] || ok=1
grep -q ' $' "$TMP/out" && ok=1
grep -qx "page              4K      370.5     9415.5 +2441.3%  \\[+2431, +2452\\]  \\*\\*" "$TMP/out" || ok=1
report $((status + ok)) "export --table ab: changes beyond 100 % keep 72 columns, no trailing blanks"
run export --plot cdf "$DATA/kmod-base" --metric map --size 8K
ok=0
[ "$(cat "$TMP/out")" = "" ] || ok=1
check 1 "dmabench: no data: no measured cell in $DATA/kmod-base has metric map with a histogram" \
	"export --plot cdf at a size never measured: no data, exit 1"
report $ok "export with no data prints nothing on stdout"
run export --plot cdf "$DATA/base"
check 1 "no data:" "export --plot cdf of inkernel results (no histogram): exit 1"
run export "$DATA/base"
check 2 "export needs --csv, --kcidb, --plot KIND or --table KIND" "export without a format: exit 2"
run export --csv --kcidb "$DATA/base"
check 2 "give one of --csv, --kcidb, --plot, --table" "export with two formats: exit 2"
run export --plot pie "$DATA/base"
check 2 "--plot pie: unknown kind" "export --plot with an unknown kind: exit 2"
run export --plot ab "$DATA/base"
check 2 "export --plot ab needs BASE and PATCHED" "export --plot ab with one path: exit 2"
run export --plot size "$DATA/base" "$DATA/patched"
check 2 "needs exactly one result dir or file" "export --plot size with two paths: exit 2"
run export --csv "$TMP/nowhere"
check 2 "$TMP/nowhere: No such file or directory" "export of a missing path: exit 2"
run export --csv "$TMP/broken"
check 2 "$TMP/broken/x.json: byte 51 (line 2, column 22)" "export of malformed JSON: exit 2"
run export --csv "$TMP/empty"
check 2 "$TMP/empty: no result files (*.json)" "export of an empty dir: exit 2"
run export --plot threads --size 3Q "$DATA/base"
check 2 "--size 3Q: want bytes" "export with a bad --size: exit 2"
run export --plot size --threads 0 "$DATA/base"
check 2 "--threads 0: want 1..1024" "export with a bad --threads: exit 2"
run export --kcidb --origin "Bad:Origin" "$DATA/base"
check 2 "--origin Bad:Origin: want [a-z0-9_]+" "export with a bad KCIDB origin: exit 2"
run export --plot size --metric
check 2 "--metric needs a value" "export option without a value: exit 2"
mkdir "$TMP/badhist"
sed '/"max_bits": 40,/{n;s/"n": 192/"n": 193/;}' \
	"$DATA/kmod-base/kmod-page-4K-t1-pci-bidir.json" >"$TMP/badhist/a.json"
! cmp -s "$TMP/badhist/a.json" "$DATA/kmod-base/kmod-page-4K-t1-pci-bidir.json"
report $? "fixture: a histogram whose counts no longer sum to n"
run export --plot cdf "$TMP/badhist"
check 2 "$TMP/badhist/a.json: histogram does not match its layout" \
	"export --plot cdf of a histogram that contradicts its n: exit 2"

# ---- plots/plot.sh, scripts/report.sh, scripts/cover-letter-table.sh ----
# A run directory in scripts/bench.sh's layout, made of the fixtures.
ROOT=$(cd .. && pwd)
FAKE=$TMP/results/20260101T000000Z
for t in base patched; do
	mkdir -p "$FAKE/$t/strict-icount/kmod-smoke" "$FAKE/$t/strict-icount/inkernel-smoke"
	for f in "$DATA/kmod-$t"/*.json; do
		# an icount boot, as its name says (the fixtures were measured without)
		sed 's/"icount": "off"/"icount": "shift=0"/' "$f" \
			>"$FAKE/$t/strict-icount/kmod-smoke/$(basename "$f")"
	done
	cp "$DATA/$t"/*.json "$FAKE/$t/strict-icount/inkernel-smoke/"
	printf 'tree=%s\nplatform=qemu-tcg\naccel=tcg,thread=single\nicount=shift=0\niommu_mode=strict\n' \
		"$t" >"$FAKE/$t/strict-icount/env"
	echo '{}' >"$FAKE/$t/strict-icount/kmod-smoke/summary.json"
	echo '{}' >"$FAKE/$t/strict-icount/inkernel-smoke/summary.json"
done
echo 'make bench BOOTS="strict-icount"' >"$FAKE/command"
ABS_DMABENCH=$(cd "$(dirname "$DMABENCH")" && pwd)/$(basename "$DMABENCH")
script() { # script NAME ARGS...: a pipeline script with this dmabench
	DMABENCH=$ABS_DMABENCH DMABENCH_PREBUILT=1 REPORT_TOP=0 sh "$ROOT/$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}

if command -v gnuplot >/dev/null 2>&1; then
	script plots/plot.sh "$FAKE"
	ok=0
	for f in ab-strict-icount-kmod-smoke patched-strict-icount-kmod-smoke-latency-cdf-4K; do
		[ "$(head -c 4 "$FAKE/plots/$f.png" | od -An -c | tr -d ' ')" = '211PNG' ] || ok=1
		grep -q 'emulated (QEMU TCG, tcg,thread=single), instruction cost (icount shift=0); kernel 6.12.117' \
			"$FAKE/plots/$f.svg" || ok=1
		grep -q "^figure	$f	" "$FAKE/plots/index.tsv" || ok=1
	done
	report $((status + ok)) "plot.sh: A/B and CDF figures as PNG and SVG, each with its platform label"
	grep -q '^skip	bandwidth per workload (host memory vs P2P)	no result in this run has a bw metric' \
		"$FAKE/plots/index.tsv"
	report $? "plot.sh: the bandwidth figure is skipped with its reason when no workload ran"
	grep -q '^skip	base-strict-icount-inkernel-smoke latency figures	its engine reports no per-operation percentiles' \
		"$FAKE/plots/index.tsv"
	report $? "plot.sh: inkernel results (no percentiles) get no latency figures, with the reason"
	grep -q '^2 4 ' "$FAKE/plots/data/ab-strict-icount-kmod-smoke.dat" ||
		sed -n 4p "$FAKE/plots/data/ab-strict-icount-kmod-smoke.dat" | grep -q '^2 "sg-4K-n4-t1-pci-bidir" 7.37'
	report $? "plot.sh: the A/B data file holds the export's %change"

	script scripts/report.sh "$FAKE"
	cp "$FAKE/REPORT.md" "$TMP/report1"
	rm "$FAKE/REPORT.md"
	s1=$status
	script scripts/report.sh "$FAKE"
	cmp -s "$TMP/report1" "$FAKE/REPORT.md"
	report $((s1 + status + $?)) "report.sh: deleting REPORT.md and running it again gives the same bytes"
	ok=0
	[ "$(grep -m 1 '^## ' "$FAKE/REPORT.md")" = "## Verdict" ] || ok=1
	grep -qF '**Regression check, `strict-icount/kmod-smoke` (instruction cost, icount): PASS: no cell is significantly slower by more than 5%**' \
		"$FAKE/REPORT.md" || ok=1
	grep -qF '**Regression check, `strict-icount/inkernel-smoke` (instruction cost, icount): FAIL: 2 significant regressions beyond 5%**' \
		"$FAKE/REPORT.md" || ok=1
	grep -qF '`strict-icount/kmod-smoke`: 3 cells: 3 slower and 0 faster at p < 0.05 per cell (unadjusted), 0 without a significant change; changes range from +7.4% sg-4K-n4-t1-pci-bidir [+0.9%, +13.8%] to +12.1% page-4K-t1-pci-bidir [+1.5%, +22.7%].' \
		"$FAKE/REPORT.md" || ok=1
	report $ok "report.sh: the verdict comes first, with the threshold check and the counts from the results"
	ok=0
	grep -qF '| 4K | 1 | 415.5 | 420.5 (1.01×) | 655.5 (1.58×) | 435.5 (1.05×) | unsupported | unsupported |' \
		"$FAKE/REPORT.md" || ok=1
	grep -qF '![Patched against base, %change of the mean with 95% CI: boot strict-icount, kmod-smoke](plots/ab-strict-icount-kmod-smoke.png)' \
		"$FAKE/REPORT.md" || ok=1
	grep -qF "results/20260101T000000Z/base/strict-icount/kmod-smoke: kernel 6.12.117" "$FAKE/REPORT.md" || ok=1
	! grep -qF "$TMP" "$FAKE/REPORT.md" || ok=1
	report $ok "report.sh: modes table, inline figures, compare tables with run-relative paths"
	REPORT_THRESHOLD=31 script scripts/report.sh "$FAKE"
	grep -qF '`strict-icount/inkernel-smoke` (instruction cost, icount): PASS: no cell is significantly slower by more than 31%**' "$FAKE/REPORT.md"
	report $((status + $?)) "report.sh: REPORT_THRESHOLD 31 passes changes of at most +30.8%"
else
	for n in 1 2 3 4 5 6 7 8; do report 0 "# SKIP gnuplot is not installed (make deps)"; done
fi
script scripts/report.sh "$TMP/nowhere"
check 2 "report.sh: no results directory '$TMP/nowhere'" "report.sh on a missing dir: exit 2"
script scripts/report.sh "$TMP/empty"
check 2 "holds no benchmark results" "report.sh on a dir without results: exit 2"
REPORT_THRESHOLD=x script scripts/report.sh "$FAKE"
check 2 "REPORT_THRESHOLD=x: want a percentage" "report.sh with a bad threshold: exit 2"
script plots/plot.sh "$TMP/empty"
check 2 "holds no benchmark results" "plot.sh on a dir without results: exit 2"
script plots/plot.sh
check 2 "usage: plots/plot.sh" "plot.sh without arguments: exit 2"

# Workload results (dmabench import of the stored tool outputs): bandwidth bars.
WL=$TMP/results/20260101T000000Z/patched/strict/workloads
I=$DATA/import
mkdir -p "$WL"
"$DMABENCH" import --format fio --out "$WL" "$I/fio-randread-io_uring-host-128K.run1.json" \
	"$I/fio-randread-io_uring-host-128K.run2.json" "$I/fio-randread-io_uring-host-128K.run3.json" \
	>/dev/null 2>&1 &&
	"$DMABENCH" import --format fio --out "$WL" "$I/fio-read-libaio-p2pmem-128K-guest.json" \
		>/dev/null 2>&1 &&
	"$DMABENCH" import --format fio --out "$WL" "$I/fio-write-libaio-host-128K.json" >/dev/null 2>&1 &&
	"$DMABENCH" import --format rdma-dmabuf --out "$WL" "$I/rdma-dmabuf-write-udmabuf-rxe.txt" \
		>/dev/null 2>&1 &&
	"$DMABENCH" import --format perftest --out "$WL" "$I/perftest-ib_write_bw.txt" >/dev/null 2>&1
report $? "fixture: workload results imported from the stored fio, rdma-dmabuf and perftest outputs"
echo '{}' >"$WL/summary.json"
run export --plot bars "$WL"
expect_file "$DATA/export-bars-expected.txt" \
	"export --plot bars: GB/s per workload group, one block per buffer, unsupported left out"
if command -v gnuplot >/dev/null 2>&1; then
	script plots/plot.sh "$TMP/results/20260101T000000Z"
	ok=0
	[ "$(head -c 4 "$FAKE/plots/patched-strict-workloads-bandwidth.png" | od -An -c | tr -d ' ')" = '211PNG' ] || ok=1
	grep -q '^figure	patched-strict-workloads-bandwidth	Bandwidth per workload, host memory vs P2P buffers' \
		"$FAKE/plots/index.tsv" || ok=1
	grep -q '^skip	bandwidth' "$FAKE/plots/index.tsv" && ok=1
	report $((status + ok)) "plot.sh: a bandwidth figure for workload results, no bandwidth skip"
else
	report 0 "# SKIP gnuplot is not installed (make deps)"
fi
rm -rf "$TMP/results/20260101T000000Z/patched/strict"

# bench-aa refuses bad settings before it boots anything (WORK: no kernels)
WORK=$TMP/work AA_TREE=nope script scripts/bench-aa.sh
check 2 "AA_TREE=nope: want base or patched" "bench-aa with an unknown tree: exit 2"
WORK=$TMP/work BOOTS=weird script scripts/bench-aa.sh
check 2 "unknown boot 'weird'" "bench-aa with an unknown boot: exit 2"
WORK=$TMP/work AA_THRESHOLD=five script scripts/bench-aa.sh
check 2 "AA_THRESHOLD=five: want a percentage" "bench-aa with a bad threshold: exit 2"
WORK=$TMP/work script scripts/bench-aa.sh
check 2 "no patched kernel in $TMP/work/obj/patched" "bench-aa without the kernel built: exit 2"

script scripts/cover-letter-table.sh "$FAKE"
ok=0
[ "$(wc -L <"$TMP/out")" -le 72 ] || ok=1
grep -qx 'page              4K      370.5      415.5   +12.1%  \[+1.5, +22.7\]   \*' "$TMP/out" || ok=1
grep -qx 'QEMU TCG with -icount shift=0: guest time counts instructions,' "$TMP/out" || ok=1
report $((status + ok)) "cover-letter-table: the icount kmod pair, at most 72 columns"
(cd "$TMP" && script scripts/cover-letter-table.sh results/20260101T000000Z && cp "$TMP/out" "$TMP/rel")
cmp -s "$TMP/rel" "$TMP/out" && grep -q '^page  ' "$TMP/rel"
report $? "cover-letter-table with a relative results path"
script scripts/cover-letter-table.sh "$FAKE" strict/kmod-smoke
check 2 "has no base and patched results for 'strict/kmod-smoke'" "cover-letter-table with an unknown pair: exit 2"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
