# bandwidth.gp: the workloads' bandwidth, one group of bars per workload
# cell (tool, operation, engine, size) and one bar per buffer: host memory,
# a CMB p2pmem buffer, a udmabuf. Bar: mean of the runs; whisker: run-to-run
# stddev (absent with a single run).
#
# Input (plots/plot.sh): data from `dmabench export --plot bars` (block 0:
# the groups; then one block per buffer), ng (groups), ns (buffers),
# metric, unit, better, title, and common.gp's variables.
load dir . "/common.gp"
set title title . "\n(groups: tool, operation and I/O engine, bytes per I/O)"
set style fill solid 0.75 border -1
bw_box = 0.8 / ns
set boxwidth bw_box absolute
set xrange [-0.6 : ng - 0.4]
set yrange [0:*]
set xtics rotate by -30 left font ",10" nomirror
set grid noxtics ytics
set ylabel metric . " (" . unit . "), " . better . " is better"
unset xlabel
set bmargin 10
set key outside right top title "buffer"
pos(x, k) = x + (k - 1 - (ns - 1) / 2.0) * bw_box
plot data index 0 every ::1 using 1:(NaN):xtic(2) notitle, \
     for [k=1:ns] data index k using (pos($1, k)):2 with boxes lt k title columnheader(1), \
     for [k=1:ns] data index k using (pos($1, k)):2:3 with yerrorbars lc rgb "#202020" pt 7 ps 0 lw 1.5 notitle
