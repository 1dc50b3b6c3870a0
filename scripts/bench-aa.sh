#!/bin/sh
# bench-aa.sh: "make bench-aa", the A/A check of the regression verdict.
# Boots one kernel twice per DMA setup (runs A and B), runs the same
# matrices in both, and judges B against A with the verdict make report
# uses: `dmabench compare --threshold`. Nothing changed between A and B, so
# every "regression" it reports is a false alarm of the verdict (or a
# difference between two boots of the same kernel: memory layout, host
# load), and the script exits 1.
#
#   AA_TREE        kernel to boot twice: patched (default) or base
#   BOOTS          DMA setups (default "strict-icount strict"; scripts/lib.sh)
#   BENCH_CONFIGS  matrices (default kmod-default)
#   AA_THRESHOLD   percent, as REPORT_THRESHOLD (default 5)
#
# Writes results/aa-<timestamp>/{A,B}/<boot>/<config>/*.json, command, and
# compare/<boot>/<config>.txt. The kernel must be built already
# (make kernel / make kernel-base); the module is built here.
set -u
. "$(dirname "$0")/lib.sh"

: "${AA_TREE:=patched}"
: "${BOOTS:=strict-icount strict}"
: "${BENCH_CONFIGS:=kmod-default}"
: "${AA_THRESHOLD:=5}"

case $AA_TREE in
base) ksrc=$WORK/src/linux ;;
patched) ksrc=$WORK/src/patched ;;
*) echo "error: AA_TREE=$AA_TREE: want base or patched" >&2; exit 2 ;;
esac
configs=""
for c in $BENCH_CONFIGS; do
	f=$TOP/bench/configs/$c.conf
	[ -f "$f" ] || { echo "error: no bench config '$c' (bench/configs/*.conf)" >&2; exit 2; }
	configs="$configs $f"
done
for boot in $BOOTS; do (boot_opts "$boot" >/dev/null) || exit 2; done
case $AA_THRESHOLD in
''|*[!0-9.]*|*.*.*) echo "error: AA_THRESHOLD=$AA_THRESHOLD: want a percentage, e.g. 5" >&2; exit 2 ;;
esac
kobj=$WORK/obj/$AA_TREE
[ -f "$kobj/arch/x86/boot/bzImage" ] ||
	{ echo "error: no $AA_TREE kernel in $kobj: run 'make kernel' or 'make kernel-base'" >&2; exit 2; }

RUN=$TOP/results/aa-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"
echo "make bench-aa AA_TREE=$AA_TREE BOOTS=\"$BOOTS\" BENCH_CONFIGS=\"$BENCH_CONFIGS\" AA_THRESHOLD=$AA_THRESHOLD" >"$RUN/command"
log aa "results go to $RUN"
make -s -C "$TOP/bench" || die "building bench/ failed"
make -s -C "$TOP/microbench-kmod" KDIR="$ksrc" KOBJ="$kobj" modules tools >&2 ||
	die "module build ($AA_TREE) failed"

for rep in A B; do
	for boot in $BOOTS; do
		# shellcheck disable=SC2046,SC2086
		sh "$TOP/bench/vm/run.sh" --kernel "$kobj" --out "$RUN/$rep/$boot" \
			$(boot_opts "$boot") --timeout 2400 "$TOP/bench/vm/guest/bench.sh" $configs ||
			log aa "WARNING: $rep/$boot failed (see $RUN/$rep/$boot/guest.log)"
	done
done

rc=0
for boot in $BOOTS; do
	for c in $configs; do
		name=$(basename "$c" .conf)
		[ -d "$RUN/A/$boot/$name" ] && [ -d "$RUN/B/$boot/$name" ] || {
			log aa "$boot/$name: missing in A or B"
			rc=1
			continue
		}
		mkdir -p "$RUN/compare/$boot"
		out=$RUN/compare/$boot/$name.txt
		"$TOP/bench/build/bin/dmabench" compare --threshold "$AA_THRESHOLD" \
			"$RUN/A/$boot/$name" "$RUN/B/$boot/$name" >"$out" 2>&1
		st=$?
		if [ "$st" -eq 0 ]; then
			log aa "$boot/$name: PASS, no false regression at $AA_THRESHOLD%"
		else
			rc=1
			log aa "$boot/$name: FAIL (exit $st): $(tail -n 1 "$out")"
			grep '^  ^ regression' "$out" >&2
		fi
	done
done
log aa "done: $RUN (tables in compare/)"
exit $rc
