#!/bin/sh
# report.sh RUN: regenerate RUN/REPORT.md, and the top-level REPORT.md,
# from the raw results in RUN alone (offline: no kernel, no guest needed).
#
# RUN layout (scripts/bench.sh): command, <tree>/<boot>/{env,<config>/*.json},
# or host/<kernel>/... for host mode. Every number in the report comes from
# the cell files through bench/build/bin/dmabench (compare and export); the
# figures come from plots/plot.sh and go to RUN/plots/, and the ones shown
# inline are copied to plots/out/ for the top-level REPORT.md. Nothing in the
# report depends on when it was generated: running it again on the same
# results gives the same bytes.
#
#   REPORT_THRESHOLD  the regression verdict's threshold in percent (default 5):
#                     a cell fails when it is significantly slower by more
#   REPORT_TOP=0      write RUN/REPORT.md only, not REPORT.md and plots/out/
#                     (the unit tests)
set -u
. "$(dirname "$0")/lib.sh"
# The same bytes on every machine: C sorting and decimal points.
LC_ALL=C
export LC_ALL

bad() {
	printf 'report.sh: %s\n' "$*" >&2
	exit 2
}

[ $# -eq 1 ] || bad "usage: make report RUN=results/<timestamp>"
RUN=${1%/}
[ -d "$RUN" ] || bad "no results directory '$RUN'"
RUN=$(cd "$RUN" && pwd)
R=results/$(basename "$RUN")
T=${REPORT_THRESHOLD:-5}
case $T in
''|*[!0-9.]*|*.*.*) bad "REPORT_THRESHOLD=$T: want a percentage, e.g. 5" ;;
esac
DMABENCH=${DMABENCH:-$TOP/bench/build/bin/dmabench}
if [ -z "${DMABENCH_PREBUILT:-}" ]; then
	make -s -C "$TOP/bench" >&2 || bad "building bench/ failed"
fi
[ -x "$DMABENCH" ] || bad "$DMABENCH missing"

# Benchmark matrices leave a summary.json; the fio/RDMA workloads leave only
# their cell files, in <tree>/<boot>/workloads/ (plots/plot.sh does the same).
cells=$(cd "$RUN" && { find -L . -name summary.json; find -L . -path '*/workloads/*.json' ! -path '*/workloads/raw/*'; } |
	sed 's#^\./##; s#/[^/]*\.json$##' | LC_ALL=C sort -u)
[ -n "$cells" ] || bad "$RUN holds no benchmark results (no <tree>/<boot>/<config>/summary.json)"
boots=$(echo "$cells" | sed 's#/[^/]*$##' | LC_ALL=C sort -u)
# boot/config pairs that both kernels ran: the A/B comparisons
pairs=""
for c in $(echo "$cells" | sed -n 's#^base/##p'); do
	[ -d "$RUN/patched/$c" ] && pairs="$pairs $c"
done
# The boot whose figures the report shows first: strict-icount (instruction
# cost, deterministic), else the first icount boot.
vboot=$(echo "$pairs" | tr ' ' '\n' | grep '^strict-icount/' | head -n 1 | sed 's#/.*##')
[ -n "$vboot" ] || vboot=$(echo "$pairs" | tr ' ' '\n' | grep -- '-icount/' | head -n 1 | sed 's#/.*##')

