#!/bin/sh
# cover-letter-table.sh RUN [BOOT/CONFIG]: a compact base-vs-patched table,
# at most 72 columns, for linux-patches/0000-cover-letter.patch.
#
# Without BOOT/CONFIG it takes strict-icount/kmod-default, else an icount
# boot (instruction cost: the deterministic A/B figure, DESIGN.md section 3)
# and its kmod config, else the first boot and config both kernels ran. Every number comes from the
# cell files through `dmabench export --table ab`.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
DMABENCH=${DMABENCH:-$TOP/bench/build/bin/dmabench}

bad() {
	printf 'cover-letter-table.sh: %s\n' "$*" >&2
	exit 2
}

[ $# -ge 1 ] && [ $# -le 2 ] || bad "usage: make cover-letter-table RUN=results/<timestamp> [PAIR=<boot>/<config>]"
RUN=${1%/}
[ -d "$RUN" ] || bad "no results directory '$RUN'"
RUN=$(cd "$RUN" && pwd)
[ -x "$DMABENCH" ] || bad "$DMABENCH not built: run 'make -C bench'"
pairs=$(cd "$RUN" && find -L base -name summary.json 2>/dev/null |
	sed 's#^base/##; s#/summary.json$##' | LC_ALL=C sort |
	while read -r p; do [ -d "$RUN/patched/$p" ] && echo "$p"; done)
[ -n "$pairs" ] || bad "$RUN has no boot and config that both kernels ran (base/ and patched/)"
if [ $# -eq 2 ]; then
	pair=$2
	echo "$pairs" | grep -q -x -F "$pair" || bad "$RUN has no base and patched results for '$pair' (have: $(echo $pairs))"
else
	pair=$(echo "$pairs" | grep -x 'strict-icount/kmod-default' | head -n 1)
	[ -n "$pair" ] || pair=$(echo "$pairs" | grep -- '-icount/kmod' | head -n 1)
	[ -n "$pair" ] || pair=$(echo "$pairs" | grep '/kmod' | head -n 1)
	[ -n "$pair" ] || pair=$(echo "$pairs" | head -n 1)
fi

# jenv TREE KEY: one env value of the first cell file (JSON; null -> empty)
jenv() {
	_f=$(ls "$RUN/$1/$pair"/*.json | grep -v '/summary\.json$' | head -n 1)
	sed -n -e "s/^    \"$2\": \"\(.*\)\",\{0,1\}\$/\1/p" \
		-e "s/^    \"$2\": \([0-9][0-9]*\),\{0,1\}\$/\1/p" "$_f" | head -n 1
}

table=$("$DMABENCH" export --table ab "$RUN/base/$pair" "$RUN/patched/$pair") ||
	bad "no cell to compare in $pair"
patches=$(jenv patched series_patches)
echo "Cost of one dma map + unmap in ns, base $(jenv base kernel) vs patched"
echo "(${patches:-?} patches), IOMMU $(jenv patched iommu_mode), 1 thread; lower is better."
if [ "$(jenv patched platform)" = qemu-tcg ]; then
	ic=$(jenv patched icount)
	if [ -n "$ic" ] && [ "$ic" != off ]; then
		echo "QEMU TCG with -icount $ic: guest time counts instructions,"
		echo "so this is instruction cost, not hardware time."
	else
		echo "Emulated (QEMU TCG): compare rows as ratios, not hardware time."
	fi
else
	echo "Host: $(jenv patched cpu)"
fi
echo
echo "$table"
echo "sig: * p < 0.05, ** p < 0.01 (Welch's t-test on the run means);"
echo "95% CI of the %change."
echo "Data: $(basename "$RUN")/{base,patched}/$pair"
