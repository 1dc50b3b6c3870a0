#!/bin/sh
# The KTAP parser on a sample with a parameterised case, skips and a suite
# that stopped short of its plan.
d=$(dirname "$0")
sh "$d/../ktap.sh" t < "$d/ktap-sample.log" | diff - "$d/ktap-sample.expected"
