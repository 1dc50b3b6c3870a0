#!/bin/sh
# test.sh: "make test". Runs every stage, counts every case, prints how long
# each stage took, and ends with "N passed, N failed, N skipped".
#
# Stages: deps, unit (C tests of bench/, pipeline script tests), series
# (applies to the base, checkpatch --strict), kernel (build the patched
# guest kernel), boots (KUnit in IOMMU off / strict / swiotlb=force boots
# and a strict boot with P2P through the host bridge,
# plus smoke runs of the benchmark tools inside the strict boot). Every
# boot's console is scanned for kernel splats.
#
# TEST_VARIANT=debug (make test-debug) does the same on the debug kernel
# (KASAN, DMA_API_DEBUG, lockdep, kmemleak: linux-patches/config/debug.config).
set -u
. "$(dirname "$0")/lib.sh"

: "${TEST_VARIANT:=}"
kname=patched${TEST_VARIANT:+-$TEST_VARIANT}
kobj=$WORK/obj/$kname
T=$WORK/test${TEST_VARIANT:+-$TEST_VARIANT}
rm -rf "$T"
mkdir -p "$T"
tally=$T/tally
: > "$tally"
: > "$T/timings"

pass() { echo "PASS $*" >> "$tally"; }
fail() { echo "FAIL $*" >> "$tally"; echo "FAIL $*" >&2; }
# check NAME CMD...: one test case whose verdict is CMD's exit status.
check() { _n=$1; shift; if "$@" >"$T/check.out" 2>&1; then pass "$_n"; else fail "$_n"; sed 's/^/    /' "$T/check.out" | tail -n 20 >&2; fi; }

stage_start() { _stage=$1; _ts=$(date +%s); log "$_stage" "start"; }
stage_end() {
	_dt=$(( $(date +%s) - _ts ))
	printf '%-22s %6ss\n' "$_stage" "$_dt" >> "$T/timings"
	log "$_stage" "done in ${_dt}s"
}

# ---- deps
stage_start deps
check deps:install sh "$TOP/scripts/deps.sh"
stage_end

# ---- unit: C unit tests of bench/ (TAP-like lines) and the scripts' tests
stage_start unit
if [ -f "$TOP/bench/Makefile" ]; then
	make -s -C "$TOP/bench" check >"$T/bench-check.log" 2>&1
	rc=$?
	sed -n -e 's/^ok [0-9]* - \(.*\)$/PASS unit:\1/p' \
	       -e 's/^not ok [0-9]* - \(.*\)$/FAIL unit:\1/p' "$T/bench-check.log" >> "$tally"
	check unit:build-dmabench make -s -C "$TOP/bench"
	check unit:build-workloads make -s -C "$TOP/workloads"
	if [ $rc != 0 ]; then
		fail "unit:make-bench-check (exit $rc, log $T/bench-check.log)"
		grep -e '^not ok' -e 'rror' "$T/bench-check.log" | head -n 20 >&2
	fi
