# common.gp: what every figure shares. Loaded by the other scripts.
#
# Variables set by plots/plot.sh (gnuplot -e): fmt ("png" or "svg"), out
# (output path without extension), label (where the numbers come from:
# "emulated (QEMU TCG)", "instruction cost (icount)" or "host: <cpu>"), and
# optionally w and h (pixels).
if (!exists("w")) w = 1200
if (!exists("h")) h = 720
if (fmt eq "svg") {
	set terminal svg size w, h dynamic noenhanced font "DejaVu Sans,12" background rgb "white"
} else {
	set terminal pngcairo size w, h noenhanced font "DejaVu Sans,11" background rgb "white"
}
set output out . "." . fmt
set datafile missing "?"
set grid xtics ytics lc rgb "#d8d8d8" lw 1 dt 1
set border 3 lc rgb "#404040"
set tics nomirror
set key noenhanced box lc rgb "#c0c0c0" opaque
# Twelve distinct colours and point shapes: one per mode series.
set linetype 1 lc rgb "#1f77b4" lw 2 pt 7 ps 1.0
set linetype 2 lc rgb "#ff7f0e" lw 2 pt 5 ps 1.0
set linetype 3 lc rgb "#2ca02c" lw 2 pt 9 ps 1.2
set linetype 4 lc rgb "#d62728" lw 2 pt 11 ps 1.2
set linetype 5 lc rgb "#9467bd" lw 2 pt 13 ps 1.2
set linetype 6 lc rgb "#8c564b" lw 2 pt 6 ps 1.0
set linetype 7 lc rgb "#e377c2" lw 2 pt 4 ps 1.0
set linetype 8 lc rgb "#7f7f7f" lw 2 pt 8 ps 1.2
set linetype 9 lc rgb "#bcbd22" lw 2 pt 10 ps 1.2
set linetype 10 lc rgb "#17becf" lw 2 pt 12 ps 1.2
set linetype 11 lc rgb "#393b79" lw 2 pt 1 ps 1.2
set linetype 12 lc rgb "#637939" lw 2 pt 2 ps 1.2
set linetype cycle 12
# The provenance line sits below the x axis label, left-aligned.
set bmargin 6
set label 99 label at screen 0.01, screen 0.025 left font ",10" tc rgb "#505050"
