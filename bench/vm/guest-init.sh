#!/bin/sh
# guest-init.sh: PID 1 inside the QEMU guest (see bench/vm/run.sh).
# Mounts the pseudo filesystems and the results share, runs the requested
# script, stores its exit status and powers off. Everything it prints goes
# to the serial console, which the host keeps as console.log.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/tmp
export PATH HOME

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run

DMABENCH_OUT=/tmp/results
mkdir -p "$DMABENCH_OUT"
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results "$DMABENCH_OUT"; then
	echo "dmabench-guest: cannot mount the results share" >/dev/console
	busybox poweroff -f
fi
. "$DMABENCH_OUT/guest.env"
# The checkout may live below /tmp (a CI clone, say), which the tmpfs above
# hides: it is also shared on its own, and mounted back at its own path.
mkdir -p "$DMABENCH_TOP" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro dmabench-top "$DMABENCH_TOP" ||
	echo "dmabench-guest: cannot mount the checkout at $DMABENCH_TOP" >/dev/console
export DMABENCH_OUT DMABENCH_TOP

echo "dmabench-guest: running $DMABENCH_SCRIPT $DMABENCH_ARGS" >/dev/console
cd /tmp
# shellcheck disable=SC2086
sh "$DMABENCH_SCRIPT" $DMABENCH_ARGS >"$DMABENCH_OUT/guest.log" 2>&1
rc=$?
dmesg >"$DMABENCH_OUT/dmesg.txt" 2>/dev/null
echo "$rc" >"$DMABENCH_OUT/exit-status"
sync
umount "$DMABENCH_OUT"
echo "dmabench-guest: script exit status $rc" >/dev/console
busybox poweroff -f
