#!/bin/sh
# bisect.sh: build the guest kernel after each patch of the series in turn,
# so that every point of the series is known to build (bisectability).
#
#   make bisect            every patch, 1 to the last
#   make bisect FROM=N     patches N.. only
#
# It works in the patched tree that make kernel built: the tree is checked
# out at patch FROM-1 (no build there) and then at each patch from FROM on,
# building after each. Every checkout gives the files it changes a new
# mtime, so make rebuilds exactly what differs from the objects at hand,
# and ccache turns a return to a known state into cache hits. At the end
# the tree is back at the tip, as make kernel left it.
#
# Every step appends the config fragments before olddefconfig, so an
# option a later patch introduces (a KUnit suite) is switched on from the
# patch that adds it on, as in the real build.
#
# For make bench-bisect (scripts/bench-bisect.sh):
#   SAVE=DIR       keep each step's kernel as DIR/NN (bzImage, config,
#                  build-info with name=bisect-NN) and build the benchmark
#                  module against it as microbench-kmod/out/bisect-NN
#   ON_STEP=CMD    run "CMD N DIR/NN" after each saved step, in the
#                  background while the next step builds (one at a time);
#                  bisect.sh waits for the last one before it exits
set -u
. "$(dirname "$0")/lib.sh"

: "${FROM:=1}"
: "${SAVE:=}"
: "${ON_STEP:=}"
case $FROM in ''|*[!0-9]*|0) die "FROM takes a patch number (1 or more)" ;; esac
[ -z "$ON_STEP" ] || [ -n "$SAVE" ] || die "ON_STEP needs SAVE (the step's kernel it runs on)"

sh "$TOP/scripts/kernel-tree.sh" patched >/dev/null || die "the series does not apply"
repo=$WORK/src/linux
wt=$WORK/src/patched
obj=$WORK/obj/patched
total=$(git -C "$repo" rev-list --count base..patched)
[ "$FROM" -le "$total" ] || die "FROM=$FROM: the series has $total patches"
[ -f "$obj/.config" ] || die "build the patched kernel first (make kernel)"
frags="$TOP/linux-patches/config/guest.config $TOP/linux-patches/config/series.config"
export CCACHE_BASEDIR="$WORK" CCACHE_COMPRESS=1
export KBUILD_BUILD_USER=dmabench KBUILD_BUILD_HOST=guest

hook_pid=
# Whatever happens below, leave the tree where make kernel expects it.
trap 'git -C "$wt" checkout -q patched' EXIT
trap 'exit 130' INT TERM
log bisect "checking out patch $((FROM - 1)) (not built: the next step rebuilds what changed)"
git -C "$wt" checkout -q --detach "patched~$((total - FROM + 1))"

# save_step N COMMIT: the step's kernel and module, kept for bench-bisect
save_step() {
	_d=$SAVE/$(printf %02d "$1")
	rm -rf "$_d"
	mkdir -p "$_d/arch/x86/boot"
	cp "$obj/arch/x86/boot/bzImage" "$_d/arch/x86/boot/" || return 1
	cp "$obj/.config" "$_d/config"
	{
		echo "name=bisect-$(printf %02d "$1")"
		echo "tree=patched"
		echo "base_version=$(cat "$repo/.base-version")"
		echo "kernelrelease=$(make -s -C "$wt" O="$obj" LOCALVERSION= kernelrelease)"
		echo "series_hash=$(series_hash)"
		echo "series_patches=$1"
		echo "series_head=$(git -C "$repo" rev-parse --short=12 "$2")"
		echo "series_subject=$(git -C "$repo" log -1 --format=%s "$2")"
		echo "config_hash=$(grep "^CONFIG_" "$obj/.config" | sort | sha256sum | cut -c1-16)"
		echo "config_fragments=guest.config series.config"
		echo "compiler=$(gcc --version | head -n 1)"
	} > "$_d/build-info"
	make -s -C "$TOP/microbench-kmod" KDIR="$wt" KOBJ="$obj" \
		TREE="bisect-$(printf %02d "$1")" modules >"$_d/module.log" 2>&1
}

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
		continue
	fi
	[ -n "$SAVE" ] || continue
	if ! save_step "$n" "$c"; then
		echo "FAIL bisect:$n module or copy (log $SAVE/$(printf %02d "$n")/module.log)"
		bad=$((bad + 1))
		continue
	fi
	if [ -n "$ON_STEP" ]; then
		[ -n "$hook_pid" ] && wait "$hook_pid"
		$ON_STEP "$n" "$SAVE/$(printf %02d "$n")" &
		hook_pid=$!
	fi
done
[ -n "$hook_pid" ] && wait "$hook_pid"
log bisect "patches $FROM-$n, $bad failed"
[ "$bad" = 0 ]
