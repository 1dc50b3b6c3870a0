#!/bin/sh
# perf-profile.sh CONFIG: the per-function cost of each mode of the
# dmabench module (make bench PERF=1; the matrix is bench/configs/perf.conf).
#
# For each mode one cell runs under "perf record -a -g -e cpu-clock". The
# samples with a frame of the module on their call chain are split by it:
# below the mode's map function (page_map, phys_mmio_map, ...) is the map
# path, below its unmap function the unmap path, the rest ("other") is the
# timing loop and the run's setup. (The comm of the module's threads is no
# help: perf 6.1 still reports them as kthreadd.)
#
# Writes $DMABENCH_OUT/perf/<mode>.tsv (path, function, samples, share
# of the path's samples; the TOP leaf functions per path) and
# <mode>.paths (path, samples, share of all), plus <mode>.stat from perf
# stat (cycles, instructions) where the CPU has hardware counters, which a
# TCG guest does not.
#
#   perf-profile.sh --split TOP PATHS < perf-script-output
# runs the split alone (the host unit test, scripts/tests/perf-split.sh).

# split_paths TOP PATHS: perf script output (-F comm,ip,sym,dso, with call
# chains) on stdin: a header line per sample, its frames leaf first, each
# starting with a tab, and a blank line after.
split_paths() {
	awk -v paths="$2" '
	function reset() { nf = 0 }
	function flush(  i, side, mine) {
		mine = 0
		for (i = 1; i <= nf; i++)
			if (inmod[i]) mine = 1
		if (mine) {
			side = "other"
			for (i = 1; i <= nf; i++) {
				if (inmod[i] && f[i] ~ /_unmap$/) { side = "unmap"; break }
				if (inmod[i] && f[i] ~ /_map$/) { side = "map"; break }
			}
			n[side]++; c[side SUBSEP f[1]]++; tot++
		}
		reset()
	}
	/^[ \t]*$/ { flush(); next }
	!/^\t/ { flush(); next }
	{
		sym = $2; sub(/\+0x[0-9a-f]+$/, "", sym)
		nf++; f[nf] = sym; inmod[nf] = ($NF == "([dmabench])")
	}
	END {
		flush()
		for (s in n) printf "%s\t%d\t%.4f\n", s, n[s], n[s] / tot > paths
		for (k in c) {
			split(k, p, SUBSEP)
			printf "%s\t%s\t%d\t%.4f\n", p[1], p[2], c[k], c[k] / n[p[1]]
		}
	}' | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k3,3nr -k2,2 |
		awk -F '\t' -v top="$1" '{ if (++seen[$1] <= top) print }'
	[ -f "$2" ] && LC_ALL=C sort -o "$2" "$2"
}
if [ "${1:-}" = --split ]; then
	split_paths "$2" "$3"
	exit
fi

. "$(dirname "$0")/lib.sh"

CONF=${1:?usage: perf-profile.sh CONFIG}
conf() { sed -n "s/^$1=\"\{0,1\}\([^\"#]*\)\"\{0,1\}.*/\1/p" "$CONF" | sed 's/ *$//'; }
OUT=$DMABENCH_OUT/perf
KMOD=$DMABENCH_TOP/microbench-kmod
tree=$(sed -n 's/^name=//p' "$DMABENCH_OUT/env" 2>/dev/null | tail -n 1)
KO=$KMOD/out/${tree:-$(uname -r)}/dmabench.ko
SMOKE=$KMOD/out/dmabench-smoke
PERF=${PERF_BIN:-perf}
dev=${DMABENCH_DEVICE:-$(pci_find $EDU_ID)} || dev=""

command -v "$PERF" >/dev/null || { echo "perf-profile: no perf here (make deps installs linux-perf)"; exit 1; }
[ -f "$KO" ] && [ -x "$SMOKE" ] || { echo "perf-profile: no $KO or $SMOKE"; exit 1; }
[ -n "$dev" ] || { echo "perf-profile: no device to bind (DMABENCH_DEVICE=<bdf>)"; exit 1; }
mkdir -p "$OUT"
insmod "$KO" || exit 1
pci_bind "$dev" dmabench || { rmmod dmabench; exit 1; }

# Hardware counters: a TCG guest has none ("<not supported>").
hw=0
"$PERF" stat -x, -e cycles,instructions -o /tmp/perf-hw true 2>/dev/null &&
	! grep -q -e 'not supported' -e 'not counted' /tmp/perf-hw && hw=1

# The P2P modes use the BAR an NVMe CMB published as p2pmem.
p2p_bar=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/p2pmem/published" 2>/dev/null)" = 1 ] || continue
	p2p_bar=$(pci_p2pmem_bar "$(basename "$d")") && break
done
bar=$(conf BAR)
rc=0
for mode in $(conf MODES); do
	args="target=$dev size=$(conf SIZE) threads=1 secs=$(conf SECONDS)"
	case $mode in
	sg|p2p-pgmap) args="$args nents=$(conf NENTS)" ;;
	phys-mmio|resource) args="$args bardev=${bar%%:*} bar=${bar#*:}" ;;
	esac
	case $mode in
	p2p-*)	[ -n "$p2p_bar" ] || { echo "perf-profile: $mode: no p2pmem provider here, left out"; continue; } ;;
	esac
	[ "$mode" = p2p-provider ] && args="$args bardev=p2pmem bar=$p2p_bar"
	if [ $hw = 1 ]; then
		# shellcheck disable=SC2086
		"$PERF" stat -x, -a -e cycles,instructions,task-clock -o "$OUT/$mode.stat" \
			"$SMOKE" run "$mode" $args >/dev/null 2>&1 ||
			{ echo "perf-profile: perf stat $mode failed"; rc=1; }
	fi
	# shellcheck disable=SC2086
	"$PERF" record -q -a -g -e cpu-clock -F "$(conf FREQ)" -o "$OUT/$mode.data" \
		"$SMOKE" run "$mode" $args > "$OUT/$mode.run" 2>&1
	prc=$?
	rm -f "$OUT/$mode.paths"
	case $prc in
	0)	"$PERF" script -i "$OUT/$mode.data" -F comm,ip,sym,dso 2>/dev/null |
			split_paths "$(conf TOP)" "$OUT/$mode.paths" > "$OUT/$mode.tsv"
		if [ -s "$OUT/$mode.tsv" ]; then
			echo "perf-profile: $mode: $(tr '\t' ' ' < "$OUT/$mode.paths" | tr '\n' ';')"
		else
			echo "perf-profile: $mode: no samples of the module's threads"
			rc=1
		fi ;;
	3)	echo "perf-profile: $mode: unsupported by this kernel, left out" ;;
	*)	# MMIO is never bounced: with bouncing forced the kernel refuses
		# it with EREMOTEIO, as the matrix records for the same modes.
		if grep -q 'swiotlb=force' /proc/cmdline &&
		   grep -q 'Remote I/O error' "$OUT/$mode.run"; then
			echo "perf-profile: $mode: refused under swiotlb=force (MMIO is never bounced), left out"
		else
			echo "perf-profile: $mode failed (exit $prc)"; cat "$OUT/$mode.run"; rc=1
		fi ;;
	esac
	rm -f "$OUT/$mode.data"
done
pci_unbind "$dev"
rmmod dmabench || rc=1
exit $rc
