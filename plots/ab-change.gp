# ab-change.gp: patched against base, one bar per cell: the %change of the
# mean with its 95% confidence interval (Welch, as `dmabench compare`).
#
# Input (plots/plot.sh): data from `dmabench export --plot ab` (columns
# index cell pct ci_lo ci_hi p sig), rows, metric, title, and common.gp's
# variables. Cells without a CI (fewer than 2 runs a side) are not drawn.
load dir . "/common.gp"
set title title
set yrange [rows:-1]
set ytics 1 font ",10"
set grid noytics
set xlabel "%change of the mean ns per " . metric . ", patched vs base, with 95% CI (lower is better)"
set key outside right top
set lmargin 30
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb "#404040" lw 1
colour(sig, pct) = sig > 0 ? (pct > 0 ? 0xd62728 : 0x2ca02c) : 0x8c8c8c
plot data skip 1 using 3:1:4:5:(colour($7, $3)):ytic(2) with xerrorbars lc rgb variable pt 7 ps 1.2 lw 2 notitle, \
     NaN with points lc rgb "#d62728" pt 7 title "slower, p < 0.05", \
     NaN with points lc rgb "#2ca02c" pt 7 title "faster, p < 0.05", \
     NaN with points lc rgb "#8c8c8c" pt 7 title "not significant"
