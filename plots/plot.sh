#!/bin/sh
# plot.sh RUN [OUTDIR]: draw every figure of a results directory (scripts/
# bench.sh layout: RUN/<tree>/<boot>/<config>/*.json) as PNG and SVG.
#
#   latency-size     per tree, boot and kmod config: p50 and p99 against size
#   latency-cdf      the same, the distribution of samples at 4 KiB
#   latency-threads  the same, p50 and p99 against threads at 4 KiB
#   ab-change        per boot and config: patched vs base %change with CIs
#   bandwidth        per tree, boot and workloads config: GB/s per workload
#                    cell, one bar per buffer (host memory, p2pmem, ...)
#
# The data files come from `dmabench export --plot` and stay in
# OUTDIR/data/. OUTDIR (default RUN/plots) also gets index.tsv: one line
# per figure, "figure<TAB>file stem<TAB>caption", and per figure that
# could not be drawn "skip<TAB>what<TAB>reason". Every label is taken from
# the results: the platform line reads "emulated (QEMU TCG ...)", adds
# "instruction cost (icount ...)" for icount boots, or reads "host: <cpu>".
#
# Exit status: 0 done (some figures may be skipped, with their reason),
# 1 gnuplot failed, 2 bad input (no such directory, no results, no tools).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
PLOTS=$TOP/plots
DMABENCH=${DMABENCH:-$TOP/bench/build/bin/dmabench}

bad() {
	printf 'plot.sh: %s\n' "$*" >&2
	exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || bad "usage: plots/plot.sh results/<timestamp> [OUTDIR]"
RUN=${1%/}
[ -d "$RUN" ] || bad "no results directory '$RUN'"
OUT=${2:-$RUN/plots}
command -v gnuplot >/dev/null 2>&1 || bad "gnuplot not found: run 'make deps' (gnuplot-nox)"
[ -x "$DMABENCH" ] || bad "$DMABENCH not built: run 'make -C bench'"
# every directory with a summary.json holds one config's cells of one boot
# Benchmark matrices leave a summary.json; the fio/RDMA workloads leave only
# their cell files, in <tree>/<boot>/workloads/.
dirs=$(cd "$RUN" && { find -L . -name summary.json; find -L . -path '*/workloads/*.json' ! -path '*/workloads/raw/*'; } |
	sed 's#^\./##; s#/[^/]*\.json$##' | LC_ALL=C sort -u)
[ -n "$dirs" ] || bad "$RUN holds no benchmark results (no <tree>/<boot>/<config>/summary.json)"
mkdir -p "$OUT/data" || bad "cannot create $OUT/data"
index=$OUT/index.tsv
: >"$index"
status=0

# gp_str TEXT: TEXT as a gnuplot single-quoted string
gp_str() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}

