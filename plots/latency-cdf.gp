# latency-cdf.gp: the distribution of single samples per mode at one size,
# from each cell's merged histogram (bucket midpoints, within 1.6 %).
#
# Input (plots/plot.sh): data from `dmabench export --plot cdf`, n, metric,
# size (e.g. "4K"), title, and common.gp's variables.
load dir . "/common.gp"
set title title
set logscale x 10
set xlabel "ns per " . metric . " per sample (log scale), lower (further left) is better"
set ylabel "fraction of samples at or below"
set yrange [0:1.02]
set ytics 0.1
set key inside right bottom title "mode at " . size
set rmargin 6
plot for [i=0:n-1] data index i using 1:2 with steps lt i+1 lw 2 title columnheader(1)
