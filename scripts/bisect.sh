#!/bin/sh
# bisect.sh: build the guest kernel after each patch of the series in turn,
# so that every point of the series is known to build (bisectability).
#
#   make bisect            every patch, in its own worktree and O= dir
#                          (a cold build first, then one step per patch)
#   make bisect FROM=N     patches N.. only: steps the patched tree (built
#                          by make kernel) back to patch N-1 and forward
#                          again, so only what patches N.. touch rebuilds;
#                          the tree ends at the tip, as make kernel left it
#
# Every step appends the config fragments before olddefconfig, so an
# option a later patch introduces (a KUnit suite) is switched on from the
# patch that adds it on, as in the real build.
set -u
. "$(dirname "$0")/lib.sh"

: "${FROM:=1}"
case $FROM in ''|*[!0-9]*|0) die "FROM takes a patch number (1 or more)" ;; esac

sh "$TOP/scripts/kernel-tree.sh" patched >/dev/null || die "the series does not apply"
repo=$WORK/src/linux
total=$(git -C "$repo" rev-list --count base..patched)
[ "$FROM" -le "$total" ] || die "FROM=$FROM: the series has $total patches"
frags="$TOP/linux-patches/config/guest.config $TOP/linux-patches/config/series.config"

if [ "$FROM" = 1 ]; then
	wt=$WORK/src/bisect
	obj=$WORK/obj/bisect
	[ -d "$wt" ] || git -C "$repo" worktree add -q --detach "$wt" base
	mkdir -p "$obj"
	cp "$WORK/obj/patched/.config" "$obj/.config" 2>/dev/null ||
		die "build the patched kernel first (make kernel) to get its config"
else
	wt=$WORK/src/patched
	obj=$WORK/obj/patched
	[ -f "$obj/.config" ] || die "build the patched kernel first (make kernel)"
	# Whatever happens below, leave the tree where make kernel expects it.
	trap 'git -C "$wt" checkout -q patched' EXIT
	log bisect "stepping back to patch $((FROM - 1))"
	git -C "$wt" checkout -q --detach "patched~$((total - FROM + 1))"
	cat $frags >> "$obj/.config"
	flock "$WORK/kbuild.lock" make -C "$wt" O="$obj" CC="ccache gcc" \
		LOCALVERSION= -j"$JOBS" olddefconfig bzImage modules \
		>"$obj/build-bisect-base.log" 2>&1 ||
		die "patch $((FROM - 1)) does not build (log $obj/build-bisect-base.log)"
fi
export CCACHE_BASEDIR="$WORK"

n=$((FROM - 1)) bad=0
for c in $(git -C "$repo" rev-list --reverse base..patched | tail -n +"$FROM"); do
	n=$((n + 1))
	subj=$(git -C "$repo" log -1 --format=%s "$c")
	git -C "$wt" checkout -q --detach "$c"
	cat $frags >> "$obj/.config"
	log bisect "patch $n: $subj"
	t0=$(date +%s)
	if flock "$WORK/kbuild.lock" make -C "$wt" O="$obj" CC="ccache gcc" -j"$JOBS" \
		LOCALVERSION= olddefconfig bzImage modules >"$obj/build-$n.log" 2>&1; then
		echo "PASS bisect:$n $subj ($(( $(date +%s) - t0 )) s, $(grep -c ' warning:' "$obj/build-$n.log") warnings)"
	else
		echo "FAIL bisect:$n $subj (log $obj/build-$n.log)"
		grep -m 10 -E 'error' "$obj/build-$n.log" >&2
		bad=$((bad + 1))
	fi
done
log bisect "patches $FROM-$n, $bad failed to build"
[ "$bad" = 0 ]
