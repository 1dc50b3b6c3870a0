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

# patch_key FILE: the patch's identity without its "n/m" numbering, so a
# series that only grew keeps the keys of the patches it already had
patch_key() {
	sed 's/^Subject: \[PATCH [0-9]*\/[0-9]*\]/Subject: [PATCH]/' "$1" | sha256sum | cut -c1-16
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
	keys=$WORK/series-keys.new
	: > "$keys"
	for p in $(grep -v -e '^#' -e '^$' "$TOP/linux-patches/series"); do
		f=$TOP/linux-patches/$p
		[ -f "$f" ] || die "linux-patches/series names $p, which does not exist"
		echo "$(patch_key "$f") $p" >> "$keys"
	done
	rm -f "$wt/.series-hash"
	git -C "$wt" am --abort >/dev/null 2>&1 || true
	# A series that only grew at its end (the applied patches are its first
	# ones, unchanged, and the tree is clean) gets just the new patches:
	# the files of the old ones keep their mtimes, so make rebuilds only
	# what the new patches touch. Anything else starts again from the base;
	# that reset too only touches the files the old series changed.
	skip=0
	if [ -f "$wt/.series-keys" ] &&
	   [ "$(git -C "$repo" rev-list --count base..patched)" = "$(wc -l < "$wt/.series-keys")" ] &&
	   [ -z "$(git -C "$wt" status --porcelain --untracked-files=no)" ] &&
	   head -n "$(wc -l < "$wt/.series-keys")" "$keys" | cmp -s - "$wt/.series-keys"; then
		skip=$(wc -l < "$wt/.series-keys")
		# back on the branch if a bisect left it detached (files untouched
		# only if the worktree is at the branch's commit)
		[ "$(git -C "$wt" rev-parse HEAD)" = "$(git -C "$repo" rev-parse patched)" ] || skip=0
	fi
	rm -f "$wt/.series-keys"
	if [ "$skip" = 0 ]; then
		# On the branch, even if someone left the worktree detached (bisect
		# steps through it): make bisect reads the series from the branch.
		git -C "$wt" checkout -q -f -B patched base
	else
		git -C "$wt" checkout -q patched
		log tree "the first $skip patches are applied already"
	fi
	n=0
	while read -r _key p; do
		n=$((n + 1))
		[ "$n" -le "$skip" ] && continue
		f=$TOP/linux-patches/$p
		if ! git -C "$wt" apply --check --verbose "$f" >"$WORK/apply.log" 2>&1; then
			grep -E '^(error|Checking|Hunk|Applied)' "$WORK/apply.log" | grep -v '^Checking' >&2 || true
			die "patch $n ($p) does not apply to $(cat "$repo/.base-version"); see the failing hunk above"
		fi
		git -C "$wt" -c user.name=dmabench -c user.email=dmabench@localhost \
			am -q --keep-cr --committer-date-is-author-date "$f" >"$WORK/apply.log" 2>&1 ||
			{ cat "$WORK/apply.log" >&2; die "git am failed on patch $n ($p)"; }
	done < "$keys"
	mv "$keys" "$wt/.series-keys"
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
