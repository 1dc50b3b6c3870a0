#!/bin/sh
# The per-patch report of make bench-bisect, from stored module results:
# base at point 00, a patched point 01 where phys appears. The tables
# hold both points with the %change the fixtures give, phys is measured
# against base page, the figures are drawn, and bad input exits 2.
T=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$T/bench/tests/data
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
make -s -C "$T/bench" >/dev/null || exit 1
for p in 00:kmod-base 01:kmod-patched; do
	mkdir -p "$d/run/${p%%:*}/strict-icount"
	cp -r "$DATA/${p#*:}" "$d/run/${p%%:*}/strict-icount/bisect"
	printf 'series_patches=%s\nseries_head=abc\nseries_subject=dma-mapping: a patch\naccel=tcg\nicount=shift=0\niommu_mode=strict\nqemu=QEMU 7.2\n' \
		"${p%%:*}" > "$d/run/${p%%:*}/strict-icount/env"
done
sh "$T/scripts/bench-bisect-report.sh" "$d/run" >/dev/null || { echo "report failed"; exit 1; }
md=$d/run/per-patch/per-patch-4K.md
grep -q '^| point | patch | page | sg n1 | sg n4 | phys |' "$md" || { echo "columns:"; cat "$md"; exit 1; }
grep -q '^| 00 | base (unpatched) | [0-9]* (+0.0%) |' "$md" || { echo "base row:"; cat "$md"; exit 1; }
# phys has no base value of its own: its %change is against base page
page0=$(awk -F'|' '$2 == " 00 " { split($4, a, " "); print a[1] }' "$md")
phys1=$(awk -F'|' '$2 == " 01 " { split($7, a, " "); print a[1], a[2] }' "$md")
# (the table rounds the means to ns: allow half a percent)
awk -v a="${phys1% *}" -v b="$page0" -v got="${phys1#* }" 'BEGIN {
	gsub(/[(%)+]/, "", got); d = got - 100 * (a / b - 1); exit !(d < 0.5 && d > -0.5) }' || { echo "phys vs base page: got '$phys1' against base page $page0"; cat "$md"; exit 1; }
for f in png svg; do
	[ -s "$d/run/per-patch/per-patch-4K.$f" ] || { echo "no $f figure"; exit 1; }
done
grep -q 'instruction cost (icount shift=0)' "$d/run/per-patch/per-patch-4K.svg" ||
	{ echo "the figure does not say where its numbers come from"; exit 1; }
txt=$d/run/per-patch/per-patch-4K.txt
grep -q '^      1 ' "$txt" && ! awk 'length > 72 { bad = 1 } END { exit !bad }' "$txt" ||
	{ echo "the cover-letter table is missing a point or is wider than 72 columns:"; cat "$txt"; exit 1; }
sh "$T/scripts/bench-bisect-report.sh" "$d/nothing" 2>/dev/null
[ $? = 2 ] || { echo "a missing run must exit 2"; exit 1; }
exit 0
