# latency-threads.gp: latency per operation against the number of threads
# mapping at once, one line per mode at one size: p50, with a bar up to p99.
#
# Input (plots/plot.sh): data from `dmabench export --plot threads`, n,
# metric, size, title, and common.gp's variables.
load dir . "/common.gp"
set title title
set logscale y 10
set xlabel "threads mapping at the same time"
set xtics 1
set offsets 0.3, 0.3, 0, 0
set ylabel "ns per " . metric . " (log scale), lower is better"
set key outside right top title "p50, bar up to p99, at " . size
plot for [i=0:n-1] data index i using 1:2:2:3 with yerrorlines lt i+1 title columnheader(1)
