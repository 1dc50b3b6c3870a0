#!/bin/sh
# The splat scan drops an allow-listed WARN raised by a KUnit test thread,
# and keeps the same WARN from any other task and any other function's.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
warn() { # FUNCTION COMM
	printf '[    1.0] WARNING: CPU: 0 PID: 9 at kernel/dma/x.c:1 %s+0x4f/0x60\n' "$1"
	printf '[    1.0] CPU: 0 UID: 0 PID: 9 Comm: %s Not tainted\n' "$2"
	printf '[    1.0] Call Trace:\n[    1.0] ---[ end trace 0000000000000000 ]---\n'
}
warn dma_map_page_attrs kunit_try_catch > "$d/expected"
sh "$(dirname "$0")/../splats.sh" < "$d/expected" && { echo "an expected KUnit WARN was reported"; exit 1; }
warn dma_map_page_attrs insmod > "$d/other-task"
sh "$(dirname "$0")/../splats.sh" < "$d/other-task" | grep -q WARNING || { echo "a WARN outside KUnit was dropped"; exit 1; }
warn some_other_function kunit_try_catch > "$d/other-fn"
sh "$(dirname "$0")/../splats.sh" < "$d/other-fn" | grep -q WARNING || { echo "an unlisted KUnit WARN was dropped"; exit 1; }
# A dma-debug report: its "DMA-API:" message comes before the WARNING line.
{ echo '[    1.0] ------------[ cut here ]------------'
  echo '[    1.0] DMA-API: edu: device driver frees DMA memory with wrong size'; } > "$d/debug"
warn check_unmap insmod >> "$d/debug"
sh "$(dirname "$0")/../splats.sh" < "$d/debug" | grep -q 'DMA-API:' || { echo "a dma-debug report was dropped"; exit 1; }
echo '[    2.0] BUG: kernel NULL pointer dereference' > "$d/bug"
sh "$(dirname "$0")/../splats.sh" < "$d/bug" | grep -q BUG: || { echo "a BUG was dropped"; exit 1; }
exit 0
