#!/bin/sh
# bisect.sh: build the guest kernel after each patch of the series in turn,
# so that every point of the series is known to build (bisectability).
# Uses its own worktree and O= dir; ccache keeps each step incremental.
set -u
. "$(dirname "$0")/lib.sh"

sh "$TOP/scripts/kernel-tree.sh" patched >/dev/null || die "the series does not apply"
repo=$WORK/src/linux
wt=$WORK/src/bisect
obj=$WORK/obj/bisect
[ -d "$wt" ] || git -C "$repo" worktree add -q --detach "$wt" base
mkdir -p "$obj"
cp "$WORK/obj/patched/.config" "$obj/.config" 2>/dev/null ||
	die "build the patched kernel first (make kernel) to get its config"
export CCACHE_BASEDIR="$WORK"

n=0 bad=0
for c in $(git -C "$repo" rev-list --reverse base..patched); do
	n=$((n + 1))
	subj=$(git -C "$repo" log -1 --format=%s "$c")
	git -C "$wt" checkout -q "$c"
	log bisect "patch $n: $subj"
	if flock "$WORK/kbuild.lock" make -C "$wt" O="$obj" CC="ccache gcc" -j"$JOBS" \
		olddefconfig bzImage >"$obj/build-$n.log" 2>&1; then
		echo "PASS bisect:$n $subj"
	else
		echo "FAIL bisect:$n $subj (log $obj/build-$n.log)"
		grep -m 10 -E 'error' "$obj/build-$n.log" >&2
		bad=$((bad + 1))
	fi
done
log bisect "$n patches, $bad failed to build"
[ "$bad" = 0 ]