# env_of DIR KEY: one env value of the first cell file of DIR (empty if null)
env_of() {
	_f=$(ls "$RUN/$1"/*.json 2>/dev/null | grep -v '/summary\.json$' | head -n 1)
	[ -n "$_f" ] || return 0
	sed -n "s/^    \"$2\": \"\(.*\)\",\{0,1\}\$/\1/p" "$_f" | head -n 1 | sed 's/\\"/"/g'
}

# platform_label DIR: where the numbers come from, for every figure
platform_label() {
	_p=$(env_of "$1" platform)
	_i=$(env_of "$1" icount)
	case $_p in
	qemu-tcg)
		_l="emulated (QEMU TCG, $(env_of "$1" accel))"
		[ -n "$_i" ] && [ "$_i" != off ] && _l="$_l, instruction cost (icount $_i)"
		;;
	host) _l="host: $(env_of "$1" cpu)" ;;
	*) _l="platform ${_p:-unknown}: $(env_of "$1" cpu)" ;;
	esac
	printf '%s; kernel %s, %s' "$_l" "$(env_of "$1" kernel)" "$(basename "$RUN")/$1"
}

# describe DIR: "patched kernel, IOMMU strict, boot strict-icount, kmod-default"
describe() {
	_sw=""
	[ "$(sed -n 's/^    "swiotlb_force": \(true\),\{0,1\}$/\1/p' \
		"$(ls "$RUN/$1"/*.json | grep -v '/summary\.json$' | head -n 1)")" = true ] &&
		_sw=" + swiotlb=force"
	printf '%s kernel, IOMMU %s%s, boot %s, %s' "$(env_of "$1" tree)" \
		"$(env_of "$1" iommu_mode)" "$_sw" "$(echo "$1" | cut -d/ -f2)" "$(basename "$1")"
}

# draw SCRIPT STEM CAPTION VARS...: PNG and SVG of one figure
draw() {
	_script=$1 _stem=$2 _cap=$3
	shift 3
	for _fmt in png svg; do
		if ! gnuplot -e "dir=$(gp_str "$PLOTS"); fmt='$_fmt'; out=$(gp_str "$OUT/$_stem"); $*" \
			"$PLOTS/$_script" 2>"$OUT/data/$_stem.gnuplot.log"; then
			printf 'plot.sh: gnuplot failed on %s (%s):\n' "$_stem" "$_fmt" >&2
			cat "$OUT/data/$_stem.gnuplot.log" >&2
			status=1
			return 1
		fi
	done
	printf 'figure\t%s\t%s\n' "$_stem" "$_cap" >>"$index"
}

skip() {
	printf 'skip\t%s\t%s\n' "$1" "$2" >>"$index"
	printf 'plot.sh: skipped %s: %s\n' "$1" "$2" >&2
}

# export_to KIND FILE ARGS...: gnuplot data; 0 drawn, 1 no data (reason in FILE.why)
export_to() {
	_kind=$1 _file=$2
	shift 2
	"$DMABENCH" export --plot "$_kind" "$@" >"$_file" 2>"$_file.why"
	case $? in
	0) return 0 ;;
	1) return 1 ;;
	*) cat "$_file.why" >&2; bad "dmabench export --plot $_kind $* failed" ;;
	esac
}

metric=map+unmap
bwfigs=0
for d in $dirs; do
	tag=$(echo "$d" | tr '/' '-')
	label=$(platform_label "$d")
	what=$(describe "$d")
	# Bandwidth (the workloads' results): grouped bars, one bar per buffer.
	f=$OUT/data/$tag-bandwidth.dat
	if export_to bars "$f" "$RUN/$d"; then
		head1=$(head -n 1 "$f")
		unit=$(echo "$head1" | cut -d'"' -f2)
		better=$(echo "$head1" | cut -d'"' -f4)
		ng=$(($(sed -n '1,/^$/p' "$f" | grep -c '^[0-9]')))
		ns=$(($(grep -c '^"' "$f") - 1))
		w=$((600 + ng * (40 + ns * 25)))
		[ "$w" -le 2400 ] || w=2400
		draw bandwidth.gp "$tag-bandwidth" \
			"Bandwidth per workload, host memory vs P2P buffers: $what" \
			"data=$(gp_str "$f"); label=$(gp_str "$label"); metric='bw'; unit=$(gp_str "$unit"); better=$(gp_str "$better"); ng=$ng; ns=$ns; w=$w; h=760; title=$(gp_str "Bandwidth per workload and buffer: $what")" &&
			bwfigs=$((bwfigs + 1))
	fi
	# Workloads measure bandwidth, not map+unmap latency.
	case $d in */workloads) continue ;; esac
	common="data=$(gp_str "$OUT/data/$tag-size.dat"); label=$(gp_str "$label"); metric='$metric'"
	if ! export_to size "$OUT/data/$tag-size.dat" "$RUN/$d"; then
		skip "$tag latency figures" "$(sed 's/^dmabench: //' "$OUT/data/$tag-size.dat.why")"
		continue
	fi
	if ! grep -q '^[0-9]' "$OUT/data/$tag-size.dat"; then
		skip "$tag latency figures" "no cell measured $metric"
		continue
	fi
	if grep -q '^?\|^[0-9]* ?' "$OUT/data/$tag-size.dat" &&
	   ! grep -q '^[0-9]* [0-9]' "$OUT/data/$tag-size.dat"; then
		skip "$tag latency figures" "its engine reports no per-operation percentiles (inkernel: mean and stddev only; see the tables)"
		continue
	fi
	n=$(grep -c '^"' "$OUT/data/$tag-size.dat")
	rows=$(grep -c '^[0-9]' "$OUT/data/$tag-size.dat")
	if [ "$rows" -gt "$n" ]; then
		draw latency-size.gp "$tag-latency-size" \
			"Latency against size, p50 with a band to p99: $what" \
			"$common; n=$n; title=$(gp_str "$metric latency against size: $what")"
	else
		skip "$tag-latency-size" "one size per mode only: nothing to draw against size"
	fi

	f=$OUT/data/$tag-cdf-4K.dat
	if export_to cdf "$f" --size 4K "$RUN/$d"; then
		draw latency-cdf.gp "$tag-latency-cdf-4K" \
			"Distribution of $metric samples at 4 KiB, 1 thread: $what" \
			"data=$(gp_str "$f"); label=$(gp_str "$label"); metric='$metric'; size='4 KiB'; n=$(grep -c '^"' "$f"); title=$(gp_str "$metric samples at 4 KiB, 1 thread: $what")"
	else
		skip "$tag-latency-cdf-4K" "$(sed 's/^dmabench: //' "$f.why")"
	fi

	f=$OUT/data/$tag-threads-4K.dat
	if export_to threads "$f" --size 4K "$RUN/$d" &&
	   [ "$(grep -c '^[0-9]' "$f")" -gt "$(grep -c '^"' "$f")" ]; then
		draw latency-threads.gp "$tag-latency-threads-4K" \
			"Latency against threads at 4 KiB, p50 with a bar to p99: $what" \
			"data=$(gp_str "$f"); label=$(gp_str "$label"); metric='$metric'; size='4 KiB'; n=$(grep -c '^"' "$f"); title=$(gp_str "$metric latency against threads at 4 KiB: $what")"
	else
		skip "$tag-latency-threads-4K" "one thread count per mode only (or none at 4K)"
	fi
done

# A/B: every boot and config that both kernels ran.
for d in $(echo "$dirs" | sed -n 's#^base/##p'); do
	[ -d "$RUN/patched/$d" ] || continue
	# The workloads' A/B (bw, iops) is in the report's tables, not drawn.
	case $d in */workloads) continue ;; esac
	tag=$(echo "$d" | tr '/' '-')
	f=$OUT/data/ab-$tag.dat
	if ! export_to ab "$f" "$RUN/base/$d" "$RUN/patched/$d"; then
		skip "ab-$tag" "$(sed 's/^dmabench: //' "$f.why")"
		continue
	fi
	rows=$(($(wc -l <"$f") - 1))
	h=$((200 + rows * 22))
	[ "$h" -ge 420 ] || h=420
	boot=${d%%/*}
	draw ab-change.gp "ab-$tag" \
		"Patched against base, %change of the mean with 95% CI: boot $boot, $(basename "$d")" \
		"data=$(gp_str "$f"); label=$(gp_str "$(platform_label "patched/$d")"); metric='$metric'; rows=$rows; h=$h; title=$(gp_str "Patched vs base, $metric: IOMMU $(env_of "patched/$d" iommu_mode), boot $boot, $(basename "$d")")"
done

[ "$bwfigs" -gt 0 ] ||
	skip "bandwidth per workload (host memory vs P2P)" "no result in this run has a bw metric: the fio/RDMA workloads did not run"
skip "per-patch cost along the series" "needs a bisect benchmark run (make bench-bisect), which does not exist yet"

printf 'plot.sh: %s figures in %s (PNG and SVG), %s skipped; list in %s\n' \
	"$(grep -c '^figure' "$index")" "$OUT" "$(grep -c '^skip' "$index")" "$index" >&2
exit "$status"
