# per-patch.gp: the cost of each patch of the series, from make
# bench-bisect: map+unmap %change against the base, one line per path, at
# one size. x: the point of the series (0 = unpatched base, N = after
# patch N); y: %change of the mean with the run-to-run stddev as a bar.
#
# Input (scripts/bench-bisect-report.sh): data (columns: point, then per
# series %change and its stddev, "?" where the path does not exist yet),
# nseries, lastpoint (the last patch measured; a run from FROM=N leaves
# a gap between the base and patch N), size, and common.gp's variables.
load dir . "/common.gp"
set title "Cost of each patch: map+unmap at " . size . " per path, against the unpatched base"
set xlabel "point of the series (0 = base, N = after patch N)"
set ylabel "%change of map+unmap mean vs base, bars: stddev of runs (lower is better)"
set xrange [-0.5 : lastpoint + 0.5]
set xtics 1
set key outside right top
set rmargin 42
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#404040" lw 1
plot for [i = 1:nseries] data using 1:(column(2 * i)):(column(2 * i + 1)) \
	with yerrorlines lt i title columnheader(2 * i)
