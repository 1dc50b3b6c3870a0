#!/bin/sh
# dmabuf-import-report.sh RUN: the table of a make bench-dmabuf run,
# regenerated offline from its raw files (RUN/<boot>/dmabuf-import/),
# at most 72 columns so that it can go into the cover letter as it is.
# Per size and path: the median over the rounds of each run's map+unmap
# p50 and p99 (ns per operation), the range of the p50s, the samples per
# run, and the phys-list to sg_table ratio of the medians; then the revoke
# latencies. Exit 2 if RUN has no raw files.
set -eu
RUN=${1:?usage: dmabuf-import-report.sh RUN}
raw=$(ls -d "$RUN"/*/dmabuf-import 2>/dev/null | head -n 1)
env=$(dirname "${raw:-$RUN/none/x}")/env
[ -n "$raw" ] && [ -d "$raw" ] && ls "$raw"/*-r*.txt >/dev/null 2>&1 ||
	{ echo "dmabuf-import-report: no raw runs in $RUN/*/dmabuf-import/" >&2; exit 2; }

val() { sed -n "s/^$1=//p" "$env" 2>/dev/null | head -n 1; }
echo "dma-buf import of a vfio-pci BAR range by the dmabench module"
qemu=$(val qemu | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
echo "EMULATED: QEMU ${qemu:-?} ($(val accel)), icount $(val icount),"
echo "intel-iommu $(val iommu_mode), P2P topology $(val p2p_topology); kernel"
echo "$(val kernelrelease), $(val series_patches) patches (series $(val series_head)),"
echo "dmabench $(val dmabench_commit)."
[ "$(val icount)" = off ] ||
	echo "Under icount one ns is one guest instruction: an instruction cost."
echo "$(cat "$raw/setup" 2>/dev/null)"
echo "map+unmap, ns per operation: median over the rounds of each run's"
echo "mean, p50 and p99 (p50 and p99 are histogram bucket midpoints, 1/64"
echo "resolution); the range of the p50s; samples per run."
echo

for f in "$raw"/dmabuf-*-r*.txt; do
	b=$(basename "$f" .txt)
	mode=${b%-*-r*}; rest=${b#"$mode"-}; size=${rest%-r*}
	sed -n "s/^  map+unmap n=\\([0-9]*\\) .* mean=\\([0-9.]*\\) p50=\\([0-9.]*\\) .* p99=\\([0-9.]*\\) .*/$mode $size \\1 \\3 \\4 \\2/p" "$f"
done | awk '
function med(list,   a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	lo = a[1]; hi = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function human(b) { return b >= 1048576 ? b / 1048576 "M" : b / 1024 "K" }
{ k = $1 " " $2; p50[k] = p50[k] " " $4; p99[k] = p99[k] " " $5; avg[k] = avg[k] " " $6
  n[k] = $3; seen[$2] = 1 }
END {
	printf "  %-5s %-13s %8s %8s %15s %8s %5s\n", "size", "path", "mean", "p50", "(p50 range)", "p99", "n"
	split("dmabuf-sg dmabuf-phys dmabuf-attach", modes, " ")
	label["dmabuf-sg"] = "sg_table"; label["dmabuf-phys"] = "phys list"
	label["dmabuf-attach"] = "attach+detach"
	ns = split("4096 65536 1048576", sizes, " ")
	for (s = 1; s <= ns; s++) {
		if (!(sizes[s] in seen)) continue
		for (m = 1; m <= 3; m++) {
			k = modes[m] " " sizes[s]
			if (!(k in n)) continue
			m50 = med(p50[k]); r = sprintf("(%d..%d)", lo, hi)
			m99 = med(p99[k]); mav = med(avg[k]); mid[k] = mav
			printf "  %-5s %-13s %8.1f %8d %15s %8d %5d\n", human(sizes[s]), label[modes[m]], mav, m50, r, m99, n[k]
		}
		a = "dmabuf-phys " sizes[s]; b = "dmabuf-sg " sizes[s]
		if ((a in mid) && (b in mid) && mid[b] > 0)
			printf "  %-5s %-13s %8.2fx the mean of sg_table\n", "", "phys list", mid[a] / mid[b]
	}
}'
echo
echo "revoke, 64K buffer: memory decode off (a write to the command"
echo "register through vfio) to the importer holding no mapping, in us;"
echo "hold: the importer idle with one mapping, which its move_notify"
echo "unmaps; busy: the importer mapping in a loop, one reservation lock"
echo "hold per batch of 32, so the revoke waits for the lock:"
kinds="hold busy"
# Runs from before the reset rows existed keep their table as it was.
if ls "$raw"/revoke-reset-*.txt >/dev/null 2>&1; then
	echo "reset: as hold, but revoked by a function reset (VFIO_DEVICE_RESET)"
	echo "of a virtio-rng device, 4K of its BAR (pci-testdev has no reset),"
	echo "from the reset ioctl to the importer holding no mapping:"
	kinds="hold busy reset"
fi
for kind in $kinds; do
for mode in dmabuf-sg dmabuf-phys; do
	for f in "$raw"/revoke-$kind-$mode-r*.txt; do
		[ -f "$f" ] || continue
		sed -n 's/^  revoke: [a-z ]* to importer unmapped \([0-9]*\) ns$/\1/p' "$f"
	done | awk -v m="$kind $mode" '
	{ v[++n] = $1 / 1000 }
	END {
		if (!n) { printf "  %-17s no revoke recorded\n", m; exit }
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		md = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "  %-17s median %.0f (%.0f..%.0f) of %d revokes\n", m, md, v[1], v[n], n
	}'
done
done
