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
check 2 "unknown engine 'nope' (known: inkernel)" "unknown engine: exit 2"
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
grep -qF '"complete":true,"cells":[{"file":"inkernel-single-4K-t1.json","engine":"inkernel","mode":"single","size":4096,"threads":1,"dir":"bidirectional","dma_bits":64},{"file":"inkernel-single-64K-t1.json"' "$TMP/flat"
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