fi
for t in "$TOP"/scripts/tests/*.sh; do
	check "unit:scripts/$(basename "$t" .sh)" sh "$t"
done
# The CLI's parsers under libFuzzer (ASan, UBSan), seed 1: 20,000 inputs
# per parser here, 100,000 in make test-debug.
nfuzz=20000
[ "$TEST_VARIANT" = debug ] && nfuzz=100000
make -s -C "$TOP/bench" fuzz-parsers FUZZ_RUNS=$nfuzz FUZZ_SEED=1 >"$T/fuzz-parsers.log" 2>&1
rc=$?
grep -e '^PASS' -e '^FAIL' "$T/fuzz-parsers.log" >> "$tally"
grep -q '^PASS fuzz-parsers' "$T/fuzz-parsers.log" || fail "unit:fuzz-parsers (exit $rc, log $T/fuzz-parsers.log)"
grep -A3 '^FAIL' "$T/fuzz-parsers.log" >&2
stage_end

# ---- series: applies to the base tree, checkpatch --strict on every patch
stage_start series
if ! sh "$TOP/scripts/series-check.sh" >> "$tally" 2>"$T/series.err"; then
	grep -e '^FAIL series' -e '^FAIL checkpatch' "$tally" >&2
	cat "$T/series.err" >&2
fi
stage_end

# ---- kernel: the patched guest kernel
stage_start kernel
kernel_ok=0
if grep -q '^PASS series:applies' "$tally" &&
   sh "$TOP/scripts/kernel-build.sh" patched $TEST_VARIANT 2>&1 | tee "$T/kernel.log" >&2 &&
   ! grep -q '^error:' "$T/kernel.log"; then
	pass "kernel:build-$kname"
	kernel_ok=1
else
	fail "kernel:build-$kname"
fi
# The benchmark module and its smoke client, against the kernel just built.
if [ "$kernel_ok" = 1 ]; then
	check "kmod:build-against-$kname" make -s -C "$TOP/microbench-kmod" \
		KDIR="$WORK/src/patched" KOBJ="$kobj" modules tools
	check kmod:checkpatch-strict make -s -C "$TOP/microbench-kmod" check
	# The series' kselftests that run in the guest (test-boot.sh), built
	# against the uAPI headers of the kernel they test, as kselftests are
	# (Debian's own headers predate iommufd).
	mkdir -p "$TOP/bench/build/selftests/vfio"
	# "make headers" fills $kobj/usr/include; headers_install would only
	# copy it onward, with rsync, which this machine need not have.
	check kselftest:uapi-headers flock "$WORK/kbuild.lock" make -s -C "$WORK/src/patched" \
		O="$kobj" headers
	check kselftest:build-vfio make -s -C "$WORK/src/patched/tools/testing/selftests/vfio" \
		OUTPUT="$TOP/bench/build/selftests/vfio" KHDR_INCLUDES="-isystem $kobj/usr/include"
fi
stage_end

# ---- runner: a guest that panics must fail the run, with the panic shown
if [ "$kernel_ok" = 1 ]; then
	stage_start runner
	sh "$TOP/bench/vm/run.sh" --kernel "$kobj" --out "$T/boot-panic" \
		--timeout 300 "$TOP/bench/vm/guest/selftest-panic.sh" 2>"$T/boot-panic.err"
	rc=$?
	check runner:panic-is-a-failure test "$rc" = 3
	check runner:panic-lines-shown grep -q 'Kernel panic - not syncing' "$T/boot-panic.err"
	stage_end
fi

# ---- boots: KUnit at boot in four DMA setups; smoke runs in the strict one
# A debug kernel runs several times slower, and its strict boot adds the
# fault injection and 100-round lifetime loops.
boot_timeout=1200
[ "$TEST_VARIANT" = debug ] && boot_timeout=5400
if [ "$kernel_ok" = 1 ]; then
	for boot in off strict swiotlb hostbridge; do
		stage_start "boot-$boot"
		opts=$(boot_opts "$boot")
		out=$T/boot-$boot
		# shellcheck disable=SC2086
		sh "$TOP/bench/vm/run.sh" --kernel "$kobj" --out "$out" \
			--kunit --timeout "$boot_timeout" $opts "$TOP/bench/vm/guest/test-boot.sh" "$boot" 2>"$T/boot-$boot.err"
		rc=$?
		cat "$T/boot-$boot.err" >&2
		sh "$TOP/scripts/ktap.sh" "$boot" < "$out/console.log" > "$out/kunit.cases" 2>/dev/null
		cat "$out/kunit.cases" >> "$tally"
		if [ ! -s "$out/kunit.cases" ]; then
			fail "kunit:$boot:no-KTAP-output-on-the-console"
		fi
		# Any splat fails the boot, with the lines that matched.
		if sh "$TOP/scripts/splats.sh" < "$out/console.log" > "$out/splats"; then
			fail "kernel:$boot:no-splats-on-the-console"
			head -n 20 "$out/splats" >&2
		else
			pass "kernel:$boot:no-splats-on-the-console"
		fi
		# The guest script reports its own cases in the same PASS/FAIL form.
		[ -f "$out/cases" ] && cat "$out/cases" >> "$tally"
		# A result the guest wrote must read back on the host.
		[ -d "$out/inkernel" ] && check "bench:$boot:inkernel-result-reads-back" \
			"$TOP/bench/build/bin/dmabench" compare "$out/inkernel" "$out/inkernel"
		[ -d "$out/workloads/fio-p2p" ] && check "bench:$boot:workload-results-read-back" \
			"$TOP/bench/build/bin/dmabench" compare "$out/workloads/fio-p2p" "$out/workloads/fio-p2p"
		if [ $rc = 0 ]; then pass "boot:$boot"; else fail "boot:$boot (exit $rc)"; fi
		stage_end
	done
fi

# ---- summary
echo
echo "stage timings:"
cat "$T/timings"
grep '^FAIL' "$tally" | sed 's/^/  /'
np=$(grep -c '^PASS' "$tally")
nf=$(grep -c '^FAIL' "$tally")
ns=$(grep -c '^SKIP' "$tally")
echo "(all cases: $tally; total $(( $(date +%s) - _t0 ))s)"
echo "$np passed, $nf failed, $ns skipped"
[ "$nf" = 0 ]
