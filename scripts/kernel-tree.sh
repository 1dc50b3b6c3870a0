#!/bin/sh
# kernel-tree.sh base|patched: make the unpatched or patched source tree.
#
# Debian's linux-source tarball is unpacked once into a git repository whose
# first commit is tagged "base". The patched tree is a git worktree of that
# repository on the branch "patched", where linux-patches/series is applied
# with "git am". Being git trees lets the bisect target check out each patch
# and lets developers turn commits back into format-patch files.
set -eu
. "$(dirname "$0")/lib.sh"

which=${1:?usage: kernel-tree.sh base|patched}
repo=$WORK/src/linux
wt=$WORK/src/patched

unpack_base() {
	[ -f "$repo/.base-ok" ] && return 0
	[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing: run 'make deps'"
	log tree "unpacking $KSRC_TARBALL (once)"
	rm -rf "$repo" "$repo.tmp"
	mkdir -p "$repo.tmp"
	tar -C "$repo.tmp" --strip-components=1 -xJf "$KSRC_TARBALL"
	log tree "recording the base commit"
	git -C "$repo.tmp" init -q -b base-branch
	git -C "$repo.tmp" add -A -f  # Debian's .gitignore ignores the top level
	git -C "$repo.tmp" -c user.name=dmabench -c user.email=dmabench@localhost \
		commit -q -m "linux-source-6.12 $(ksrc_deb_version) (Debian)"
	git -C "$repo.tmp" tag base
	mv "$repo.tmp" "$repo"
	ksrc_deb_version > "$repo/.base-version"
	touch "$repo/.base-ok"
}

apply_series() {
	want=$(series_hash)
	if [ -f "$wt/.series-hash" ] && [ "$(cat "$wt/.series-hash")" = "$want" ] &&
	   [ -z "$(git -C "$wt" status --porcelain --untracked-files=no)" ]; then
		return 0
	fi
	if [ ! -d "$wt" ]; then
		log tree "creating the patched worktree"
		git -C "$repo" worktree prune
		git -C "$repo" worktree add -q -f -B patched "$wt" base
	fi
	rm -f "$wt/.series-hash"
	# Reset only touches the files the old series changed, so make rebuilds
	# just what the series touches.
	git -C "$wt" am --abort >/dev/null 2>&1 || true
	# On the branch, even if someone left the worktree detached (bisect
	# steps through it): make bisect reads the series from the branch.
	git -C "$wt" checkout -q -f -B patched base
	n=0
	for p in $(grep -v -e '^#' -e '^$' "$TOP/linux-patches/series"); do
		n=$((n + 1))
		f=$TOP/linux-patches/$p
		[ -f "$f" ] || die "linux-patches/series names $p, which does not exist"
		if ! git -C "$wt" apply --check --verbose "$f" >"$WORK/apply.log" 2>&1; then
			grep -E '^(error|Checking|Hunk|Applied)' "$WORK/apply.log" | grep -v '^Checking' >&2 || true
			die "patch $n ($p) does not apply to $(cat "$repo/.base-version"); see the failing hunk above"
		fi
		git -C "$wt" -c user.name=dmabench -c user.email=dmabench@localhost \
			am -q --keep-cr --committer-date-is-author-date "$f" >"$WORK/apply.log" 2>&1 ||
			{ cat "$WORK/apply.log" >&2; die "git am failed on patch $n ($p)"; }
	done
	series_hash > "$wt/.series-hash"
	log tree "applied $n patches (series $(cat "$wt/.series-hash"))"
}

mkdir -p "$WORK/src"
unpack_base
case $which in
base)	echo "$repo" ;;
patched) apply_series; echo "$wt" ;;
*)	die "unknown tree '$which' (base or patched)" ;;
esac
