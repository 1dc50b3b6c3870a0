# latency-size.gp: latency against bytes per mapping, one line per mode, log-log.
# The line is the p50, the shaded band reaches up to the p99.
#
# Input (plots/plot.sh): data from `dmabench export --plot size`, n (number
# of series), metric, title, and common.gp's variables.
load dir . "/common.gp"
set title title
set logscale x 2
set logscale y 10
set format x "%.0b %BB"
set xlabel "bytes per mapping (log scale)"
set ylabel "ns per " . metric . " (log scale), lower is better"
set key outside right top title "p50, band up to p99"
plot for [i=0:n-1] data index i using 1:2:3 with filledcurves fs transparent solid 0.12 noborder lt i+1 notitle, \
     for [i=0:n-1] data index i using 1:2 with linespoints lt i+1 title columnheader(1)
