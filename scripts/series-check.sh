#!/bin/sh
# series-check.sh: the series applies to Debian's 6.12 source, and every
# patch is clean under checkpatch.pl --strict. One PASS/FAIL line per case
# on stdout (the make test tally format); details on stderr.
set -u
. "$(dirname "$0")/lib.sh"

if ! sh "$TOP/scripts/kernel-tree.sh" patched >/dev/null; then
	echo "FAIL series:applies"
	exit 1
fi
echo "PASS series:applies-to-$(cat "$WORK/src/linux/.base-version")"
rc=0
ignore_file=$TOP/linux-patches/checkpatch.ignore
for p in $(grep -v -e '^#' -e '^$' "$TOP/linux-patches/series"); do
	# Findings kept on purpose, each with its reason in checkpatch.ignore.
	ignore=$(grep -v '^#' "$ignore_file" 2>/dev/null | awk -v p="$p" '$1 == p { printf "%s%s", sep, $2; sep = "," }')
	if perl "$WORK/src/linux/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--show-types ${ignore:+--ignore "$ignore"} "$TOP/linux-patches/$p" >&2; then
		echo "PASS checkpatch:$p"
	else
		echo "FAIL checkpatch:$p"
		rc=1
	fi
done
exit $rc
