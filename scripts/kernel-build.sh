#!/bin/sh
# kernel-build.sh base|patched [debug]: configure and build a guest bzImage.
#
# Objects go to $WORK/obj/<tree>[-debug] (a persistent O= dir) through ccache,
# so a one-file change relinks in under a minute. The config is allnoconfig
# plus linux-patches/config/guest.config (and debug.config for the debug
# variant); every requested option is checked after Kconfig has resolved
# dependencies, because Kconfig silently drops what it cannot satisfy.
set -eu
. "$(dirname "$0")/lib.sh"

tree=${1:?usage: kernel-build.sh base|patched [debug]}
variant=${2:-}
name=$tree${variant:+-$variant}
src=$(sh "$TOP/scripts/kernel-tree.sh" "$tree")
obj=$WORK/obj/$name
cfgdir=$TOP/linux-patches/config
mkdir -p "$obj"

frags="$cfgdir/guest.config"
# Options that only exist once the series is applied (its KUnit suites).
[ "$tree" = patched ] && frags="$frags $cfgdir/series.config"
[ "$variant" = debug ] && frags="$frags $cfgdir/debug.config"
[ -z "$variant" ] || [ "$variant" = debug ] || die "unknown variant '$variant'"

export CCACHE_BASEDIR="$WORK" CCACHE_COMPRESS=1
# ccache keeps its cache under $HOME; a CI environment may not set it.
[ -n "${CCACHE_DIR:-}" ] || [ -n "${HOME:-}" ] || export CCACHE_DIR="$WORK/ccache"
export KBUILD_BUILD_USER=dmabench KBUILD_BUILD_HOST=guest
export KBUILD_BUILD_TIMESTAMP="$(git -C "$src" log -1 --format=%cd)"
# One kernel build at a time on this machine: every kernel make holds
# $WORK/kbuild.lock. LOCALVERSION= keeps setlocalversion from adding "+"
# for a git tree that is not at a release tag.
kmake() {
	flock "$WORK/kbuild.lock" make -C "$src" O="$obj" CC="ccache gcc" \
		LOCALVERSION= -j"$JOBS" "$@"
}

# Later fragments win, as with merge_config.sh.
cat $frags > "$obj/fragments.new"
if ! cmp -s "$obj/fragments.new" "$obj/fragments" || [ ! -f "$obj/.config" ]; then
	# The stamp goes first: a failed or interrupted configure must not look
	# current next time.
	rm -f "$obj/fragments"
	log config "$name: allnoconfig + $(echo "$frags" | sed "s#$cfgdir/##g")"
	KCONFIG_ALLCONFIG="$obj/fragments.new" kmake -s allnoconfig >"$obj/config.log" 2>&1 ||
		{ cat "$obj/config.log" >&2; die "Kconfig failed for $name"; }
	sh "$TOP/scripts/kernel-config-check.sh" "$obj/fragments.new" "$obj/.config" ||
		{ rm -f "$obj/.config"; false; } ||
		die "config fragment options did not stick for $name (listed above)"
	mv "$obj/fragments.new" "$obj/fragments"
else
	rm -f "$obj/fragments.new"
fi

log build "$name: make bzImage modules in $obj (log: $obj/build.log)"
# "modules" too: out-of-tree modules need Module.symvers and module.lds.
kmake bzImage modules >"$obj/build.log" 2>&1 &
pid=$!
# A cold build takes many minutes: say which file it is on every 30 s.
while kill -0 "$pid" 2>/dev/null; do
	i=0
	while [ $i -lt 30 ] && kill -0 "$pid" 2>/dev/null; do sleep 1; i=$((i + 1)); done
	kill -0 "$pid" 2>/dev/null &&
		log build "$name: $(grep -c '^  [A-Z]' "$obj/build.log") steps, at: $(grep '^  [A-Z]' "$obj/build.log" | tail -n 1 | sed 's/^ *//')"
done
if ! wait "$pid"; then
	grep -E 'error|Error' "$obj/build.log" | head -n 30 >&2
	die "kernel build failed for $name (full log: $obj/build.log)"
fi

# Provenance, recorded next to every image and copied into every result.
{
	echo "name=$name"
	echo "tree=$tree"
	echo "base_version=$(cat "$WORK/src/linux/.base-version")"
	echo "kernelrelease=$(kmake -s kernelrelease)"
	if [ "$tree" = patched ]; then
		echo "series_hash=$(cat "$src/.series-hash")"
		echo "series_patches=$(series_count)"
		echo "series_head=$(git -C "$src" rev-parse --short=12 HEAD)"
	else
		echo "series_hash=none"
		echo "series_patches=0"
	fi
	echo "config_hash=$(grep "^CONFIG_" "$obj/.config" | sort | sha256sum | cut -c1-16)"
	echo "config_fragments=$(echo "$frags" | sed "s#$cfgdir/##g")"
	echo "compiler=$(gcc --version | head -n 1)"
} > "$obj/build-info"
log build "$name: done, $(sed -n 's/^config_hash=//p' "$obj/build-info") config, $obj/arch/x86/boot/bzImage"
