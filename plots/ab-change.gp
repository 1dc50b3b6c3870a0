# ab-change.gp: patched against base, one row per cell: the %change of the
# mean with its 95% confidence interval (Welch, as `dmabench compare`).
#
# Input (plots/plot.sh): data from `dmabench export --plot ab` (columns
# index cell pct ci_lo ci_hi p sig), rows, metric, title, and common.gp's
# variables. A cell without a CI (no spread, or fewer than 2 runs a side)
# is a hollow point. The axis stops at +-lim percent (default 100) when
# the data reach further; such a cell sits at the edge as a triangle with
# its %change written next to it.
load dir . "/common.gp"
if (!exists("lim")) lim = 100
set title title
set ytics 1 font ",10"
set grid noytics
set xlabel "%change of the mean ns per " . metric . ", patched vs base, with 95% CI (lower is better)"
set key outside right top
set lmargin 30
stats data skip 1 using 4 nooutput
xlo = STATS_min
stats data skip 1 using 5 nooutput
xhi = STATS_max
stats data skip 1 using 3 nooutput
xlo = STATS_min < xlo ? STATS_min : xlo
xhi = STATS_max > xhi ? STATS_max : xhi
xlo = xlo > 0 ? 0 : (xlo < -lim ? -lim : xlo)
xhi = xhi < 0 ? 0 : (xhi > lim ? lim : xhi)
pad = (xhi - xlo) * 0.06 + 0.5
set xrange [xlo - pad : xhi + pad]
set yrange [rows:-1]
clip(x) = x > xhi ? xhi : (x < xlo ? xlo : x)
out(x) = x > xhi || x < xlo
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb "#404040" lw 1
colour(sig, pct) = sig > 0 ? (pct > 0 ? 0xd62728 : 0x2ca02c) : 0x8c8c8c
plot data skip 1 using (clip($3)):1:(clip($4)):(clip($5)):(colour($7, $3)):ytic(2) \
	with xerrorbars lc rgb variable pt 7 ps 1.2 lw 2 notitle, \
     data skip 1 using (clip($3)):($7 < 0 ? $1 : NaN) with points lc rgb "#8c8c8c" pt 6 ps 1.2 notitle, \
     data skip 1 using (clip($3)):(out($3) ? $1 : NaN):(colour($7, $3)) \
	with points lc rgb variable pt 9 ps 1.6 notitle, \
     data skip 1 using (clip($3)):(out($3) ? $1 : NaN):(sprintf("%+.0f%%", $3)) \
	with labels left offset 1.2, 0 font ",9" notitle, \
     NaN with points lc rgb "#d62728" pt 7 title "slower, p < 0.05 (per cell)", \
     NaN with points lc rgb "#2ca02c" pt 7 title "faster, p < 0.05 (per cell)", \
     NaN with points lc rgb "#8c8c8c" pt 7 title "not significant", \
     NaN with points lc rgb "#8c8c8c" pt 6 title "not testable (no spread)", \
     NaN with points lc rgb "#404040" pt 9 title sprintf("beyond +-%g%%, value written", lim)