tmp=$(mktemp -d /tmp/report.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The figures first: the report shows them.
DMABENCH=$DMABENCH sh "$TOP/plots/plot.sh" "$RUN" "$RUN/plots" 2>"$tmp/plot.log"
pst=$?
[ "$pst" -eq 2 ] && { cat "$tmp/plot.log" >&2; bad "plots/plot.sh refused $RUN"; }
[ "$pst" -eq 0 ] || log report "WARNING: some figures failed (see above); the report lists what exists"
[ "$pst" -eq 0 ] || cat "$tmp/plot.log" >&2

# env_get FILE KEY: one value from a key=value env file.
env_get() { sed -n "s/^$2=//p" "$1" | tail -n 1; }
# jenv DIR KEY: one env value from the first cell file of DIR (JSON, null -> empty)
jenv() {
	_f=$(ls "$RUN/$1"/*.json 2>/dev/null | grep -v '/summary\.json$' | head -n 1)
	[ -n "$_f" ] || return 0
	sed -n "s/^    \"$2\": \"\(.*\)\",\{0,1\}\$/\1/p" "$_f" | head -n 1 | sed 's/\\"/"/g'
}
# jtrue DIR KEY: whether an env value of the first cell file of DIR is true
jtrue() {
	_f=$(ls "$RUN/$1"/*.json 2>/dev/null | grep -v '/summary\.json$' | head -n 1)
	[ -n "$_f" ] && grep -q "^    \"$2\": true" "$_f"
}
# pct X: "+1.2%", or "?" for a value the export does not know
pct() {
	case $1 in
	'?'|'') printf '?' ;;
	*) printf '%+.1f%%' "$1" ;;
	esac
}

# ab_line PAIR: one summary line of base vs patched from `export --plot ab`
ab_line() {
	_f=$tmp/ab-$(echo "$1" | tr '/' '-').dat
	if ! "$DMABENCH" export --plot ab "$RUN/base/$1" "$RUN/patched/$1" >"$_f" 2>"$_f.err"; then
		echo "no map+unmap latency measured on both kernels; the full A/B tables below have its other metrics (bandwidth: higher is better)"
		return
	fi
	_n=$(($(wc -l <"$_f") - 1))
	# columns: index cell pct ci_lo ci_hi p sig; sig 1 or 2 is p < 0.05
	_slow=$(awk_free_count "$_f" slow)
	_fast=$(awk_free_count "$_f" fast)
	printf '%s cells: %s slower and %s faster at p < 0.05 per cell (unadjusted), %s without a significant change' \
		"$_n" "$_slow" "$_fast" "$((_n - _slow - _fast))"
	# the extremes, by %change (95% CI in brackets)
	_lo=$(sed 1d "$_f" | tr -d '"' | sort -g -k3 | head -n 1)
	_hi=$(sed 1d "$_f" | tr -d '"' | sort -g -k3 | tail -n 1)
	set -- $_lo
	printf '; changes range from %s %s [%s, %s]' "$(pct "$3")" "$2" "$(pct "$4")" "$(pct "$5")"
	set -- $_hi
	printf ' to %s %s [%s, %s]' "$(pct "$3")" "$2" "$(pct "$4")" "$(pct "$5")"
}

# awk_free_count FILE slow|fast: rows with sig >= 1 and a positive (slow) or
# negative (fast) %change, counted with sh alone
awk_free_count() {
	_c=0
	while read -r _i _cell _pct _lo _hi _p _sig; do
		[ "$_i" = index ] && continue
		[ "$_sig" -ge 1 ] 2>/dev/null || continue
		case $_pct in
		-*) [ "$2" = fast ] && _c=$((_c + 1)) ;;
		*) [ "$2" = slow ] && _c=$((_c + 1)) ;;
		esac
	done <"$1"
	echo "$_c"
}

# verdict PAIR: PASS or FAIL of `dmabench compare --threshold T`
verdict() {
	"$DMABENCH" compare --threshold "$T" "$RUN/base/$1" "$RUN/patched/$1" >"$tmp/v.txt" 2>/dev/null
	case $? in
	0) echo "PASS: no cell is significantly slower by more than $T%" ;;
	1) echo "FAIL: $(tail -n 1 "$tmp/v.txt")" ;;
	*) echo "not judged: compare refused the results" ;;
	esac
}

# figure STEM PREFIX: an inline image if plot.sh drew it
figure() {
	_cap=$(sed -n "s/^figure	$1	//p" "$RUN/plots/index.tsv" 2>/dev/null | head -n 1)
	[ -n "$_cap" ] || return 0
	printf '![%s](%s%s.png)\n\n' "$_cap" "$2" "$1"
	echo "$1" >>"$tmp/inline"
}

# body PREFIX: the report, with figure paths under PREFIX
body() {
	: >"$tmp/inline"
	echo "# DMA mapping benchmark report"
	echo
	echo "Generated by \`make report RUN=$R\` from the raw results in \`$R/\`"
	echo "alone (results/ is git-ignored, except the run behind the committed REPORT.md:"
	echo "its cell JSON, env and compare files are in git, its console logs are not)."
	echo "The run itself was:"
	echo
	echo "    $(cat "$RUN/command" 2>/dev/null || echo "(unknown: $R/command is missing)")"
	echo

	echo "## Verdict"
	echo
	# icount boots first: instruction cost is the A/B regression figure
	for p in $pairs; do
		case ${p%%/*} in *-icount) ;; *) continue ;; esac
		echo "- **Regression check, \`$p\` (instruction cost, icount): $(verdict "$p")**"
		echo "  (\`dmabench compare --threshold $T\`)."
		echo "- \`$p\`: $(ab_line "$p")."
	done
	for p in $pairs; do
		case ${p%%/*} in *-icount) continue ;; esac
		echo "- \`$p\`: $(ab_line "$p"); threshold $T%: $(verdict "$p" | sed 's/:.*//')."
	done
	[ -n "$pairs" ] || echo "- No boot ran both kernels: there is no A/B comparison in this run."
	echo
	echo "Lower is better for every latency figure. The per-cell counts use Welch's"
	echo "t-test on the per-run means at p < 0.05, unadjusted: with dozens of cells a"
	echo "few cross that line by chance. The bracket is the 95% confidence interval of"
	echo "the %change. The regression check (\`dmabench compare --threshold\`) fails"
	echo "only on a cell that is worse by more than the threshold with a Holm-adjusted"
	echo "p < 0.05 over all mean comparisons of that boot and config. The runs of a"
	echo "cell come from one boot per kernel, so a difference between boots (memory"
	echo "layout, host load) counts as a difference between kernels. Timings without"
	echo "icount are emulated QEMU TCG times: compare them as ratios within one boot,"
	echo "never as hardware costs."
	echo

	echo "## Environment"
	echo
	echo "| boot | kernel | base | series (patches) | config | IOMMU | platform |"
	echo "|---|---|---|---|---|---|---|"
	for b in $boots; do
		e=$RUN/$b/env
		[ -f "$e" ] || continue
		plat=$(env_get "$e" platform)
		[ "$plat" = qemu-tcg ] && plat="emulated: QEMU TCG ($(env_get "$e" accel), icount $(env_get "$e" icount))"
		printf '| %s | %s | %s | %s (%s) | %s | %s%s | %s |\n' "$b" \
			"$(env_get "$e" kernelrelease)" "$(env_get "$e" base_version)" \
			"$(env_get "$e" series_hash)" "$(env_get "$e" series_patches)" \
			"$(env_get "$e" config_hash)" "$(env_get "$e" iommu_mode)" \
			"$([ "$(env_get "$e" swiotlb_force)" = 1 ] && echo ', swiotlb=force')" "$plat"
	done
	echo
	first=$(echo "$cells" | head -n 1)
	fb=$(echo "$boots" | head -n 1)
	[ -f "$RUN/$fb/env" ] && echo "- QEMU: $(env_get "$RUN/$fb/env" qemu)"
	echo "- CPU (as the guest reports it): $(jenv "$first" cpu)"
	[ -f "$RUN/$fb/env" ] && echo "- dmabench commit: $(env_get "$RUN/$fb/env" dmabench_commit)"
	[ -f "$RUN/patched/$(echo "$boots" | sed -n 's#^patched/##p' | head -n 1)/env" ] &&
		echo "- series head: $(env_get "$RUN/patched/$(echo "$boots" | sed -n 's#^patched/##p' | head -n 1)/env" series_head)"
	echo "- kernel command line per boot:"
	for b in $boots; do
		c=$(echo "$cells" | grep "^$b/" | head -n 1)
		echo "  - \`$b\`: \`$(jenv "$c" cmdline)\`"
	done
	echo "- cells per boot and config (unsupported: the kernel or module cannot run the mode):"
	for c in $cells; do
		n=$(ls "$RUN/$c" | grep -v '^summary\.json$' | grep -c '\.json$' || true)
		u=$(grep -l '"status": "unsupported"' "$RUN/$c"/*.json 2>/dev/null | wc -l)
		echo "  - \`$c\`: $n cells, $u unsupported"
	done
	echo

	echo "## Figures"
	echo
	echo "Drawn by \`sh plots/plot.sh $R\` (gnuplot) into \`$R/plots/\`, PNG and SVG;"
	echo "their data files are in \`$R/plots/data/\`."
	echo
	for p in $pairs; do
		figure "ab-$(echo "$p" | tr '/' '-')" "$1"
	done
	for b in ${vboot:+patched/$vboot} patched/strict; do
		for c in $(echo "$cells" | grep "^$b/"); do
			t=$(echo "$c" | tr '/' '-')
			figure "$t-latency-size" "$1"
			figure "$t-latency-cdf-4K" "$1"
			figure "$t-latency-threads-4K" "$1"
		done
	done
	for f in $(sed -n 's/^figure	\([^	]*-bandwidth\)	.*/\1/p' "$RUN/plots/index.tsv" 2>/dev/null); do
		figure "$f" "$1"
	done
	others=$(sed -n 's/^figure	\([^	]*\)	.*/\1/p' "$RUN/plots/index.tsv" 2>/dev/null | grep -v -x -F -f "$tmp/inline")
	if [ -n "$others" ]; then
		echo "Further figures in \`$R/plots/\`:"
		echo
		for f in $others; do echo "- \`$f\`"; done
		echo
	fi
	if grep -q '^skip' "$RUN/plots/index.tsv" 2>/dev/null; then
		echo "Not drawn:"
		echo
		sed -n 's/^skip	\([^	]*\)	\(.*\)/- \1: \2/p' "$RUN/plots/index.tsv"
		echo
	fi

	echo "## phys vs page vs sg, per IOMMU mode"
	echo
	echo "Mean ns per map+unmap of the patched kernel, one thread count and size per row;"
	echo "in brackets the ratio to \`page\` (dma_map_page) in the same row. Lower is better."
	echo "Compare within a row: each boot is its own emulated machine."
	echo
	for c in $cells; do
		case $c in patched/*) ;; *) continue ;; esac
		"$DMABENCH" export --table modes "$RUN/$c" >"$tmp/modes.md" 2>/dev/null || continue
		grep -q ' page |' "$tmp/modes.md" || continue
		echo "### \`$c\` (IOMMU $(jenv "$c" iommu_mode)$(jtrue "$c" swiotlb_force && echo ", swiotlb=force")$([ "$(jenv "$c" icount)" = off ] || echo ", icount"))"
		echo
		cat "$tmp/modes.md"
		echo
		echo "Reproduce: \`bench/build/bin/dmabench export --table modes $R/$c\`"
		echo
	done

	echo "## P2P"
	echo
	echo "The P2P mapping modes, base against patched (map+unmap, 1 thread;"
	echo "p2p-pgmap is the 6.12 struct-page path, p2p-provider the series' provider)."
	echo
	any=0
	for p in $pairs; do
		"$DMABENCH" export --table ab "$RUN/base/$p" "$RUN/patched/$p" >"$tmp/ab.txt" 2>/dev/null || continue
		grep -q '^p2p' "$tmp/ab.txt" || continue
		any=1
		echo "\`$p\`:"
		echo
		echo '```'
		head -n 1 "$tmp/ab.txt"
		grep '^p2p' "$tmp/ab.txt"
		tail -n 1 "$tmp/ab.txt"
		echo '```'
		echo
	done
	[ "$any" = 1 ] || echo "No P2P cell was measured on both kernels in this run."
	[ "$any" = 1 ] || echo
	# The series' provider path against the struct-page path, patched kernel only
	# (the base kernel has no provider): mean ns per map+unmap.
	for c in $cells; do
		case $c in patched/*) ;; *) continue ;; esac
		"$DMABENCH" export --table modes "$RUN/$c" >"$tmp/p2p.md" 2>/dev/null || continue
		grep -q 'p2p-provider' "$tmp/p2p.md" || continue
		echo "p2p-provider against p2p-pgmap on the patched kernel, \`$c\` (mean ns per"
		echo "map+unmap, lower is better; \`dmabench export --table modes $R/$c\`):"
		echo
		cat "$tmp/p2p.md"
		echo
	done
	echo "P2P bandwidth (fio into host memory vs into a CMB p2pmem buffer, RDMA):"
	if grep -q '^skip	bandwidth.*did not run' "$RUN/plots/index.tsv" 2>/dev/null; then
		echo "not in this run: no result has a higher-is-better metric (GB/s, IOPS), so the"
		echo "fio/RDMA workloads did not run here."
	else
		echo "the bandwidth figures above (one per kernel and boot, a bar per buffer) and"
		echo "the workloads' rows of the full A/B tables below (bw in GB/s, iops; higher"
		echo "is better)."
	fi
	echo

	# make bench PERF=1: where each mode's time goes, per function.
	perfdirs=$(cd "$RUN" && find . -path '*/perf/*.tsv' | sed 's#^\./##; s#/perf/[^/]*$##' | sort -u)
	if [ -n "$perfdirs" ]; then
		echo "## Per-function cost (perf)"
		echo
		echo "One cell per mode under \`perf record -a -g -e cpu-clock\`"
		echo "(bench/configs/perf.conf): the samples with a frame of the module, split"
		echo "into the map and the unmap path by the mode function on their call chain"
		echo "(other: the timing loop and setup). Per path its share of the samples, then"
		echo "its top leaf functions with their share of that path. Sampled under"
		echo "emulation these are shares of emulated time, not of cycles."
		echo
		for d in $perfdirs; do
			echo "### \`$d\`"
			echo
			for t in "$RUN/$d"/perf/*.tsv; do
				mode=$(basename "$t" .tsv)
				echo "\`$mode\`: $(awk -F '\t' '{ printf "%s%s %.0f%% (%d samples)", (NR > 1 ? ", " : ""), $1, 100 * $3, $2 }' "$RUN/$d/perf/$mode.paths")"
				echo
				echo "| path | function | share of path | samples |"
				echo "|---|---|---:|---:|"
				awk -F '\t' '$1 != "other" { printf "| %s | `%s` | %.1f%% | %d |\n", $1, $2, 100 * $4, $3 }' "$t"
				echo
				[ -f "$RUN/$d/perf/$mode.stat" ] && {
					echo "perf stat (whole system during the cell): $(grep -v '^#' "$RUN/$d/perf/$mode.stat" | awk -F, 'NF > 2 { printf "%s%s %s", (n++ ? ", " : ""), $3, $1 }')"
					echo
				}
			done
		done
		echo "Reproduce: \`make bench PERF=1\` (per mode, in the guest:"
		echo "\`bench/vm/guest/perf-profile.sh bench/configs/perf.conf\`)."
		echo
	fi

	echo "## Cover-letter table"
	echo
	echo '```'
	sh "$TOP/scripts/cover-letter-table.sh" "$RUN" 2>&1
	echo '```'
	echo

	echo "## Full A/B tables"
	echo
	echo "\`dmabench compare\` of every boot and config both kernels ran: the run means"
	echo "(base ±stddev%, %change, patched ±stddev%, significance, runs per side, 95%"
	echo "CI), then the p50 and p99 tables where the engine has percentiles."
	echo
	for p in $pairs; do
		boot=${p%/*}
		config=${p#*/}
		echo "### Base vs patched: \`$config\`, \`$boot\` boot"
		echo
		echo "Reproduce: \`bench/build/bin/dmabench compare $R/base/$p $R/patched/$p\`"
		echo
		echo '```'
		"$DMABENCH" compare "$RUN/base/$p" "$RUN/patched/$p" 2>&1 | sed "s#$RUN/#$R/#g"
		echo '```'
		echo
	done

	echo "## Reproduce"
	echo
	echo "    $(cat "$RUN/command" 2>/dev/null || echo "make bench")   # the run: writes a new results/<timestamp>/"
	echo "    make report RUN=$R   # this file, the figures, every table"
	echo "    make cover-letter-table RUN=$R"
	echo "    sh plots/plot.sh $R   # the figures alone"
	echo "    bench/build/bin/dmabench export --csv $R/<tree>/<boot>/<config>   # flat CSV"
	echo "    bench/build/bin/dmabench export --kcidb $R/<tree>/<boot>/<config>   # KCIDB rows"
	if [ -n "$vboot" ]; then
		for p in $pairs; do
			case ${p%%/*} in *-icount) ;; *) continue ;; esac
			echo "    bench/build/bin/dmabench compare --threshold $T $R/base/$p $R/patched/$p   # a verdict"
		done
	fi
}

body plots/ >"$tmp/run.md" || exit 1
mv "$tmp/run.md" "$RUN/REPORT.md"
if [ "${REPORT_TOP:-1}" = 0 ]; then
	log report "wrote $RUN/REPORT.md ($(wc -l <"$tmp/inline") figures inline)"
	exit 0
fi
body plots/out/ >"$tmp/top.md" || exit 1
# The figures the top-level report shows, next to it (plots/out/ is the
# committed copy of the reference run's figures; the SVGs stay in RUN/plots/).
rm -rf "$TOP/plots/out"
mkdir -p "$TOP/plots/out"
while read -r f; do
	cp "$RUN/plots/$f.png" "$TOP/plots/out/"
done <"$tmp/inline"
mv "$tmp/top.md" "$TOP/REPORT.md"
log report "wrote $RUN/REPORT.md and REPORT.md ($(wc -l <"$tmp/inline") figures inline, in plots/out/)"
