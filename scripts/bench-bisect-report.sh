#!/bin/sh
# bench-bisect-report.sh RUN: the per-patch table and figures of a
# make bench-bisect run, regenerated offline from its results alone.
#
# For every point NN (00 = base, then after patch NN) it reads the map+unmap
# mean and run-to-run spread of each cell (`dmabench export --plot size`)
# and writes RUN/per-patch/:
#   points.tsv         point, patches applied, series head, subject
#   cells.tsv          point, series, bytes, mean ns, stddev ns
#   per-patch-<S>.md   a table per size S: mean ns per point and series,
#                      %change against the reference at the base
#   per-patch-<S>.txt  the same as %change only, at most 72 columns
#                      (for the cover letter)
#   per-patch-<S>.{png,svg}  the same as a figure (plots/per-patch.gp)
# The reference of a series is its own base value; phys and phys-mmio do
# not exist at the base and are measured against page and resource, the
# calls they replace.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
DMABENCH=$TOP/bench/build/bin/dmabench

bad() { printf 'bench-bisect-report.sh: %s\n' "$*" >&2; exit 2; }
[ $# = 1 ] || bad "usage: scripts/bench-bisect-report.sh results/bisect-<timestamp>"
RUN=${1%/}
[ -d "$RUN/00" ] || bad "$RUN: no point 00 (the base) to compare against"
[ -x "$DMABENCH" ] || bad "$DMABENCH not built: make -C bench"
command -v gnuplot >/dev/null 2>&1 || bad "gnuplot not found: make deps"
OUT=$RUN/per-patch
mkdir -p "$OUT"
export LC_ALL=C

: > "$OUT/points.tsv"
: > "$OUT/cells.tsv"
label=
for p in $(cd "$RUN" && ls -d [0-9][0-9] | sort); do
	dir=$(ls -d "$RUN/$p"/*/*/ 2>/dev/null | head -n 1)
	[ -n "$dir" ] && ls "$dir"/*.json >/dev/null 2>&1 || { echo "point $p: no results, left out" >&2; continue; }
	env=$(dirname "$dir")/env
	subj=$(sed -n 's/^series_subject=//p' "$env")
	[ "$p" = 00 ] && subj="base (unpatched)"
	printf '%s\t%s\t%s\t%s\n' "$p" "$(sed -n 's/^series_patches=//p' "$env")" \
		"$(sed -n 's/^series_head=//p' "$env")" "$subj" >> "$OUT/points.tsv"
	# every figure says where its numbers come from (the base boot's env)
	[ -n "$label" ] || label=$(awk -F= -v run="$(basename "$RUN")" '
		{ v[$1] = substr($0, length($1) + 2) }
		END { qemu = v["qemu"]; sub(/ \(.*/, "", qemu); sub(/ emulator version/, "", qemu)
		      printf "emulated (QEMU TCG, %s), instruction cost (icount %s); iommu %s; %s; %s",
		      v["accel"], v["icount"], v["iommu_mode"], qemu, run }' "$env" | tr -d "'")
	"$DMABENCH" export --plot size --metric map+unmap "$dir" | awk -v p="$p" '
		/^"/ { split($0, q, "\""); name = q[2]; next }
		NF == 5 { printf "%s\t%s\t%s\t%s\t%s\n", p, name, $1, $4, $5 }' >> "$OUT/cells.tsv"
done
[ -s "$OUT/cells.tsv" ] || bad "$RUN holds no readable cells"

