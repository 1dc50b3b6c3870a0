#!/bin/sh
# splats.sh < console.log: print the kernel splats of a boot, if any.
#
# A few KUnit cases provoke a WARN on purpose, to prove a bad call is
# refused: those warnings are dropped here, but only when they come from a
# KUnit test thread (Comm: kunit_try_catch) and from a function listed in
# scripts/expected-warnings. Anything else fails the boot.
allow=$(dirname "$0")/expected-warnings
tr -d '\r' | awk -v allowfile="$allow" '
BEGIN {
	while ((getline line < allowfile) > 0)
		if (line !~ /^#/ && line != "") { split(line, f, " "); ok[f[1]] = 1 }
}
# Hold each WARN block, from its "cut here" line (the WARN message, e.g.
# the "DMA-API: ..." line of dma-debug, comes before the WARNING line), until we
# know who raised it.
/------------\[ cut here \]------------/ {
	inblock = 1; held = $0 "\n"; fn = ""; kunit = 0
	next
}
/WARNING: CPU: [0-9]+ PID: [0-9]+ at / {
	if (!inblock) { inblock = 1; held = ""; kunit = 0 }
	held = held $0 "\n"; fn = $0
	sub(/.* at [^ ]+ /, "", fn); sub(/\+.*/, "", fn)
	next
}
inblock {
	held = held $0 "\n"
	if ($0 ~ /Comm: kunit_try_catch/) kunit = 1
	if ($0 ~ /---\[ end trace/) {
		if (!(kunit && (fn in ok))) printf "%s", held
		inblock = 0
	}
	next
}
# dma-debug reports errors through WARN (handled above); its other
# "DMA-API:" lines are information, and "Mapped at:" follows a report.
/BUG:|Oops|KASAN|possible circular locking|unreferenced object|UBSAN|Call Trace:/ { print }
END { if (inblock) printf "%s", held }
' | grep -E 'WARNING:|BUG:|Oops|KASAN|DMA-API:|possible circular locking|unreferenced object|UBSAN|Call Trace:'
