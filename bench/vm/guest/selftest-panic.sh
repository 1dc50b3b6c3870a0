#!/bin/sh
# selftest-panic.sh: crash the guest on purpose. make test boots this once
# to prove that bench/vm/run.sh reports a panic (with its lines) as a
# failure instead of hanging or passing.
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
# Not reached when the crash works.
exit 0