# One table and one figure per size.
for bytes in $(cut -f3 "$OUT/cells.tsv" | sort -n -u); do
	sz=$(awk -v b="$bytes" 'BEGIN { if (b >= 1048576) printf "%dM", b / 1048576; else printf "%dK", b / 1024 }')
	awk -F '\t' -v b="$bytes" -v sz="$sz" -v pts="$OUT/points.tsv" \
	    -v dat="$OUT/per-patch-$sz.dat" '
	function ref_of(s) { return s == "phys" ? "page" : (s == "phys-mmio" ? "resource" : s) }
	BEGIN {
		while ((getline l < pts) > 0) {
			split(l, f, "\t"); np++; pt[np] = f[1]; subj[f[1]] = f[4]
		}
	}
	$3 == b {
		if (!($2 in seen)) { seen[$2] = 1; ns++; ser[ns] = $2 }
		mean[$1, $2] = $4; sd[$1, $2] = $5
	}
	END {
		# the columns: series in the order they first appear
		printf "map+unmap at %s, mean ns per operation over the runs (%%change against the base value of the reference: the same series, page for phys, resource for phys-mmio)\n\n", sz
		printf "| point | patch |"
		for (i = 1; i <= ns; i++) printf " %s |", ser[i]
		printf "\n|---|---|"
		for (i = 1; i <= ns; i++) printf "---:|"
		printf "\n"
		printf "point" > dat
		for (i = 1; i <= ns; i++)
			printf "\t\"%s\"\t-", (ref_of(ser[i]) == ser[i] ? ser[i] : ser[i] " (vs base " ref_of(ser[i]) ")") > dat
		printf "\n" > dat
		for (k = 1; k <= np; k++) {
			p = pt[k]
			printf "| %s | %s |", p, substr(subj[p], 1, 60)
			printf "%s", p + 0 > dat
			for (i = 1; i <= ns; i++) {
				s = ser[i]; r = ref_of(s)
				if (!((p, s) in mean)) { printf " - |"; printf "\t?\t?" > dat; continue }
				if (("00", r) in mean && mean["00", r] > 0) {
					pc = 100 * (mean[p, s] / mean["00", r] - 1)
					printf " %.0f (%+.1f%%) |", mean[p, s], pc
					printf "\t%.3f\t%.3f", pc, 100 * sd[p, s] / mean["00", r] > dat
				} else {
					printf " %.0f |", mean[p, s]
					printf "\t?\t?" > dat
				}
			}
			printf "\n"; printf "\n" > dat
		}
	}' "$OUT/cells.tsv" > "$OUT/per-patch-$sz.md"
	# The same as plain text of at most 72 columns, for the cover letter:
	# %change of map+unmap against the reference at the base, per series.
	awk -F '\t' -v b="$bytes" -v pts="$OUT/points.tsv" '
	function ref_of(s) { return s == "phys" ? "page" : (s == "phys-mmio" ? "resource" : s) }
	BEGIN { while ((getline l < pts) > 0) { split(l, f, "\t"); np++; pt[np] = f[1] } }
	$3 == b {
		if (!($2 in seen)) { seen[$2] = 1; ns++; ser[ns] = $2 }
		mean[$1, $2] = $4
	}
	END {
		printf "  patch"
		for (i = 1; i <= ns; i++) printf " %*s", (length(ser[i]) > 7 ? length(ser[i]) : 7), ser[i]
		printf "\n"
		for (k = 1; k <= np; k++) {
			p = pt[k]
			printf "  %5s", (p == "00" ? "base" : p + 0)
			for (i = 1; i <= ns; i++) {
				w = length(ser[i]) > 7 ? length(ser[i]) : 7
				r = ref_of(ser[i])
				if ((p, ser[i]) in mean && ("00", r) in mean)
					printf " %*s", w, sprintf("%+.1f%%", 100 * (mean[p, ser[i]] / mean["00", r] - 1))
				else
					printf " %*s", w, "-"
			}
			printf "\n"
		}
	}' "$OUT/cells.tsv" > "$OUT/per-patch-$sz.txt"
	n=$(head -n 1 "$OUT/per-patch-$sz.dat" | awk -F '\t' '{ print (NF - 1) / 2 }')
	for fmt in png svg; do
		gnuplot -e "dir='$TOP/plots'; fmt='$fmt'; out='$OUT/per-patch-$sz'; data='$OUT/per-patch-$sz.dat'; nseries=$n; size='$sz'; label='$label'; lastpoint=$(awk -F '\t' '$1 + 0 > m { m = $1 + 0 } END { print m + 0 }' "$OUT/points.tsv")" \
			"$TOP/plots/per-patch.gp" || exit 1
	done
done
echo "per-patch tables and figures: $OUT"
